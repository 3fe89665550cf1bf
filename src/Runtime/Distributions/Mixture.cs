using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// A finite mixture Σ_k w_k p_k(x) of K component distributions (any families with the same kind of values), with
/// weights w along the last axis of <c>weights</c>. log p(x) = logsumexp_k(log w_k + log p_k(x)); a draw picks a
/// component by its weight (one slot) and takes that component's draw (every component draws, each with its own slots,
/// so the numbers do not depend on which one is picked). Weights that are not a probability vector give −∞.
/// </summary>
public sealed class Mixture : Distribution
{
    /// <param name="weights">[..., K] probability vectors.</param>
    /// <param name="components">The K components, scalar distributions whose parameters broadcast against the value.</param>
    public Mixture(Tensor weights, IReadOnlyList<Distribution> components)
    {
        if (components.Count == 0) throw new ArgumentException("A mixture needs at least one component.", nameof(components));
        if (weights.dim() < 1 || weights.shape[^1] != components.Count)
            throw new ArgumentException($"A mixture of {components.Count} components needs weights [..., {components.Count}].", nameof(weights));
        if (components.Any(c => c.EventRank != 0)) throw new ArgumentException("Mixture components must be scalar distributions.", nameof(components));
        Weights = weights;
        Components = components;
    }

    /// <summary>The weights, [..., K].</summary>
    public Tensor Weights { get; }

    /// <summary>The components.</summary>
    public IReadOnlyList<Distribution> Components { get; }

    /// <summary>The first component's (the compiler requires the same support of every component of a prior).</summary>
    public override Support Support => Components[0].Support;

    /// <summary>The component index is discrete: no gradient flows through draws.</summary>
    public override bool IsReparameterized => false;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var parts = broadcast_tensors(Components.Select(c => c.LogProb(value)).ToArray());
        var componentLogProbs = stack(parts, -1);
        return MixtureMath.LogSumExp(Weights, componentLogProbs).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var index = MixtureMath.DrawIndex(Weights.detach(), stream, "Mixture");
        var draws = Components.Select(c => c.Sample(stream).broadcast_to(stream.Shape)).ToArray();
        var all = stack(draws, -1);
        return all.gather(-1, index.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A mixture of K members of one family given as a single distribution whose parameters carry the components on their
/// last axis (NumPyro's MixtureSameFamily): <c>MixtureSameFamily(w, Normal(mu, sigma))</c> with mu, sigma [..., K].
/// The value has the component's shape without that axis. log p(x) = logsumexp_k(log w_k + log p(x | component k));
/// a draw takes one uniform slot for the index and one slot of the stream for the components (drawn over [..., K]).
/// </summary>
public sealed class MixtureSameFamily : Distribution
{
    /// <param name="weights">[..., K] probability vectors.</param>
    /// <param name="component">A scalar distribution whose parameters end in the axis of K components.</param>
    public MixtureSameFamily(Tensor weights, Distribution component)
    {
        if (component.EventRank != 0) throw new ArgumentException("The component family must be a scalar distribution.", nameof(component));
        Weights = weights;
        Component = component;
    }

    /// <summary>The weights, [..., K].</summary>
    public Tensor Weights { get; }

    /// <summary>The batched component.</summary>
    public Distribution Component { get; }

    /// <summary>The component family's support (the compiler allows only a fixed one for priors).</summary>
    public override Support Support => Component.Support;

    /// <summary>The component index is discrete: no gradient flows through draws.</summary>
    public override bool IsReparameterized => false;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var componentLogProbs = Component.LogProb(value.unsqueeze(-1));
        return MixtureMath.LogSumExp(Weights, componentLogProbs).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var index = MixtureMath.DrawIndex(Weights.detach(), stream, "MixtureSameFamily");
        long k = Weights.shape[^1];
        var draws = Component.Sample(stream.WithTrailingAxis(k)).broadcast_to([.. stream.Shape, k]);
        return draws.gather(-1, index.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}

/// <summary>The log-sum-exp and the index draw both mixtures share.</summary>
internal static class MixtureMath
{
    /// <summary>logsumexp over the last axis of log w + the components' log densities [..., K]; −∞ where the weights'
    /// row is not a probability vector.</summary>
    public static Tensor LogSumExp(Tensor weights, Tensor componentLogProbs)
    {
        using var scope = NewDisposeScope();
        var valid = DiscreteMath.IsSimplex(weights);
        var safe = DiscreteMath.Safe(weights, valid.unsqueeze(-1), 1.0);
        var used = safe.gt(ConstantScalars.Of(0.0));
        var logW = where(used, where(used, safe, ones_like(safe)).log(), full_like(safe, ConstantScalars.Of(double.NegativeInfinity)));
        var terms = logW.add(componentLogProbs.to_type(logW.dtype), TensorArithmetic.One);
        var result = terms.logsumexp(-1);
        return SupportMask.Apply(result, valid.expand_as(result)).MoveToOuterDisposeScope();
    }

    /// <summary>The component of each element, int64 of the stream's shape (one slot).</summary>
    public static Tensor DrawIndex(Tensor weights, RandomStream stream, string distribution)
    {
        using var scope = NewDisposeScope();
        DiscreteMath.RequireForSampling(DiscreteMath.IsSimplex(weights), weights.sum(-1), distribution,
            "each row of weights must be a probability vector (entries in [0, 1] summing to 1; the value shown is a row's sum)");
        return DiscreteMath.InverseCdfIndex(weights, DiscreteMath.Uniform64(stream)).MoveToOuterDisposeScope();
    }
}
