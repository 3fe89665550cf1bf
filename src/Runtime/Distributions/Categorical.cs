using Ppl.Runtime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The categorical distribution on 0 … K − 1, given by a probability vector along the last axis of <c>probs</c> or by
/// unnormalised log-probabilities <c>logits</c> (exactly one). Values are <c>int</c>, one per row of the parameter. A
/// row of probs that is not a probability vector (an entry outside [0, 1], or a sum further than
/// <see cref="DiscreteMath.SimplexTolerance"/> from 1) gives −∞.
/// </summary>
public sealed class Categorical : Distribution
{
    /// <param name="probs">[..., K] probability vectors, or null when <paramref name="logits"/> is given.</param>
    /// <param name="logits">[..., K] log-probabilities up to a constant per row, or null when <paramref name="probs"/> is given.</param>
    public Categorical(Tensor? probs, Tensor? logits)
    {
        if ((probs is null) == (logits is null))
            throw new ArgumentException("Categorical takes exactly one of probs and logits.");
        var parameter = probs ?? logits!;
        if (parameter.dim() < 1) throw new ArgumentException("A categorical's parameter has the categories on its last axis.");
        Probs = probs;
        Logits = logits;
    }

    /// <summary>The probability vectors, when given that way.</summary>
    public Tensor? Probs { get; }

    /// <summary>The logits, when given that way.</summary>
    public Tensor? Logits { get; }

    /// <summary>K, the number of categories.</summary>
    public long Categories => (Probs ?? Logits!).shape[^1];

    /// <inheritdoc/>
    public override Support Support => Support.NonNegativeInteger;

    /// <summary>Draws are integers: no gradient flows through them.</summary>
    public override bool IsReparameterized => false;

    /// <summary>log p_k of the row (from logits: log_softmax).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var (logP, valid) = LogProbabilities();
        var k = DiscreteMath.AsReal(value, logP.dtype);
        using var last = ((double)(Categories - 1)).ToScalar();
        var inside = DiscreteMath.IsCount(k).logical_and(k.le(last));
        var index = DiscreteMath.Safe(k, inside, 0.0).to_type(ScalarType.Int64);
        var shape = broadcast_shapes(index.shape, logP.shape[..^1]).ToArray();
        var rows = logP.expand([.. shape, Categories]);
        var result = rows.gather(-1, index.expand(shape).unsqueeze(-1)).squeeze(-1);
        return SupportMask.Apply(result, inside.logical_and(valid)).MoveToOuterDisposeScope();
    }

    /// <summary>The category whose cumulative probability first exceeds a uniform (one slot).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor weights;
        if (Probs is { } p)
        {
            DiscreteMath.RequireForSampling(DiscreteMath.IsSimplex(p.detach()), p.detach().sum(-1), "Categorical",
                "each row of probs must be a probability vector (entries in [0, 1] summing to 1; the value shown is a row's sum)");
            weights = p.detach();
        }
        else
        {
            var l = Logits!.detach();
            DiscreteMath.RequireForSampling(l.isnan().any(-1).logical_not(), l.sum(-1), "Categorical", "logits must be numbers");
            weights = l.softmax(-1);
        }
        return DiscreteMath.InverseCdfIndex(weights, DiscreteMath.Uniform64(stream)).MoveToOuterDisposeScope();
    }

    /// <summary>log p of every category, [..., K], and which rows are valid, [...].</summary>
    internal (Tensor LogP, Tensor Valid) LogProbabilities()
    {
        using var scope = NewDisposeScope();
        Tensor logP, valid;
        if (Logits is { } l)
        {
            valid = l.isnan().any(-1).logical_not();
            logP = DiscreteMath.Safe(l, valid.unsqueeze(-1), 0.0).log_softmax(-1);
        }
        else
        {
            valid = DiscreteMath.IsSimplex(Probs!);
            var safe = DiscreteMath.Safe(Probs!, valid.unsqueeze(-1), 1.0);
            var used = safe.gt(ConstantScalars.Of(0.0));
            // log 0 = −∞ is the right answer for an impossible category; the stand-in keeps its gradient finite.
            logP = where(used, where(used, safe, ones_like(safe)).log(), full_like(safe, ConstantScalars.Of(double.NegativeInfinity)));
        }
        return (logP.MoveToOuterDisposeScope(), valid.MoveToOuterDisposeScope());
    }
}
