using TorchSharp;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>|X| with X ~ N(0, scale²); support x ≥ 0.</summary>
public sealed class HalfNormal : HalfDistribution, IDistributionMoments
{
    private const double LogTwoOverPiHalf = -0.22579135264472743236; // ½·log(2/π)

    /// <param name="scale">Scale of the underlying normal, positive.</param>
    public HalfNormal(Tensor scale) : base(scale)
    {
    }

    /// <summary>½·log(2/π) − z²/2.</summary>
    protected override Tensor FoldedStandardLogPdf(Tensor z) => TensorArithmetic.Square(z).mul(ConstantScalars.Of(-0.5)).add(ConstantScalars.Of(LogTwoOverPiHalf), TensorArithmetic.One);

    /// <summary>|ε| with ε from Box–Muller (two slots).</summary>
    protected override Tensor FoldedStandardSample(RandomStream stream) => stream.StandardNormal().abs();

    /// <summary>scale·√(2/π).</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            using var keptScalar21 = (Math.Sqrt(2.0 / Math.PI)).ToScalar();
            return Scale.mul(keptScalar21).MoveToOuterDisposeScope();
        }
    }

    /// <summary>scale²·(1 − 2/π).</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return TensorArithmetic.Square(Scale).mul(ConstantScalars.Of(1.0 - 2.0 / Math.PI)).MoveToOuterDisposeScope();
        }
    }
}
