using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// How every density here treats values outside its support: the value is first replaced by an interior stand-in,
/// the density is computed on that, and the result is then overwritten with -inf. The log-probability is therefore
/// -inf (never NaN) outside the support, and its gradient there is exactly zero in the value and the parameters
/// (finite), so an HMC proposal that leaves the support is rejected by its energy without NaN entering the state.
/// </summary>
internal static class SupportMask
{
    /// <summary><paramref name="value"/> where <paramref name="inside"/>, else <paramref name="standIn"/> (broadcast).</summary>
    public static Tensor Substitute(Tensor value, Tensor inside, Tensor standIn) => where(inside, value, standIn);

    /// <summary><paramref name="value"/> where <paramref name="inside"/>, else the constant <paramref name="standIn"/>.</summary>
    public static Tensor Substitute(Tensor value, Tensor inside, double standIn)
    {
        using var scope = NewDisposeScope();
        using var keptScalar34 = standIn.ToScalar();
        return where(inside, value, full_like(value, keptScalar34)).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="logProb"/> with -inf wherever <paramref name="inside"/> is false.</summary>
    public static Tensor Apply(Tensor logProb, Tensor inside)
    {
        using var scope = NewDisposeScope();
        return logProb.masked_fill(inside.logical_not(), ConstantScalars.Of(double.NegativeInfinity)).MoveToOuterDisposeScope();
    }
}
