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

    /// <summary>Builds the distribution <paramref name="name"/> from positional arguments followed by named ones. A call
    /// that does not fit returns its errors and no distribution.</summary>
    public static (Distribution? Distribution, IReadOnlyList<ArgumentBindingError> Errors) Construct(
        string name, IReadOnlyList<Tensor> positional, IReadOnlyList<KeyValuePair<string, Tensor>>? named = null)
    {
        if (!ByName.TryGetValue(name, out var signature))
            return (null, [new(ArgumentBindingErrorKind.UnknownDistribution, $"There is no distribution called '{name}'.", null, null)]);
        named ??= [];
        var binding = signature.Bind(positional.Count, named.Select(n => n.Key).ToList());
        if (!binding.Succeeded) return (null, binding.Errors);
        var arguments = binding.ArgumentOfParameter
            .Select(i => i is null ? null : i < positional.Count ? positional[i.Value] : named[i.Value - positional.Count].Value)
            .ToList();
        return (signature.Create(arguments), []);
    }

    private static DistributionSignature Scalar(string name, DistributionParameter[] parameters, SupportRule support,
        bool reparameterized, Type type, Func<IReadOnlyList<Tensor?>, Distribution> create) =>
        new(name, parameters, 0, support, reparameterized, type.FullName!, create);
}
