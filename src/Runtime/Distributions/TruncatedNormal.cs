using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// A normal N(loc, scale²) restricted to [lower, upper]; either bound may be absent (null = unbounded on that side).
/// The normaliser Z = Φ(β) − Φ(α), with α, β the standardised bounds, is computed in log space on whichever side of
/// zero keeps it accurate, so truncations far in a tail (lower = loc + 40·scale) keep finite, correct densities.
/// </summary>
public sealed class TruncatedNormal : Distribution, IDistributionMoments
{
    /// <param name="loc">Location of the parent normal.</param>
    /// <param name="scale">Scale of the parent normal, positive.</param>
    /// <param name="lower">Lower bound, or null for none.</param>
    /// <param name="upper">Upper bound, or null for none; above <paramref name="lower"/> when both are given.</param>
    public TruncatedNormal(Tensor loc, Tensor scale, Tensor? lower = null, Tensor? upper = null)
    {
        Loc = loc;
        Scale = scale;
        Lower = lower;
        Upper = upper;
    }

    /// <summary>Location of the parent normal.</summary>
    public Tensor Loc { get; }

    /// <summary>Scale of the parent normal.</summary>
    public Tensor Scale { get; }

    /// <summary>Lower bound, or null.</summary>
    public Tensor? Lower { get; }

    /// <summary>Upper bound, or null.</summary>
    public Tensor? Upper { get; }

    /// <summary>interval(lower, upper), greater_than(lower), less_than(upper), or real when neither bound is given.</summary>
    public override Support Support => (Lower, Upper) switch
    {
        (not null, not null) => Support.Interval(Lower, Upper),
        (not null, null) => Support.GreaterThan(Lower),
        (null, not null) => Support.LessThan(Upper),
        _ => Support.Real,
    };

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = InsideMask(value);
        var safe = inside is null ? value : SupportMask.Substitute(value, inside, Loc);
        var result = StandardNormalMath.LogPdf(safe.sub(Loc).div(Scale)).sub(Scale.log());
        if (Lower is not null || Upper is not null) result = result.sub(LogNormaliser());
        if (inside is not null) result = SupportMask.Apply(result, inside);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Inverse CDF on the side of the smaller tail (one slot). With Φ(z) = Φ(α) + u Z, the lower-tail mass
    /// p = Φ(α) + u Z and the upper-tail mass q = Q(β) + (1 − u) Z (Q(x) = Φ(−x)) are both formed in log space; z is
    /// found from the smaller of the two (log Φ(z) = log p, or log Φ(−z) = log q), where the inverse is well
    /// conditioned, then clamped to [α, β]. Gradients with respect to the parameters follow the implicit-function rule
    /// dz = d(log p)/(d log Φ(z)/dz), attached to the exact value, so draws are reparameterised.
    /// </summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        if (Lower is null && Upper is null) return Loc.add(Scale.mul(stream.StandardNormal()), TensorArithmetic.One).MoveToOuterDisposeScope();
        var u = StreamDraws.Uniform(stream);

        var alpha = Lower is null ? null : Lower.sub(Loc).div(Scale);
        var beta = Upper is null ? null : Upper.sub(Loc).div(Scale);
        var logZ = StandardNormalMath.LogMassBetween(alpha, beta);
        var logPFromInterval = u.log().add(logZ, TensorArithmetic.One);
        var logQFromInterval = u.neg().log1p().add(logZ, TensorArithmetic.One);
        var logP = alpha is null ? logPFromInterval : StandardNormalMath.LogCdf(alpha).logaddexp(logPFromInterval);
        var logQ = beta is null ? logQFromInterval : StandardNormalMath.LogCdf(beta.neg()).logaddexp(logQFromInterval);

        var lowerSide = logP.le(logQ);
        var logTail = where(lowerSide, logP, logQ);
        var sign = where(lowerSide, ones_like(logTail), full_like(logTail, ConstantScalars.Of(-1.0)));
        var tailDetached = logTail.detach();
        var z0 = StandardNormalMath.InverseLogCdf(tailDetached).mul(sign);
        using (no_grad())
        {
            // Only a degenerate interval (Z = 0) gives a non-finite inverse; fall back to the interval's clamp of 0.
            z0 = where(z0.isfinite(), z0, zeros_like(z0));
            if (alpha is not null) z0 = maximum(z0, alpha.detach());
            if (beta is not null) z0 = minimum(z0, beta.detach());
        }

        // d log Φ(s z)/dz = s·φ(z)/Φ(s z) with s the side's sign; on the chosen side Φ(s z) ≤ ½, so the ratio is
        // bounded below by φ(0)/½ and never degenerate. The added term is zero in value and carries the gradient.
        Tensor slope;
        using (no_grad())
        {
            slope = StandardNormalMath.LogPdf(z0).sub(StandardNormalMath.LogCdf(z0.mul(sign))).exp().mul(sign);
        }
        var z = z0.add(logTail.sub(tailDetached).div(slope), TensorArithmetic.One);
        var draw = Loc.add(Scale.mul(z), TensorArithmetic.One);
        // loc + scale·α can round to just outside the bound it came from.
        if (Lower is not null) draw = maximum(draw, Lower);
        if (Upper is not null) draw = minimum(draw, Upper);
        return draw.MoveToOuterDisposeScope();
    }

    /// <summary>loc + scale·(φ(α) − φ(β))/Z.</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            var (termA, termB, _, _) = MomentTerms();
            return Loc.add(Scale.mul(termA.sub(termB)), TensorArithmetic.One).MoveToOuterDisposeScope();
        }
    }

    /// <summary>scale²·(1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²).</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            var (termA, termB, weightedA, weightedB) = MomentTerms();
            var ratio = termA.sub(termB);
            return TensorArithmetic.Square(Scale).mul(weightedA.sub(weightedB).add(ConstantScalars.Of(1.0), TensorArithmetic.One).sub(TensorArithmetic.Square(ratio))).MoveToOuterDisposeScope();
        }
    }

    private Tensor? InsideMask(Tensor value)
    {
        Tensor? inside = null;
        if (Lower is not null) inside = value.ge(Lower);
        if (Upper is not null)
        {
            var belowUpper = value.le(Upper);
            inside = inside is null ? belowUpper : inside.logical_and(belowUpper);
        }
        return inside;
    }

    private Tensor LogNormaliser()
    {
        var alpha = Lower is null ? null : Lower.sub(Loc).div(Scale);
        var beta = Upper is null ? null : Upper.sub(Loc).div(Scale);
        return StandardNormalMath.LogMassBetween(alpha, beta);
    }

    /// <summary>φ(α)/Z, φ(β)/Z, αφ(α)/Z, βφ(β)/Z, each zero for an absent bound.</summary>
    private (Tensor, Tensor, Tensor, Tensor) MomentTerms()
    {
        var zero = zeros_like(Loc.add(Scale, TensorArithmetic.One));
        if (Lower is null && Upper is null) return (zero, zero, zero, zero);
        var logZ = LogNormaliser();
        Tensor termA = zero, termB = zero, weightedA = zero, weightedB = zero;
        if (Lower is not null)
        {
            var alpha = Lower.sub(Loc).div(Scale);
            termA = StandardNormalMath.LogPdf(alpha).sub(logZ).exp();
            weightedA = alpha.mul(termA);
        }
        if (Upper is not null)
        {
            var beta = Upper.sub(Loc).div(Scale);
            termB = StandardNormalMath.LogPdf(beta).sub(logZ).exp();
            weightedB = beta.mul(termB);
        }
        return (termA, termB, weightedA, weightedB);
    }
}
