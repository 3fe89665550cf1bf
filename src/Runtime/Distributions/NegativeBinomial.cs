using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The negative binomial distribution on the counts, by its mean μ and concentration φ (Stan's neg_binomial_2): a
/// Poisson whose rate is Gamma(φ, φ/μ), so the variance is μ + μ²/φ (φ → ∞ gives the Poisson). Both must be positive;
/// otherwise the log-probability is −∞.
/// </summary>
public sealed class NegativeBinomial : Distribution, IDistributionMoments
{
    /// <param name="mean">μ &gt; 0.</param>
    /// <param name="concentration">φ &gt; 0 (the inverse overdispersion).</param>
    public NegativeBinomial(Tensor mean, Tensor concentration)
    {
        MeanParameter = mean;
        Concentration = concentration;
    }

    /// <summary>μ.</summary>
    public Tensor MeanParameter { get; }

    /// <summary>φ.</summary>
    public Tensor Concentration { get; }

    /// <inheritdoc/>
    public override Support Support => Support.NonNegativeInteger;

    /// <summary>Draws are integers: no gradient flows through them.</summary>
    public override bool IsReparameterized => false;

    /// <summary>log Γ(k + φ) − log k! − log Γ(φ) + φ log(φ/(μ + φ)) + k log(μ/(μ + φ)).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var dtype = DiscreteMath.RealTypeOf(MeanParameter);
        var k = DiscreteMath.AsReal(value, dtype);
        var inside = DiscreteMath.IsCount(k);
        var validMean = MeanParameter.gt(ConstantScalars.Of(0.0));
        var validConcentration = Concentration.gt(ConstantScalars.Of(0.0));
        var mu = DiscreteMath.Safe(MeanParameter, validMean, 1.0);
        var phi = DiscreteMath.Safe(Concentration, validConcentration, 1.0);
        var safeK = DiscreteMath.Safe(k, inside, 0.0);
        var logTotal = mu.add(phi, TensorArithmetic.One).log();
        var result = safeK.add(phi, TensorArithmetic.One).lgamma()
            .sub(safeK.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma())
            .sub(phi.lgamma())
            .add(phi.mul(phi.log().sub(logTotal)), TensorArithmetic.One)
            .add(safeK.mul(mu.log().sub(logTotal)), TensorArithmetic.One);
        var mask = inside.logical_and(validMean).logical_and(validConcentration);
        return SupportMask.Apply(result, mask).MoveToOuterDisposeScope();
    }

    /// <summary>λ ~ Gamma(φ, φ/μ) by Marsaglia–Tsang (four slots), then Poisson(λ) by inversion (one slot).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mu = MeanParameter.detach();
        var phi = Concentration.detach();
        DiscreteMath.RequireForSampling(mu.gt(ConstantScalars.Of(0.0)), mu, "NegativeBinomial", "the mean must be positive");
        DiscreteMath.RequireForSampling(phi.gt(ConstantScalars.Of(0.0)), phi, "NegativeBinomial", "the concentration must be positive");
        var phi64 = phi.to_type(ScalarType.Float64).broadcast_to(stream.Shape);
        var logGamma = MarsagliaTsangSampler.SampleLog(phi64, stream);
        var rate = logGamma.add(mu.to_type(ScalarType.Float64).log(), TensorArithmetic.One).sub(phi64.log()).exp();
        return PoissonInversionSampler.Sample(rate, DiscreteMath.Uniform64(stream)).MoveToOuterDisposeScope();
    }

    /// <summary>μ.</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return MeanParameter.add(zeros_like(Concentration), TensorArithmetic.One).MoveToOuterDisposeScope();
        }
    }

    /// <summary>μ + μ²/φ.</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return MeanParameter.add(TensorArithmetic.Square(MeanParameter).div(Concentration), TensorArithmetic.One).MoveToOuterDisposeScope();
        }
    }
}
