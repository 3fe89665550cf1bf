using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>Student's t distribution with df degrees of freedom, shifted by loc and scaled by scale.</summary>
public sealed class StudentT : Distribution, IDistributionMoments
{
    private const double LogPi = 1.1447298858494001741;

    /// <param name="df">Degrees of freedom ν, positive.</param>
    /// <param name="loc">Location.</param>
    /// <param name="scale">Scale, positive.</param>
    public StudentT(Tensor df, Tensor loc, Tensor scale)
    {
        Df = df;
        Loc = loc;
        Scale = scale;
    }

    /// <summary>Degrees of freedom ν.</summary>
    public Tensor Df { get; }

    /// <summary>Location.</summary>
    public Tensor Loc { get; }

    /// <summary>Scale.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Real;

    /// <summary>Draws carry no gradient: the chi-square part comes from the gamma rejection sampler.</summary>
    public override bool IsReparameterized => false;

    /// <summary>log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log scale − (ν+1)/2 · log1p(z²/ν).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var z = value.sub(Loc).div(Scale);
        var halfDfPlusOne = Df.add(ConstantScalars.Of(1.0), TensorArithmetic.One).mul(ConstantScalars.Of(0.5));
        var result = halfDfPlusOne.lgamma()
            .sub(Df.mul(ConstantScalars.Of(0.5)).lgamma())
            .sub(Df.log().add(ConstantScalars.Of(LogPi), TensorArithmetic.One).mul(ConstantScalars.Of(0.5)))
            .sub(Scale.log())
            .sub(halfDfPlusOne.mul(TensorArithmetic.Square(z).div(Df).log1p()));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// loc + scale·ε·√(ν/(2G)) with ε from Box–Muller (two slots, first) and G ~ Gamma(ν/2) (four slots), since 2G is
    /// chi-square with ν degrees of freedom.
    /// </summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var epsilon = stream.StandardNormal();
        var df = Df.detach();
        var logGamma = MarsagliaTsangSampler.SampleLog(df.mul(ConstantScalars.Of(0.5)), stream);
        var factor = df.log().sub(ConstantScalars.Of(StandardNormalMath.LogTwo)).sub(logGamma).mul(ConstantScalars.Of(0.5)).exp();
        return Loc.detach().add(Scale.detach().mul(epsilon.mul(factor)), TensorArithmetic.One).MoveToOuterDisposeScope();
    }

    /// <summary>loc for ν &gt; 1, NaN otherwise.</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            var loc = Loc.add(zeros_like(Df), TensorArithmetic.One).add(zeros_like(Scale), TensorArithmetic.One);
            return where(Df.gt(ConstantScalars.Of(1.0)), loc, full_like(loc, ConstantScalars.Of(double.NaN))).MoveToOuterDisposeScope();
        }
    }

    /// <summary>scale²·ν/(ν − 2) for ν &gt; 2, +inf for 1 &lt; ν ≤ 2, NaN otherwise.</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            var finite = TensorArithmetic.Square(Scale).mul(Df).div(Df.sub(ConstantScalars.Of(2.0)).clamp_min(ConstantScalars.Of(1e-30))).add(zeros_like(Loc), TensorArithmetic.One);
            var infinite = where(Df.gt(ConstantScalars.Of(1.0)), full_like(finite, ConstantScalars.Of(double.PositiveInfinity)), full_like(finite, ConstantScalars.Of(double.NaN)));
            return where(Df.gt(ConstantScalars.Of(2.0)), finite, infinite).MoveToOuterDisposeScope();
        }
    }
}
