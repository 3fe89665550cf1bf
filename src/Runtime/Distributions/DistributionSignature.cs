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

    /// <summary>
    /// Matches <paramref name="positionalCount"/> positional arguments followed by named ones (names in call order) to
    /// the parameters; every problem is reported, none is thrown.
    /// </summary>
    public ArgumentBinding Bind(int positionalCount, IReadOnlyList<string> namedArguments)
    {
        var slots = new int?[Parameters.Count];
        var errors = new List<ArgumentBindingError>();
        for (int i = 0; i < positionalCount; i++)
        {
            if (i < Parameters.Count) slots[i] = i;
            else
                errors.Add(new(ArgumentBindingErrorKind.TooManyPositional,
                    $"{Name} takes at most {Parameters.Count} argument{(Parameters.Count == 1 ? "" : "s")}, but {positionalCount} were given positionally.",
                    i, null));
        }
        for (int j = 0; j < namedArguments.Count; j++)
        {
            int argument = positionalCount + j;
            string name = namedArguments[j];
            int index = IndexOf(name);
            if (index < 0)
            {
                errors.Add(new(ArgumentBindingErrorKind.UnknownParameter,
                    $"{Name} has no parameter '{name}'; its parameters are {string.Join(", ", Parameters.Select(p => p.Name))}.",
                    argument, name));
            }
            else if (slots[index] is not null)
            {
                errors.Add(new(ArgumentBindingErrorKind.DuplicateArgument,
                    $"{Name}: parameter '{name}' is given more than once.", argument, name));
            }
            else slots[index] = argument;
        }
        for (int k = 0; k < Parameters.Count; k++)
        {
            if (slots[k] is null && !Parameters[k].IsOptional)
                errors.Add(new(ArgumentBindingErrorKind.MissingArgument,
                    $"{Name}: missing argument for parameter '{Parameters[k].Name}'.", null, Parameters[k].Name));
        }
        if (ExactlyOneOf.Count > 0 && ExactlyOneOf.Count(n => slots[IndexOf(n)] is not null) != 1)
            errors.Add(new(ArgumentBindingErrorKind.MissingArgument,
                $"{Name}: give exactly one of {string.Join(", ", ExactlyOneOf)}.", null, ExactlyOneOf[0]));
        return new ArgumentBinding(slots, errors);
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < Parameters.Count; i++)
            if (Parameters[i].Name == name) return i;
        return -1;
    }
}
