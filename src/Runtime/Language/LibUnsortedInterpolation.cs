using TorchSharp;
using static TorchSharp.torch;

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
        var knots = xp.Value.to_type(fp.Value.dtype);
        var xs = x.Value.to_type(fp.Value.dtype);
        var (lower, upper) = UnsortedInterpolationKnots(xs.detach(), knots);
        var x0 = knots[lower];
        var slope = 1.0 / (knots[upper] - x0);
        var w = (xs - x0) * slope;                                  // weight of the upper knot; outside [0, 1] when extrapolating
        var xEvent = x.Value.shape.Skip(x.Batched ? 1 : 0).ToArray();
        var lead = fp.Value.shape.Skip(fp.Batched ? 1 : 0).SkipLast(1).ToArray();
        Tensor result;
        if (!x.Batched)
        {
            var lo = fp.Value.index_select(-1, lower.reshape(-1));
            var hi = fp.Value.index_select(-1, upper.reshape(-1));
            var flat = lo + (hi - lo) * w.reshape(-1);
            var shape = (fp.Batched ? new[] { fp.Value.shape[0] } : Array.Empty<long>()).Concat(lead).Concat(xEvent).ToArray();
            result = flat.reshape(shape);
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
            result = (lo + (hi - lo) * w.reshape(view)).reshape(new[] { b }.Concat(lead).Concat(xEvent).ToArray());
        }
        return result.MoveToOuterDisposeScope();
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
        var above = position.clamp_max(n - 1);
        var below = (position - 1).clamp_min(0);
        // The first table index holding each candidate's value.
        var aboveIndex = order[searchsorted(sorted, sorted[above])];
        var belowIndex = order[searchsorted(sorted, sorted[below])];
        var dAbove = (x - knots[aboveIndex]).square();
        var dBelow = (x - knots[belowIndex]).square();
        var nearest = where(dBelow.lt(dAbove), belowIndex, where(dAbove.lt(dBelow), aboveIndex, minimum(belowIndex, aboveIndex)));
        nearest = nearest.clamp(1, n - 2);
        var clipped = minimum(maximum(x, knots[1]), knots[n - 2]);
        var neighbour = where(clipped.lt(knots[nearest]), nearest - 1, nearest + 1);
        return (nearest.MoveToOuterDisposeScope(), neighbour.MoveToOuterDisposeScope());
    }
}
