using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The Poisson distribution on the counts 0, 1, 2, … with mean <c>rate</c> (≥ 0; a negative rate gives −∞).</summary>
public sealed class Poisson : Distribution, IDistributionMoments
{
    /// <param name="rate">The mean λ ≥ 0.</param>
    public Poisson(Tensor rate)
    {
        Rate = rate;
    }

    /// <summary>The mean λ.</summary>
    public Tensor Rate { get; }

    /// <inheritdoc/>
    public override Support Support => Support.NonNegativeInteger;

    /// <summary>Draws are integers: no gradient flows through them.</summary>
    public override bool IsReparameterized => false;

    /// <summary>k log λ − λ − log k! (k log λ read as 0 at k = 0, so λ = 0 gives probability 1 to k = 0).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var k = DiscreteMath.AsReal(value, DiscreteMath.RealTypeOf(Rate));
        var inside = DiscreteMath.IsCount(k);
        var valid = Rate.ge(ConstantScalars.Of(0.0));
        var rate = DiscreteMath.Safe(Rate, valid, 1.0);
        var safeK = DiscreteMath.Safe(k, inside, 0.0);
        var result = DiscreteMath.XLogY(safeK, rate).sub(rate).sub(safeK.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma());
        return SupportMask.Apply(result, inside.logical_and(valid)).MoveToOuterDisposeScope();
    }

    /// <summary>Exact inversion (one slot, see <see cref="PoissonInversionSampler"/>).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rate = Rate.detach();
        DiscreteMath.RequireForSampling(rate.ge(ConstantScalars.Of(0.0)), rate, "Poisson", "the rate must be non-negative");
        return PoissonInversionSampler.Sample(rate, DiscreteMath.Uniform64(stream)).MoveToOuterDisposeScope();
    }

    /// <summary>λ.</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Rate.clone().MoveToOuterDisposeScope();
        }
    }

    /// <summary>λ.</summary>
    public Tensor Variance => Mean;
}
