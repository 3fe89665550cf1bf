using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// What the compiler needs to know about a distribution the language can name: its parameters in positional order,
/// its event rank and support, whether draws are reparameterised, and the runtime type the generated code constructs
/// (its constructor takes the parameters in this order, null for an absent optional one).
/// </summary>
/// <param name="Name">The language name, e.g. <c>TruncatedNormal</c>.</param>
/// <param name="Parameters">Parameters in positional order.</param>
/// <param name="EventRank">Trailing dimensions of a value that form one draw.</param>
/// <param name="Support">How the support follows from the arguments.</param>
/// <param name="IsReparameterized">Whether draws are differentiable in the parameters.</param>
/// <param name="TypeName">Full name of the runtime class, e.g. <c>Ppl.Runtime.Distributions.Normal</c>.</param>
/// <param name="Create">Builds the distribution from arguments in parameter order (null for an absent optional one).</param>
public sealed record DistributionSignature(
    string Name,
    IReadOnlyList<DistributionParameter> Parameters,
    int EventRank,
    SupportRule Support,
    bool IsReparameterized,
    string TypeName,
    Func<IReadOnlyList<Tensor?>, Distribution> Create)
{
    /// <summary>Optional parameters of which a call must give exactly one (Bernoulli's probs or logits); empty for most.</summary>
    public IReadOnlyList<string> ExactlyOneOf { get; init; } = [];

    /// <summary>Whether the values are integers (the support is a set of counts).</summary>
    public bool IsDiscrete => Distributions.Support.IsDiscreteKind(Support.Kind);

    /// <summary>The parameter called <paramref name="name"/>, or null.</summary>
    public DistributionParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
