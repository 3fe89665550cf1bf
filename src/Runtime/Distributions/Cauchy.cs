using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The Cauchy distribution on the reals. Its mean and variance do not exist.</summary>
public sealed class Cauchy : LocationScaleDistribution
{
    private const double LogPi = 1.1447298858494001741;

    /// <param name="loc">Location (the median).</param>
    /// <param name="scale">Scale (half the interquartile range), positive.</param>
    public Cauchy(Tensor loc, Tensor scale) : base(loc, scale)
    {
    }

    /// <summary>−log(1 + z²) − log π.</summary>
    protected override Tensor StandardLogPdf(Tensor z) => TensorArithmetic.Square(z).log1p().neg().sub(ConstantScalars.Of(LogPi));

    /// <summary>Inverse CDF: tan(π (u − ½)) (one slot).</summary>
    protected override Tensor StandardSample(RandomStream stream) => StreamDraws.Uniform(stream).sub(ConstantScalars.Of(0.5)).mul(ConstantScalars.Of(Math.PI)).tan();
}
