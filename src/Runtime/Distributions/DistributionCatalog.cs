using System.Collections.Frozen;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Every distribution the language can name, with its parameters, event rank and support (plain data; the compiler
/// checks calls against it and the generated code calls the constructors directly).
/// </summary>
public static class DistributionCatalog
{
    private static readonly DistributionParameter Loc = new("loc");
    private static readonly DistributionParameter Scale = new("scale", ParameterDomain.Positive);
    private static readonly DistributionParameter Probs = new("probs", ParameterDomain.Probability, IsOptional: true);
    private static readonly DistributionParameter Logits = new("logits", IsOptional: true);

    /// <summary>
    /// Distributions built from other distributions: <c>Mixture(weights, [d1, d2, ...])</c> and
    /// <c>MixtureSameFamily(weights, d)</c>. They are not in <see cref="All"/> (their components are not tensors, so
    /// <see cref="DistributionSignature.Create"/> cannot build them); the compiler checks them itself and the generated
    /// code calls their constructors.
    /// </summary>
    public static IReadOnlyList<DistributionSignature> Combinators { get; } =
    [
        new("Mixture", [new("weights", ParameterDomain.Simplex, EventRank: 1), new("components")], 0,
            SupportRule.Fixed(SupportKind.Real), false, typeof(Mixture).FullName!,
            _ => throw new InvalidOperationException("A mixture is built from its components, not from tensors.")),
        new("MixtureSameFamily", [new("weights", ParameterDomain.Simplex, EventRank: 1), new("component")], 0,
            SupportRule.Fixed(SupportKind.Real), false, typeof(MixtureSameFamily).FullName!,
            _ => throw new InvalidOperationException("A mixture is built from its component, not from tensors.")),
    ];

    /// <summary>All signatures, in a fixed order.</summary>
    public static IReadOnlyList<DistributionSignature> All { get; } =
    [
        Scalar("Normal", [Loc, Scale], SupportRule.Fixed(SupportKind.Real), true, typeof(Normal),
            a => new Normal(a[0]!, a[1]!)),
        Scalar("LogNormal", [Loc, Scale], SupportRule.Fixed(SupportKind.Positive), true, typeof(LogNormal),
            a => new LogNormal(a[0]!, a[1]!)),
        Scalar("Uniform", [new("low"), new("high")], SupportRule.Bounded("low", "high"), true, typeof(Uniform),
            a => new Uniform(a[0]!, a[1]!)),
        Scalar("TruncatedNormal",
            [Loc, Scale, new("lower", IsOptional: true), new("upper", IsOptional: true)],
            SupportRule.Bounded("lower", "upper"), true, typeof(TruncatedNormal),
            a => new TruncatedNormal(a[0]!, a[1]!, a[2], a[3])),
        Scalar("HalfNormal", [Scale], SupportRule.Fixed(SupportKind.Positive), true, typeof(HalfNormal),
            a => new HalfNormal(a[0]!)),
        Scalar("HalfCauchy", [Scale], SupportRule.Fixed(SupportKind.Positive), true, typeof(HalfCauchy),
            a => new HalfCauchy(a[0]!)),
        Scalar("Exponential", [new("rate", ParameterDomain.Positive)], SupportRule.Fixed(SupportKind.Positive), true,
            typeof(Exponential), a => new Exponential(a[0]!)),
        Scalar("Gamma", [new("concentration", ParameterDomain.Positive), new("rate", ParameterDomain.Positive)],
            SupportRule.Fixed(SupportKind.Positive), false, typeof(Gamma), a => new Gamma(a[0]!, a[1]!)),
        Scalar("Beta", [new("alpha", ParameterDomain.Positive), new("beta", ParameterDomain.Positive)],
            SupportRule.Fixed(SupportKind.UnitInterval), false, typeof(Beta), a => new Beta(a[0]!, a[1]!)),
        Scalar("Cauchy", [Loc, Scale], SupportRule.Fixed(SupportKind.Real), true, typeof(Cauchy),
            a => new Cauchy(a[0]!, a[1]!)),
        Scalar("StudentT", [new("df", ParameterDomain.Positive), Loc, Scale], SupportRule.Fixed(SupportKind.Real), false,
            typeof(StudentT), a => new StudentT(a[0]!, a[1]!, a[2]!)),
        Scalar("Bernoulli", [Probs, Logits], SupportRule.CountsUpTo(1.0), false, typeof(Bernoulli),
            a => new Bernoulli(a[0], a[1])) with { ExactlyOneOf = ["probs", "logits"] },
        Scalar("Binomial", [new("total_count", ParameterDomain.Count), Probs, Logits], SupportRule.CountsUpTo("total_count"), false,
            typeof(Binomial), a => new Binomial(a[0]!, a[1], a[2])) with { ExactlyOneOf = ["probs", "logits"] },
        Scalar("Poisson", [new("rate", ParameterDomain.NonNegative)], SupportRule.Fixed(SupportKind.NonNegativeInteger), false,
            typeof(Poisson), a => new Poisson(a[0]!)),
        Scalar("NegativeBinomial", [new("mean", ParameterDomain.Positive), new("concentration", ParameterDomain.Positive)],
            SupportRule.Fixed(SupportKind.NonNegativeInteger), false, typeof(NegativeBinomial), a => new NegativeBinomial(a[0]!, a[1]!)),
        Scalar("Categorical", [new("probs", ParameterDomain.Simplex, IsOptional: true, EventRank: 1), new("logits", IsOptional: true, EventRank: 1)],
            SupportRule.Fixed(SupportKind.NonNegativeInteger), false, typeof(Categorical), a => new Categorical(a[0], a[1]))
            with { ExactlyOneOf = ["probs", "logits"] },
        Scalar("Flat", [new("lower", IsOptional: true), new("upper", IsOptional: true)], SupportRule.Bounded("lower", "upper"), true,
            typeof(Flat), a => new Flat(a[0], a[1])),
        new DistributionSignature("MultivariateNormal",
            [new("loc", EventRank: 1), new("scale_tril", ParameterDomain.LowerCholeskyFactor, EventRank: 2)],
            EventRank: 1, SupportRule.Fixed(SupportKind.Real), IsReparameterized: true,
            typeof(MultivariateNormal).FullName!, a => new MultivariateNormal(a[0]!, a[1]!)),
    ];

    private static readonly FrozenDictionary<string, DistributionSignature> ByName =
        All.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The language names, in catalogue order.</summary>
    public static IEnumerable<string> Names => All.Select(s => s.Name);

    /// <summary>The signature of the distribution the language calls <paramref name="name"/> (case-sensitive).</summary>
    public static bool TryGet(string name, out DistributionSignature signature) =>
        ByName.TryGetValue(name, out signature!);

    /// <summary>The signature called <paramref name="name"/>, or null when the language has no such distribution.</summary>
    public static DistributionSignature? Find(string name) => ByName.GetValueOrDefault(name);

    private static DistributionSignature Scalar(string name, DistributionParameter[] parameters, SupportRule support,
        bool reparameterized, Type type, Func<IReadOnlyList<Tensor?>, Distribution> create) =>
        new(name, parameters, 0, support, reparameterized, type.FullName!, create);
}
