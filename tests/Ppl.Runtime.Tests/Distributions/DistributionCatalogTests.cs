using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class DistributionCatalogTests
{
    [Fact]
    public void ListsEveryLanguageDistributionWithItsParametersInOrder()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["Normal"] = ["loc", "scale"],
            ["LogNormal"] = ["loc", "scale"],
            ["Uniform"] = ["low", "high"],
            ["TruncatedNormal"] = ["loc", "scale", "lower", "upper"],
            ["HalfNormal"] = ["scale"],
            ["HalfCauchy"] = ["scale"],
            ["Exponential"] = ["rate"],
            ["Gamma"] = ["concentration", "rate"],
            ["Beta"] = ["alpha", "beta"],
            ["Cauchy"] = ["loc", "scale"],
            ["StudentT"] = ["df", "loc", "scale"],
            ["MultivariateNormal"] = ["loc", "scale_tril"],
            ["Bernoulli"] = ["probs", "logits"],
            ["Binomial"] = ["total_count", "probs", "logits"],
            ["Poisson"] = ["rate"],
            ["NegativeBinomial"] = ["mean", "concentration"],
            ["Categorical"] = ["probs", "logits"],
            ["Flat"] = ["lower", "upper"],
        };
        Assert.Equal(expected.Keys.Order(), DistributionCatalog.Names.Order());
        foreach (var (name, parameters) in expected)
            Assert.Equal(parameters, DistributionCatalog.Find(name)!.Parameters.Select(p => p.Name));
        Assert.Null(DistributionCatalog.Find("normal"));
        Assert.False(DistributionCatalog.TryGet("poisson", out _));
        Assert.Equal(["Mixture", "MixtureSameFamily"], DistributionCatalog.Combinators.Select(c => c.Name));
    }

    [Fact]
    public void MarksOptionalAndPositiveParametersAndEventRanks()
    {
        var truncated = DistributionCatalog.Find("TruncatedNormal")!;
        Assert.Equal(new[] { false, false, true, true }, truncated.Parameters.Select(p => p.IsOptional));
        Assert.All(DistributionCatalog.All.Where(s => s.Name is not ("TruncatedNormal" or "Flat") && s.ExactlyOneOf.Count == 0).SelectMany(s => s.Parameters),
            p => Assert.False(p.IsOptional));
        foreach (var name in new[] { "Bernoulli", "Binomial", "Categorical" })
            Assert.Equal(["probs", "logits"], DistributionCatalog.Find(name)!.ExactlyOneOf);
        Assert.Equal(new[] { "Bernoulli", "Binomial", "Categorical", "NegativeBinomial", "Poisson" },
            DistributionCatalog.All.Where(s => s.IsDiscrete).Select(s => s.Name).Order());

        var positive = DistributionCatalog.All.SelectMany(s => s.Parameters.Where(p => p.MustBePositive).Select(p => $"{s.Name}.{p.Name}")).Order();
        Assert.Equal(new[]
        {
            "Beta.alpha", "Beta.beta", "Cauchy.scale", "Exponential.rate", "Gamma.concentration", "Gamma.rate",
            "HalfCauchy.scale", "HalfNormal.scale", "LogNormal.scale", "NegativeBinomial.concentration", "NegativeBinomial.mean",
            "Normal.scale", "StudentT.df", "StudentT.scale",
            "TruncatedNormal.scale",
        }.Order(), positive);

        var mvn = DistributionCatalog.Find("MultivariateNormal")!;
        Assert.Equal(1, mvn.EventRank);
        Assert.Equal(new[] { 1, 2 }, mvn.Parameters.Select(p => p.EventRank));
        Assert.Equal(ParameterDomain.LowerCholeskyFactor, mvn.Parameter("scale_tril")!.Domain);
        Assert.All(DistributionCatalog.All.Where(s => s != mvn), s => Assert.Equal(0, s.EventRank));
    }

    [Fact]
    public void SupportRulesNameTheirBoundParameters()
    {
        bool None(string _) => false;
        Assert.Equal(SupportKind.Real, DistributionCatalog.Find("Normal")!.Support.KindFor(None));
        Assert.Equal(SupportKind.Positive, DistributionCatalog.Find("Gamma")!.Support.KindFor(None));
        Assert.Equal(SupportKind.UnitInterval, DistributionCatalog.Find("Beta")!.Support.KindFor(None));

        var uniform = DistributionCatalog.Find("Uniform")!.Support;
        Assert.Equal(("low", "high"), (uniform.LowerParameter, uniform.UpperParameter));
        Assert.Equal(SupportKind.Interval, uniform.KindFor(_ => true));

        var truncated = DistributionCatalog.Find("TruncatedNormal")!.Support;
        Assert.Equal(("lower", "upper"), (truncated.LowerParameter, truncated.UpperParameter));
        Assert.Equal(SupportKind.Interval, truncated.KindFor(p => p is "lower" or "upper"));
        Assert.Equal(SupportKind.GreaterThan, truncated.KindFor(p => p == "lower"));
        Assert.Equal(SupportKind.LessThan, truncated.KindFor(p => p == "upper"));
        Assert.Equal(SupportKind.Real, truncated.KindFor(None));
    }

    /// <summary>The metadata agrees with the runtime classes: type name, reparameterisation, event rank, support kind.</summary>
    [Fact]
    public void AgreesWithTheClassesItConstructs()
    {
        using var scope = NewDisposeScope();
        foreach (var signature in DistributionCatalog.All)
        {
            var arguments = signature.Name switch
            {
                "MultivariateNormal" => new Tensor?[] { zeros(2), eye(2) },
                "Categorical" => new Tensor?[] { tensor(new[] { 0.5, 0.5 }), null },
                _ => signature.Parameters.Select(p => p.IsOptional && p.Name != "probs" ? null
                    : (Tensor?)tensor(signature.Name == "Uniform" && p.Name == "high" ? 2.0 : p.Name == "probs" ? 0.5 : 1.0)).ToArray(),
            };
            var distribution = signature.Create(arguments);
            Assert.Equal(signature.TypeName, distribution.GetType().FullName);
            Assert.Equal(signature.Name, distribution.Name);
            Assert.Equal(signature.IsReparameterized, distribution.IsReparameterized);
            Assert.Equal(signature.EventRank, distribution.EventRank);
            Assert.Equal(signature.Support.KindFor(p => arguments[signature.Parameters.ToList().FindIndex(q => q.Name == p)] is not null),
                distribution.Support.Kind);
        }
    }

    [Fact]
    public void CreatesFromArgumentsInParameterOrder()
    {
        using var scope = NewDisposeScope();
        var distribution = DistributionCatalog.Find("TruncatedNormal")!.Create([tensor(0.27), tensor(0.2), tensor(0.0), null]);
        var truncated = Assert.IsType<TruncatedNormal>(distribution);
        Assert.Equal(0.0, truncated.Lower!.item<double>()); // exact: arguments are stored as given
        Assert.Null(truncated.Upper);
        Assert.Null(DistributionCatalog.Find("Poison"));
    }
}
