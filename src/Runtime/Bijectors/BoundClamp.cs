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
internal static class BoundClamp
{
    /// <summary><paramref name="value"/> raised to at least the next number above <paramref name="lower"/>.</summary>
    public static Tensor Above(Tensor value, Tensor lower)
    {
        using var scope = NewDisposeScope();
        var lowerInType = lower.to_type(value.dtype);
        var next = lowerInType.nextafter(full_like(lowerInType, ConstantScalars.Of(double.PositiveInfinity)));
        return maximum(value, next).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="value"/> lowered to at most the next number below <paramref name="upper"/>.</summary>
    public static Tensor Below(Tensor value, Tensor upper)
    {
        using var scope = NewDisposeScope();
        var upperInType = upper.to_type(value.dtype);
        var next = upperInType.nextafter(full_like(upperInType, ConstantScalars.Of(double.NegativeInfinity)));
        return minimum(value, next).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="value"/> raised to at least the smallest positive normal number of its type.</summary>
    public static Tensor Positive(Tensor value)
    {
        using var tiny = finfo(value.dtype).tiny.ToScalar();
        return value.clamp_min(tiny);
    }
}
