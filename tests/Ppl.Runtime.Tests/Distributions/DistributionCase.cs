using System.Globalization;
using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>Which sampling checks a case supports: mean and variance need a finite fourth moment for the variance's
/// standard error, the mean alone a finite variance; heavier tails are checked through quantiles.</summary>
public enum MomentCheck
{
    MeanAndVariance,
    MeanOnly,
    Quantiles,
}

/// <summary>
/// One row of the shared table: a distribution by its language name with parameter values, and everything the tests
/// compare it with, written independently in plain doubles (density, CDF, moments), plus where to evaluate it.
/// </summary>
public sealed record DistributionCase(
    string Family,
    double[] Positional,
    (string Name, double Value)[] Named,
    Func<double, double> LogDensity,
    Func<double, double> Cdf,
    double Lower,
    double Upper,
    double Center,
    double Scale,
    double[] Points,
    double[] OutsidePoints,
    double Mean,
    double Variance,
    MomentCheck Moments)
{
    /// <summary>A readable, unique name, e.g. <c>TruncatedNormal(0.27, 0.2, lower=0)</c>.</summary>
    public string Id
    {
        get
        {
            var parts = Positional.Select(Format).Concat(Named.Select(n => $"{n.Name}={Format(n.Value)}"));
            return $"{Family}({string.Join(", ", parts)})";
        }
    }

    /// <summary>Names of all parameters given, positional then named, in the order <see cref="ParameterValues"/> uses.</summary>
    public IReadOnlyList<string> ParameterNames
    {
        get
        {
            var signature = DistributionCatalog.Find(Family)!;
            return signature.Parameters.Take(Positional.Length).Select(p => p.Name).Concat(Named.Select(n => n.Name)).ToList();
        }
    }

    /// <summary>All parameter values, positional then named.</summary>
    public double[] ParameterValues => Positional.Concat(Named.Select(n => n.Value)).ToArray();

    /// <summary>Whether the support is bounded on some side.</summary>
    public bool IsBounded => !double.IsInfinity(Lower) || !double.IsInfinity(Upper);

    /// <summary>Builds the distribution through the catalogue, turning each parameter value (in
    /// <see cref="ParameterValues"/> order, with its index) into a tensor.</summary>
    public Distribution Build(Func<int, double, Tensor> makeParameter)
    {
        var values = ParameterValues;
        var positional = Enumerable.Range(0, Positional.Length).Select(i => makeParameter(i, values[i])).ToList();
        var named = Enumerable.Range(0, Named.Length)
            .Select(j => new KeyValuePair<string, Tensor>(Named[j].Name, makeParameter(Positional.Length + j, values[Positional.Length + j])))
            .ToList();
        // The generated code calls the constructors with the arguments in parameter order; so does this.
        var signature = DistributionCatalog.Find(Family)!;
        var arguments = new Tensor?[signature.Parameters.Count];
        for (int i = 0; i < positional.Count; i++) arguments[i] = positional[i];
        foreach (var (name, value) in named) arguments[signature.Parameters.ToList().FindIndex(p => p.Name == name)] = value;
        return signature.Create(arguments);
    }

    /// <summary>Builds the distribution with scalar parameters of the given type.</summary>
    public Distribution Build(ScalarType dtype) => Build((_, v) => tensor(v, dtype: dtype));

    public override string ToString() => Id;

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
