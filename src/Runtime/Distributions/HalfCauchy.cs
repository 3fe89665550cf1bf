using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>|X| with X ~ Cauchy(0, scale); support x ≥ 0. Its mean and variance are infinite.</summary>
public sealed class HalfCauchy : HalfDistribution
{
    private const double LogTwoOverPi = -0.45158270528945486473; // log(2/π)

    /// <param name="scale">Scale, positive (also the median).</param>
    public HalfCauchy(Tensor scale) : base(scale)
    {
    }

    /// <summary>log(2/π) − log(1 + z²).</summary>
    protected override Tensor FoldedStandardLogPdf(Tensor z) => TensorArithmetic.Square(z).log1p().neg().add(ConstantScalars.Of(LogTwoOverPi), TensorArithmetic.One);

    /// <summary>Inverse CDF: tan(π u / 2) (one slot).</summary>
    protected override Tensor FoldedStandardSample(RandomStream stream) => StreamDraws.Uniform(stream).mul(ConstantScalars.Of(Math.PI / 2.0)).tan();
}
