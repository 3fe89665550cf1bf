using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The binomial distribution: successes in <c>total_count</c> trials of probability p, given as a probability or as
/// log-odds (exactly one). Values are <c>int</c> in 0 … total_count. A total count that is not a whole number ≥ 0, or a
/// probability outside [0, 1], gives −∞ (see <see cref="DiscreteMath"/>).
/// </summary>
public sealed class Binomial : Distribution, IDistributionMoments
{
    /// <summary>Widest window of counts the sampler sums over (about 20 standard deviations): n·p·(1 − p) up to 10^7.</summary>
    public const long MaxWindow = 1L << 16;

    /// <param name="totalCount">The number of trials n, a whole number ≥ 0.</param>
    /// <param name="probs">The success probability, or null when <paramref name="logits"/> is given.</param>
    /// <param name="logits">The success log-odds, or null when <paramref name="probs"/> is given.</param>
    public Binomial(Tensor totalCount, Tensor? probs, Tensor? logits)
    {
        if ((probs is null) == (logits is null))
            throw new ArgumentException("Binomial takes exactly one of probs and logits.");
        TotalCount = totalCount;
        Probs = probs;
        Logits = logits;
    }

    /// <summary>The number of trials n.</summary>
    public Tensor TotalCount { get; }

    /// <summary>The success probability, when given that way.</summary>
    public Tensor? Probs { get; }

    /// <summary>The success log-odds, when given that way.</summary>
    public Tensor? Logits { get; }

    /// <inheritdoc/>
    public override Support Support => Support.IntegerUpTo(TotalCount);

    /// <summary>Draws are integers: no gradient flows through them.</summary>
    public override bool IsReparameterized => false;

    /// <summary>log C(n, k) + k log p + (n − k) log(1 − p); from logits, log C(n, k) + k·l − n·softplus(l).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var dtype = DiscreteMath.RealTypeOf(Probs ?? Logits!);
        var n = DiscreteMath.AsReal(TotalCount, dtype);
        var k = DiscreteMath.AsReal(value, dtype);
        var validN = DiscreteMath.IsCount(n);
        var safeN = DiscreteMath.Safe(n, validN, 0.0);
        var inside = DiscreteMath.IsCount(k).logical_and(k.le(safeN));
        var safeK = DiscreteMath.Safe(k, inside, 0.0);
        var rest = safeN.sub(safeK);
        var logChoose = safeN.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma()
            .sub(safeK.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma())
            .sub(rest.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma());
        Tensor result, valid;
        if (Logits is { } l)
        {
            valid = validN.logical_and(l.isnan().logical_not());
            var safe = DiscreteMath.Safe(l, l.isnan().logical_not(), 0.0);
            result = logChoose.add(safeK.mul(safe), TensorArithmetic.One).sub(safeN.mul(TensorArithmetic.Softplus(safe)));
        }
        else
        {
            var probability = DiscreteMath.IsProbability(Probs!);
            valid = validN.logical_and(probability);
            var p = DiscreteMath.Safe(Probs!, probability, 0.5);
            var q = p.neg().add(ConstantScalars.Of(1.0), TensorArithmetic.One);
            result = logChoose.add(DiscreteMath.XLogY(safeK, p), TensorArithmetic.One).add(DiscreteMath.XLogY(rest, q), TensorArithmetic.One);
        }
        return SupportMask.Apply(result, inside.logical_and(valid)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Inversion over a window of counts (one slot): for each element, the probabilities of the counts lo … lo + W − 1
    /// (lo = max(0, ⌊np − 10σ − 10⌋), σ² = np(1 − p), W the batch's widest window of 20σ + 22 counts, cut at n) are
    /// summed in float64, and the draw is lo plus the number of partial sums below u times their total. The mass
    /// outside the window is below 1e-20. W is at most <see cref="MaxWindow"/>; wider (n·p·(1 − p) above about 10^7)
    /// stops the simulation with PPL0490.
    /// </summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = (Probs ?? Logits!.sigmoid()).detach();
        var n = TotalCount.detach();
        DiscreteMath.RequireForSampling(DiscreteMath.IsProbability(p), p, "Binomial", "probs must lie in [0, 1]");
        DiscreteMath.RequireForSampling(DiscreteMath.IsCount(n.to_type(ScalarType.Float64)), n, "Binomial", "total_count must be a whole number ≥ 0");
        var u = DiscreteMath.Uniform64(stream);
        var p64 = p.to_type(ScalarType.Float64).broadcast_to(u.shape);
        var n64 = n.to_type(ScalarType.Float64).broadcast_to(u.shape);
        var mean = n64.mul(p64);
        var sd = mean.mul(p64.neg().add(ConstantScalars.Of(1.0), TensorArithmetic.One)).sqrt();
        var lo = mean.sub(sd.mul(ConstantScalars.Of(10.0))).sub(ConstantScalars.Of(10.0)).floor().clamp_min(ConstantScalars.Of(0.0));
        double widestSd = sd.numel() == 0 ? 0.0 : sd.max().item<double>();
        double largestN = n64.numel() == 0 ? 0.0 : n64.max().item<double>();
        long window = (long)Math.Min(largestN + 1.0, Math.Ceiling(20.0 * widestSd) + 22.0);
        if (window > MaxWindow)
            throw new Models.ModelDomainException(
                $"Binomial: drawing needs total_count·p·(1 − p) at most about 1e7, but it is {widestSd * widestSd:G6}");
        var offsets = ones(window, ScalarType.Float64, u.device).cumsum(0).sub(ConstantScalars.Of(1.0));
        var counts = lo.unsqueeze(-1).add(offsets, TensorArithmetic.One);
        var inRange = counts.le(n64.unsqueeze(-1));
        var safeCounts = where(inRange, counts, zeros_like(counts));
        var nn = n64.unsqueeze(-1);
        var pp = p64.unsqueeze(-1);
        var rest = nn.sub(safeCounts);
        var logPmf = nn.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma()
            .sub(safeCounts.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma())
            .sub(rest.add(ConstantScalars.Of(1.0), TensorArithmetic.One).lgamma())
            .add(DiscreteMath.XLogY(safeCounts, pp), TensorArithmetic.One)
            .add(DiscreteMath.XLogY(rest, pp.neg().add(ConstantScalars.Of(1.0), TensorArithmetic.One)), TensorArithmetic.One);
        var pmf = where(inRange, logPmf.exp(), zeros_like(logPmf));
        var index = DiscreteMath.InverseCdfIndex(pmf, u);
        return lo.to_type(ScalarType.Int64).add(index, TensorArithmetic.One).MoveToOuterDisposeScope();
    }

    /// <summary>np.</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return TotalCount.mul(Probs ?? Logits!.sigmoid()).MoveToOuterDisposeScope();
        }
    }

    /// <summary>np(1 − p).</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            var p = Probs ?? Logits!.sigmoid();
            return TotalCount.mul(p).mul(p.neg().add(ConstantScalars.Of(1.0), TensorArithmetic.One)).MoveToOuterDisposeScope();
        }
    }
}
