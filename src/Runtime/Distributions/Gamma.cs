using TorchSharp;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The gamma distribution with shape (concentration) α and rate β; support x &gt; 0.</summary>
public sealed class Gamma : Distribution, IDistributionMoments
{
    /// <param name="concentration">Shape α, positive.</param>
    /// <param name="rate">Rate β (inverse scale), positive.</param>
    public Gamma(Tensor concentration, Tensor rate)
    {
        Concentration = concentration;
        Rate = rate;
    }

    /// <summary>Shape α.</summary>
    public Tensor Concentration { get; }

    /// <summary>Rate β.</summary>
    public Tensor Rate { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Positive;

    /// <summary>Draws carry no gradient: the rejection sampler is not a differentiable function of α.</summary>
    public override bool IsReparameterized => false;

    /// <summary>α log β − log Γ(α) + (α − 1) log x − β x.</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.gt(ConstantScalars.Of(0.0));
        var safe = SupportMask.Substitute(value, inside, 1.0);
        var result = Concentration.mul(Rate.log())
            .sub(Concentration.lgamma())
            .add(Concentration.sub(ConstantScalars.Of(1.0)).mul(safe.log()), TensorArithmetic.One)
            .sub(Rate.mul(safe));
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Marsaglia–Tsang with a fixed number of proposals (four slots, see <see cref="MarsagliaTsangSampler"/>), divided by
    /// the rate. Draws that underflow (possible for α far below one) are raised to the smallest normal number so they
    /// stay inside the support.
    /// </summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logGamma = MarsagliaTsangSampler.SampleLog(Concentration, stream);
        var draw = logGamma.sub(Rate.detach().log()).exp();
        using var keptScalar20 = (finfo(draw.dtype).tiny).ToScalar();
        return draw.clamp_min(keptScalar20).MoveToOuterDisposeScope();
    }

    /// <summary>α/β.</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Concentration.div(Rate).MoveToOuterDisposeScope();
        }
    }

    /// <summary>α/β².</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return Concentration.div(TensorArithmetic.Square(Rate)).MoveToOuterDisposeScope();
        }
    }
}
