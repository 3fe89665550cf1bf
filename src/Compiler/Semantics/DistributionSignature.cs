using Ppl.Compiler.Lowering;
using Ppl.Runtime.Distributions;

namespace Ppl.Compiler.Semantics;

/// <summary>A parameter of a distribution: its event rank (0 for scalars, 1 for a mean vector, 2 for a scale matrix),
/// whether it may be omitted (with a default value, or null meaning "absent"), and whether it must be positive.</summary>
public sealed record DistributionParameter(string Name, int EventRank = 0, bool Optional = false, double? Default = null, bool Positive = false);

/// <summary>The support a distribution's value lives in, with the argument expressions giving its bounds.</summary>
public sealed record SupportInfo(SupportKind Kind, IrExpr? Lower = null, IrExpr? Upper = null);

/// <summary>A distribution of the language: parameters, event rank, support rule, and the runtime class it constructs
/// (constructor arguments in parameter order; an absent optional parameter without default is passed as null).</summary>
public sealed class DistributionSignature(
    string name,
    IReadOnlyList<DistributionParameter> parameters,
    Func<IReadOnlyList<IrExpr?>, SupportInfo> support,
    string summary,
    int eventRank = 0)
{
    public string Name { get; } = name;

    public IReadOnlyList<DistributionParameter> Parameters { get; } = parameters;

    public int EventRank { get; } = eventRank;

    public Func<IReadOnlyList<IrExpr?>, SupportInfo> Support { get; } = support;

    public string Summary { get; } = summary;

    /// <summary>The runtime class, e.g. Ppl.Runtime.Distributions.Normal.</summary>
    public string RuntimeClass => "Ppl.Runtime.Distributions." + Name;

    public override string ToString() => Name;
}

/// <summary>The distributions of the language.</summary>
public static class Distributions
{
    private static SupportInfo Real(IReadOnlyList<IrExpr?> _) => new(SupportKind.Real);

    private static SupportInfo Positive(IReadOnlyList<IrExpr?> _) => new(SupportKind.Positive);

    private static readonly DistributionParameter Loc = new("loc");
    private static readonly DistributionParameter Scale = new("scale", Positive: true);

    public static readonly IReadOnlyList<DistributionSignature> All = new DistributionSignature[]
    {
        new("Normal", new[] { Loc, Scale }, Real, "Normal(loc, scale): the Gaussian."),
        new("LogNormal", new[] { Loc, Scale }, Positive, "LogNormal(loc, scale): exp of a Normal(loc, scale)."),
        new("Uniform", new[] { new DistributionParameter("low"), new DistributionParameter("high") },
            a => new SupportInfo(SupportKind.Interval, a[0], a[1]), "Uniform(low, high) on the open interval."),
        new("TruncatedNormal", new[] { Loc, Scale, new DistributionParameter("lower", Optional: true), new DistributionParameter("upper", Optional: true) },
            a => (a[2], a[3]) switch
            {
                (not null, not null) => new SupportInfo(SupportKind.Interval, a[2], a[3]),
                (not null, null) => new SupportInfo(SupportKind.GreaterThan, a[2]),
                (null, not null) => new SupportInfo(SupportKind.LessThan, null, a[3]),
                _ => new SupportInfo(SupportKind.Real),
            },
            "TruncatedNormal(loc, scale, lower = a, upper = b): a Normal restricted to [a, b] (either bound optional)."),
        new("HalfNormal", new[] { Scale }, Positive, "HalfNormal(scale): |Normal(0, scale)|."),
        new("HalfCauchy", new[] { Scale }, Positive, "HalfCauchy(scale): |Cauchy(0, scale)|."),
        new("Exponential", new[] { new DistributionParameter("rate", Positive: true) }, Positive, "Exponential(rate)."),
        new("Gamma", new[] { new DistributionParameter("concentration", Positive: true), new DistributionParameter("rate", Positive: true) },
            Positive, "Gamma(concentration, rate): mean concentration / rate."),
        new("Beta", new[] { new DistributionParameter("alpha", Positive: true), new DistributionParameter("beta", Positive: true) },
            _ => new SupportInfo(SupportKind.UnitInterval), "Beta(alpha, beta) on (0, 1)."),
        new("Cauchy", new[] { Loc, Scale }, Real, "Cauchy(loc, scale)."),
        new("StudentT", new[] { new DistributionParameter("df", Positive: true), new DistributionParameter("loc", Optional: true, Default: 0.0),
                new DistributionParameter("scale", Optional: true, Default: 1.0, Positive: true) },
            Real, "StudentT(df, loc = 0, scale = 1)."),
        new("MultivariateNormal", new[] { new DistributionParameter("loc", EventRank: 1), new DistributionParameter("scale_tril", EventRank: 2) },
            Real, "MultivariateNormal(loc, scale_tril): mean vector and lower Cholesky factor of the covariance.", eventRank: 1),
    };

    private static readonly Dictionary<string, DistributionSignature> ByName = All.ToDictionary(d => d.Name);

    public static DistributionSignature? Find(string name) => ByName.TryGetValue(name, out var d) ? d : null;
}
