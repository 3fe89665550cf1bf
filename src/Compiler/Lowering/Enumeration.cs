using Ppl.Compiler.Semantics;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Lowering;

/// <summary>
/// Decides which discrete latents the log density sums out by enumeration, as Stan users do by hand and NumPyro does with
/// <c>enumerate</c>: a latent whose values are few and known at compile time (Bernoulli: 2; Categorical: K, the length of
/// its probabilities; Binomial with a literal total count n: n + 1; a mixture of these: the most of its components) and
/// whose shape is made of literal sizes. The runtime evaluates the model once per joint configuration of the enumerated
/// latents, folded into the batch (K^elements of each, multiplied over the latents, at most
/// <see cref="MaxConfigurations"/>), and takes the log-sum-exp over the configurations, so
/// log p(θ, x) = log Σ_z p(θ, z, x) stays differentiable in θ. Latents are considered in declaration order; one that
/// would pass the bound is left discrete (and the model implicit-only, with the reason).
/// </summary>
public static class Enumeration
{
    /// <summary>The most joint configurations of the enumerated latents (each multiplies the batch of a density
    /// evaluation).</summary>
    public const long MaxConfigurations = 1024;

    public static void Run(IrModel model)
    {
        long configurations = 1;
        foreach (var site in model.Sites)
        {
            if (site.Role != SiteRole.Latent || site.Step is not null || site.Distribution is not { IsDiscrete: true } d) continue;
            if (ValueCount(d) is not int k || Elements(site) is not long elements) continue;
            double total = configurations * Math.Pow(k, elements);
            if (total > MaxConfigurations) continue;
            site.EnumerationSize = k;
            configurations = (long)Math.Round(total);
        }
    }

    /// <summary>Why a discrete latent is not enumerated (for the capability report).</summary>
    public static string WhyNot(IrSite site)
    {
        var d = site.Distribution!;
        if (site.Step is not null) return "it is drawn inside a loop, so it cannot be summed out by enumeration";
        if (ValueCount(d) is not int k)
            return $"{d.Signature.Name} has {(d.Signature.Name is "Poisson" or "NegativeBinomial" ? "unbounded counts" : "a number of values not known when compiling")}, so it cannot be summed out by enumeration";
        if (Elements(site) is not long elements)
            return "its shape depends on data, so it cannot be summed out by enumeration";
        return $"summing it out needs {k}^{elements} configurations (with the latents enumerated before it, more than {MaxConfigurations})";
    }

    /// <summary>The number of values K (0 … K − 1) of a discrete distribution, when known at compile time.</summary>
    public static int? ValueCount(IrDistribution d)
    {
        if (d.Components.Count > 0)
        {
            var counts = d.Components.Select(ValueCount).ToList();
            return counts.All(c => c is not null) ? counts.Max() : null;
        }
        switch (d.Signature.Name)
        {
            case "Bernoulli":
                return 2;
            case "Categorical":
                var parameter = d.Args[0] ?? d.Args[1];
                return parameter?.Type is TensorType t && t.Rank >= 1 && t.Shape[t.Rank - 1] is { IsKnown: true } k && k.Constant <= MaxConfigurations
                    ? (int)k.Constant : null;
            case "Binomial":
                return d.Args[0] switch
                {
                    IrLiteral { Value: long n } when n >= 0 && n < MaxConfigurations => (int)n + 1,
                    IrLiteral { Value: double n } when n >= 0 && n < MaxConfigurations && n == Math.Floor(n) => (int)n + 1,
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static long? Elements(IrSite site)
    {
        long elements = 1;
        foreach (var dim in site.Type.Shape.Dims)
        {
            if (!dim.IsKnown) return null;
            elements = checked(elements * dim.Constant);
            if (elements > 64) return elements;
        }
        return elements;
    }
}
