using Ppl.Compiler.Lowering;
using Ppl.Runtime.Distributions;
using RuntimeSignature = Ppl.Runtime.Distributions.DistributionSignature;

namespace Ppl.Compiler.Semantics;

/// <summary>A parameter of a distribution as the language sees it: its event rank (0 for scalars, 1 for a mean vector,
/// 2 for a scale matrix), whether it may be omitted (with a default value, or null meaning "absent"), and whether it must
/// be positive.</summary>
public sealed record DistributionParameter(string Name, int EventRank = 0, bool Optional = false, double? Default = null, bool Positive = false)
{
    /// <summary>The values the parameter may take (checked at compile time for literals, at binding for data).</summary>
    public ParameterDomain Domain { get; init; } = Positive ? ParameterDomain.Positive : ParameterDomain.Real;
}

/// <summary>The support a distribution's value lives in, with the argument expressions giving its bounds.</summary>
public sealed record SupportInfo(SupportKind Kind, IrExpr? Lower = null, IrExpr? Upper = null);

/// <summary>
/// A distribution of the language, derived from the runtime's <see cref="DistributionCatalog"/> (parameters, event rank,
/// support rule, runtime class — one source of truth), plus what only the language adds: default values for some
/// parameters and a one-line summary for messages.
/// </summary>
public sealed class DistributionSignature
{
    internal DistributionSignature(RuntimeSignature runtime, IReadOnlyDictionary<string, double> defaults, string summary)
    {
        Name = runtime.Name;
        RuntimeClass = runtime.TypeName;
        EventRank = runtime.EventRank;
        Summary = summary;
        Parameters = runtime.Parameters.Select(p => new DistributionParameter(p.Name, p.EventRank,
            p.IsOptional || defaults.ContainsKey(p.Name), defaults.TryGetValue(p.Name, out var d) ? d : null, p.MustBePositive)
        { Domain = p.Domain }).ToList();
        ExactlyOneOf = runtime.ExactlyOneOf;
        IsDiscrete = runtime.IsDiscrete;
        var rule = runtime.Support;
        var names = Parameters.Select(p => p.Name).ToList();
        Support = args =>
        {
            IrExpr? Arg(string? name) => name is null ? null : args[names.IndexOf(name)];
            var upper = Arg(rule.UpperParameter);
            if (upper is null && rule.FixedUpper is double fixedUpper)
                upper = new IrLiteral((long)fixedUpper, TensorType.IntScalar, Dsl.SourceRangeModule.synthetic(runtime.Name));
            return new SupportInfo(rule.KindFor(n => Arg(n) is not null), Arg(rule.LowerParameter), upper);
        };
    }

    /// <summary>Optional parameters of which a call gives exactly one (probs or logits).</summary>
    public IReadOnlyList<string> ExactlyOneOf { get; }

    /// <summary>Whether the values are integers (declared <c>int</c>).</summary>
    public bool IsDiscrete { get; }

    /// <summary>Whether this is <c>Mixture</c> (a list of components) or <c>MixtureSameFamily</c> (one batched component).</summary>
    public bool IsMixture => Name is "Mixture" or "MixtureSameFamily";

    /// <summary>The improper flat prior (no normalising constant, no draws).</summary>
    public bool IsFlat => Name == "Flat";

    public string Name { get; }

    public IReadOnlyList<DistributionParameter> Parameters { get; }

    public int EventRank { get; }

    /// <summary>The support for given arguments (in parameter order, null where omitted).</summary>
    public Func<IReadOnlyList<IrExpr?>, SupportInfo> Support { get; }

    public string Summary { get; }

    /// <summary>The runtime class the generated code constructs, e.g. Ppl.Runtime.Distributions.Normal.</summary>
    public string RuntimeClass { get; }

    public override string ToString() => Name;
}

/// <summary>The distributions of the language.</summary>
public static class Distributions
{
    private static readonly Dictionary<string, string> Summaries = new()
    {
        ["Normal"] = "Normal(loc, scale): the Gaussian.",
        ["LogNormal"] = "LogNormal(loc, scale): exp of a Normal(loc, scale).",
        ["Uniform"] = "Uniform(low, high) on the open interval.",
        ["TruncatedNormal"] = "TruncatedNormal(loc, scale, lower = a, upper = b): a Normal restricted to [a, b] (either bound optional).",
        ["HalfNormal"] = "HalfNormal(scale): |Normal(0, scale)|.",
        ["HalfCauchy"] = "HalfCauchy(scale): |Cauchy(0, scale)|.",
        ["Exponential"] = "Exponential(rate).",
        ["Gamma"] = "Gamma(concentration, rate): mean concentration / rate.",
        ["Beta"] = "Beta(alpha, beta) on (0, 1).",
        ["Cauchy"] = "Cauchy(loc, scale).",
        ["StudentT"] = "StudentT(df, loc = 0, scale = 1).",
        ["MultivariateNormal"] = "MultivariateNormal(loc, scale_tril): mean vector and lower Cholesky factor of the covariance.",
        ["Bernoulli"] = "Bernoulli(probs) or Bernoulli(logits = l): int values 0 or 1.",
        ["Binomial"] = "Binomial(total_count, probs) or Binomial(total_count, logits = l): int values 0 … total_count.",
        ["Poisson"] = "Poisson(rate): int counts with mean rate ≥ 0.",
        ["NegativeBinomial"] = "NegativeBinomial(mean, concentration): int counts with variance mean + mean² / concentration.",
        ["Categorical"] = "Categorical(probs) or Categorical(logits = l), categories on the last axis: int values 0 … K − 1.",
        ["Flat"] = "Flat(lower = a, upper = b): the improper flat prior (bounds optional); explicit inference only.",
        ["Mixture"] = "Mixture(weights, [component, ...]): weights real[K] summing to 1 and K scalar distributions.",
        ["MixtureSameFamily"] = "MixtureSameFamily(weights, component): one distribution whose arguments end in the K components' axis.",
    };

    /// <summary>Parameters the language lets users omit, with their values.</summary>
    private static readonly Dictionary<string, Dictionary<string, double>> Defaults = new()
    {
        ["StudentT"] = new() { ["loc"] = 0.0, ["scale"] = 1.0 },
    };

    public static readonly IReadOnlyList<DistributionSignature> All = DistributionCatalog.All.Concat(DistributionCatalog.Combinators)
        .Select(r => new DistributionSignature(r, Defaults.TryGetValue(r.Name, out var d) ? d : new Dictionary<string, double>(),
            Summaries.TryGetValue(r.Name, out var s) ? s : r.Name))
        .ToList();

    private static readonly Dictionary<string, DistributionSignature> ByName = All.ToDictionary(d => d.Name);

    public static DistributionSignature? Find(string name) => ByName.TryGetValue(name, out var d) ? d : null;
}
