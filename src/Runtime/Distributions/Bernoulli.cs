using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The Bernoulli distribution on {0, 1}, given by the probability of 1 or by its log-odds (exactly one of the two).
/// Values are <c>int</c>; a probability outside [0, 1] (or NaN log-odds) gives −∞ (see <see cref="DiscreteMath"/>).
/// </summary>
public sealed class Bernoulli : Distribution, IDistributionMoments
{
    /// <param name="probs">P(1), in [0, 1]; or null when <paramref name="logits"/> is given.</param>
    /// <param name="logits">log(p / (1 − p)); or null when <paramref name="probs"/> is given.</param>
    public Bernoulli(Tensor? probs, Tensor? logits)
    {
        if ((probs is null) == (logits is null))
            throw new ArgumentException("Bernoulli takes exactly one of probs and logits.");
        Probs = probs;
        Logits = logits;
    }

    /// <summary>P(1), when given as a probability.</summary>
    public Tensor? Probs { get; }

    /// <summary>The log-odds, when given that way.</summary>
    public Tensor? Logits { get; }

    private Tensor Parameter => Probs ?? Logits!;

    /// <inheritdoc/>
    public override Support Support => Support.IntegerUpTo(null);

    /// <summary>Draws are integers: no gradient flows through them.</summary>
    public override bool IsReparameterized => false;

    /// <summary>log p for k = 1 and log(1 − p) for k = 0 (from logits: −softplus(−l) and −softplus(l)).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var k = DiscreteMath.AsReal(value, DiscreteMath.RealTypeOf(Parameter));
        var one = k.eq(ConstantScalars.Of(1.0));
        var inside = one.logical_or(k.eq(ConstantScalars.Of(0.0)));
        Tensor result, valid;
        if (Logits is { } l)
        {
            valid = l.isnan().logical_not();
            var safe = DiscreteMath.Safe(l, valid, 0.0);
            result = where(one, TensorArithmetic.Softplus(safe.neg()).neg(), TensorArithmetic.Softplus(safe).neg());
        }
        else
        {
            valid = DiscreteMath.IsProbability(Probs!);
            // A value of probability zero (1 when p = 0, 0 when p = 1) is −∞ with a zero gradient, like a value outside
            // the support; each logarithm sees a stand-in where it is not used, so no 0·∞ reaches the gradient.
            var impossible = where(one, Probs!.eq(ConstantScalars.Of(0.0)), Probs!.eq(ConstantScalars.Of(1.0)));
            var p = DiscreteMath.Safe(Probs!, valid.logical_and(impossible.logical_not()), 0.5);
            var logP = where(one, p, ones_like(p)).log();
            var logQ = where(one, zeros_like(p), p).neg().log1p();
            result = where(one, logP, logQ).masked_fill(impossible, ConstantScalars.Of(double.NegativeInfinity));
        }
        return SupportMask.Apply(result, inside.logical_and(valid)).MoveToOuterDisposeScope();
    }

    /// <summary>1 when a uniform (one slot) falls below p.</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = ProbabilityOfOne();
        DiscreteMath.RequireForSampling(DiscreteMath.IsProbability(p), p, "Bernoulli", "probs must lie in [0, 1]");
        var u = DiscreteMath.Uniform64(stream);
        return u.lt(p.to_type(ScalarType.Float64)).to_type(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    private Tensor ProbabilityOfOne() => Probs is { } p ? p.detach() : Logits!.detach().sigmoid();

    /// <summary>p.</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return (Probs ?? Logits!.sigmoid()).clone().MoveToOuterDisposeScope();
        }
    }

    /// <summary>p(1 − p).</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            var p = Probs ?? Logits!.sigmoid();
            return p.mul(p.neg().add(ConstantScalars.Of(1.0), TensorArithmetic.One)).MoveToOuterDisposeScope();
        }
    }
}
