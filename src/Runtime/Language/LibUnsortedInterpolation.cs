using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    /// <summary>
    /// `interp_unsorted(x, xp, fp)`: jax-cosmo's <c>interp</c>, which the published log-normal simulator applies to the
    /// unsorted table ℓ = 2π|fftfreq(2N)|. For each x: the nearest knot i by squared distance (the first in table order on
    /// ties, as argmin), clipped to 1 … n−2; its neighbour i − 1 when clip(x, xp[1], xp[n−2]) &lt; xp[i] and i + 1
    /// otherwise; the value on the line through the two knots at x (extrapolated, never clamped). On increasing knots this
    /// is linear interpolation inside [xp[1], xp[n−2]]; on the frequency table it reads, from the fourth knot on, the line
    /// through knots i − 1 and i even above knot i. Knots xp [n ≥ 3] are unbatched; fp holds the values on its last axis;
    /// the result has fp's leading axes followed by x's axes. Differentiable in x and fp (the knot choice is not).
    /// </summary>
    public static Tensor InterpUnsorted(Ev x, Ev xp, Ev fp)
    {
        if (xp.Batched) throw new ArgumentException("interp_unsorted: the knots xp must not depend on random variables");
        long n = xp.Value.shape[0];
        if (n < 3) throw new ArgumentException($"interp_unsorted: needs at least 3 knots, not {n}");
        using var scope = NewDisposeScope();
        var (lower, upper, w) = UnsortedInterpolationWeights(x.Value, cacheable: !x.Batched && !x.Value.requires_grad, xp.Value, fp.Value.dtype);
        var xEvent = x.Value.shape.Skip(x.Batched ? 1 : 0).ToArray();
        var lead = fp.Value.shape.Skip(fp.Batched ? 1 : 0).SkipLast(1).ToArray();
        Tensor result;
        if (!x.Batched)
        {
            // One set of positions for every row of fp: select along the last axis of fp viewed as rows × knots (much faster
            // than index_select on the last axis of a higher-rank tensor).
            var rows = fp.Value.reshape(-1, n);
            var lo = rows.index_select(1, lower.reshape(-1));
            var hi = rows.index_select(1, upper.reshape(-1));
            var shape = (fp.Batched ? new[] { fp.Value.shape[0] } : Array.Empty<long>()).Concat(lead).Concat(xEvent).ToArray();
            result = lo.lerp(hi, w.reshape(-1)).reshape(shape);
        }
        else
        {
            long b = x.Value.shape[0];
            var values = fp.Batched ? fp.Value : ExpandBatch(fp.Value, b);
            var view = new long[lead.Length + 2];
            view[0] = b;
            for (int i = 0; i < lead.Length; i++) view[i + 1] = 1;
            view[^1] = -1;
            var full = new[] { b }.Concat(lead).Append(lower.numel() / b).ToArray();
            var lo = values.gather(-1, lower.reshape(view).expand(full));
            var hi = values.gather(-1, upper.reshape(view).expand(full));
            result = lo.lerp(hi, w.reshape(view)).reshape(new[] { b }.Concat(lead).Concat(xEvent).ToArray());
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Knots and weights of data positions, computed once per (x, xp) pair of tensors and floating type.</summary>
    private static readonly ConditionalWeakTable<Tensor, UnsortedInterpolationCache> UnsortedInterpolationCaches = new();

    private sealed record UnsortedInterpolationCache(Tensor Knots, ScalarType DType, Tensor Lower, Tensor Upper, Tensor Weight);

    /// <summary>
    /// The two knots of each x and the weight of the second, w = (x − xp[lower]) / (xp[upper] − xp[lower]) (outside [0, 1]
    /// when extrapolating). When x is data (<paramref name="cacheable"/>: unbatched, no gradient) the result is cached with
    /// x: the generated code passes the same data tensors at every run, so the knots of an N × N grid are found once, not at
    /// every simulation or gradient step.
    /// </summary>
    private static (Tensor Lower, Tensor Upper, Tensor Weight) UnsortedInterpolationWeights(Tensor x, bool cacheable, Tensor xp, ScalarType dtype)
    {
        if (cacheable && UnsortedInterpolationCaches.TryGetValue(x, out var cached) && ReferenceEquals(cached.Knots, xp) && cached.DType == dtype)
            return (cached.Lower, cached.Upper, cached.Weight);
        using var scope = NewDisposeScope();
        var knots = xp.to_type(dtype);
        var xs = x.to_type(dtype);
        var (lower, upper) = UnsortedInterpolationKnots(xs.detach(), knots);
        var x0 = knots[lower];
        var w = (xs - x0) / (knots[upper] - x0);
        if (!cacheable) return (lower.MoveToOuterDisposeScope(), upper.MoveToOuterDisposeScope(), w.MoveToOuterDisposeScope());
        var entry = new UnsortedInterpolationCache(xp, dtype, lower.DetachFromDisposeScope(), upper.DetachFromDisposeScope(), w.DetachFromDisposeScope());
        UnsortedInterpolationCaches.AddOrUpdate(x, entry);
        return (entry.Lower, entry.Upper, entry.Weight);
    }

    /// <summary>
    /// The two knots jax-cosmo's interp combines for each x (any shape, no gradient): (nearest clipped to 1 … n−2, its
    /// neighbour). The nearest knot is found in O(log n) per x on the stably sorted table: the closest value lies next to
    /// x's insertion point, and the first knot in table order holding that value is the first of its run in the stable sort.
    /// </summary>
    internal static (Tensor Nearest, Tensor Neighbour) UnsortedInterpolationKnots(Tensor x, Tensor knots)
    {
        using var scope = NewDisposeScope();
        long n = knots.shape[0];
        var (sorted, order) = knots.sort(stable: true);
        var position = searchsorted(sorted, x.contiguous());
        using var keptScalar54 = (n - 1).ToScalar();
        var above = position.clamp_max(keptScalar54);
        var below = (TensorArithmetic.Sub(position, 1)).clamp_min(ConstantScalars.Of(0));
        // The first table index holding each candidate's value.
        var aboveIndex = order[searchsorted(sorted, sorted[above])];
        var belowIndex = order[searchsorted(sorted, sorted[below])];
        var dAbove = TensorArithmetic.Square((x - knots[aboveIndex]));
        var dBelow = TensorArithmetic.Square((x - knots[belowIndex]));
        var nearest = where(dBelow.lt(dAbove), belowIndex, where(dAbove.lt(dBelow), aboveIndex, minimum(belowIndex, aboveIndex)));
        using var keptScalar53 = (n - 2).ToScalar();
        nearest = nearest.clamp(ConstantScalars.Of(1), keptScalar53);
        var clipped = minimum(maximum(x, knots[1]), knots[n - 2]);
        var neighbour = where(clipped.lt(knots[nearest]), TensorArithmetic.Sub(nearest, 1), TensorArithmetic.Add(nearest, 1));
        return (nearest.MoveToOuterDisposeScope(), neighbour.MoveToOuterDisposeScope());
    }
}
