using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Bijectors;

/// <summary>
/// Keeps bijector outputs strictly inside their bounds. lo + exp(u) rounds to lo once exp(u) is below half an ulp of
/// lo (u = −30 with lo = 1 in float32), and a density that is open at the bound would then be -inf; the clamp moves
/// such values to the nearest representable number inside. Values already inside are unchanged, so gradients there are
/// those of the unclamped formula.
/// </summary>
/// <remarks>
/// A bound may depend on another parameter (<c>Uniform(a, a + 1)</c>), so it can carry a gradient. libtorch has no
/// derivative for <c>nextafter</c>; the next representable number is therefore computed on the detached bound and the
/// bound's own gradient is passed through it (next = nextafter(lo) + (lo − lo.detach()), whose value is nextafter(lo)
/// exactly and whose derivative with respect to lo is 1). A clamped value then moves with its bound, as lo + exp(u)
/// does for very negative u. NaN values stay NaN.
/// </remarks>
internal static class BoundClamp
{
    // Alpha of the tensor add below, made once: no temporary Scalar reaches a native call.
    private static readonly Scalar One = 1.0.ToScalar();

    /// <summary><paramref name="value"/> raised to at least the next number above <paramref name="lower"/>.</summary>
    public static Tensor Above(Tensor value, Tensor lower) => Clamp(value, lower, upward: true);

    /// <summary><paramref name="value"/> lowered to at most the next number below <paramref name="upper"/>.</summary>
    public static Tensor Below(Tensor value, Tensor upper) => Clamp(value, upper, upward: false);

    /// <summary><paramref name="value"/> raised to at least the smallest positive normal number of its type.</summary>
    public static Tensor Positive(Tensor value)
    {
        using var tiny = finfo(value.dtype).tiny.ToScalar();
        return value.clamp_min(tiny);
    }

    private static Tensor Clamp(Tensor value, Tensor bound, bool upward)
    {
        using var scope = NewDisposeScope();
        var boundInType = bound.to_type(value.dtype);
        var detached = boundInType.detach();
        using var towards = full_like(detached, upward ? ConstantScalars.Of(double.PositiveInfinity) : ConstantScalars.Of(double.NegativeInfinity));
        var next = detached.nextafter(towards);
        if (boundInType.requires_grad)
        {
            // Zero in value, one in derivative; where the bound is infinite the difference is NaN, so keep next there.
            var passThrough = next.add(boundInType.sub(detached), One);
            next = where(detached.isfinite(), passThrough, next);
        }
        var outside = upward ? value.lt(next) : value.gt(next);
        return where(outside, next, value).MoveToOuterDisposeScope();
    }
}
