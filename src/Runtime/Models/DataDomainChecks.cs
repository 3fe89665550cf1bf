using System.Globalization;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>
/// Binding-time checks of values the model cannot use, reported before anything runs (as Stan reports a negative scale
/// in its data): a distribution argument that depends on data only must lie in its parameter's domain (PPL0411), and an
/// observed value must lie in the support of its distribution where that support does not depend on random variables
/// (PPL0412). Each error names the argument or observation, the first offending value and its index.
/// </summary>
internal static class DataDomainChecks
{
    /// <summary>The first element of <paramref name="value"/> outside <paramref name="domain"/>, as an error; null if none.</summary>
    public static ModelError? Argument(Tensor value, ParameterDomain domain, string distribution, string parameter, string argument, SourceLocation location)
    {
        using var scope = NewDisposeScope();
        var (values, shape) = HostValues(value);
        string requirement;
        long bad = -1;
        switch (domain)
        {
            case ParameterDomain.Positive:
                requirement = "must be positive";
                bad = Array.FindIndex(values, v => !(v > 0.0));
                break;
            case ParameterDomain.NonNegative:
                requirement = "must be non-negative";
                bad = Array.FindIndex(values, v => !(v >= 0.0));
                break;
            case ParameterDomain.Probability:
                requirement = "must be a probability (in [0, 1])";
                bad = Array.FindIndex(values, v => !(v >= 0.0 && v <= 1.0));
                break;
            case ParameterDomain.Count:
                requirement = "must be a whole number ≥ 0";
                bad = Array.FindIndex(values, v => !(v >= 0.0 && v == Math.Floor(v)));
                break;
            case ParameterDomain.Simplex:
                requirement = "must be a probability vector (entries in [0, 1] summing to 1 along the last axis)";
                bad = FirstBadSimplexRow(values, shape, DiscreteTolerance(value));
                break;
            case ParameterDomain.LowerCholeskyFactor:
                requirement = "must be a Cholesky factor (lower-triangular with a positive diagonal)";
                bad = FirstBadDiagonal(values, shape);
                break;
            default:
                requirement = "must be a number";
                bad = Array.FindIndex(values, double.IsNaN);
                break;
        }
        if (bad < 0) return null;
        return new ModelError(DiagnosticCatalogue.DataArgumentOutOfDomain,
            $"the {parameter} of {distribution} {requirement}, but {Element(argument, bad, shape)} is {Text(values[bad])}",
            location, "this argument depends on data only, so it is checked when the data are bound; correct the data");
    }

    /// <summary>The first element where the lower bound of <paramref name="distribution"/>'s support is not below its upper
    /// bound (both depend on data only: <c>Uniform(a, b)</c> with data a ≥ b), as an error; null if none.</summary>
    public static ModelError? Bounds(Tensor lower, Tensor upper, string distribution, string lowerText, string upperText, SourceLocation location)
    {
        using var scope = NewDisposeScope();
        var pair = broadcast_tensors(lower, upper);
        var (low, shape) = HostValues(pair[0]);
        var high = HostValues(pair[1]).Values;
        int bad = -1;
        for (int i = 0; i < low.Length && bad < 0; i++)
            if (!(low[i] < high[i])) bad = i;
        if (bad < 0) return null;
        return new ModelError(DiagnosticCatalogue.DataArgumentOutOfDomain,
            $"the lower bound of {distribution} must be below its upper bound, but {Element(lowerText, bad, shape)} is {Text(low[bad])} and {Element(upperText, bad, shape)} is {Text(high[bad])}",
            location, "the bounds depend on data only, so they are checked when the data are bound; correct the data");
    }

    /// <summary>The first element of the observed <paramref name="value"/> outside the support of <paramref name="distribution"/>
    /// (bounded by <paramref name="lower"/>/<paramref name="upper"/> where given), as an error; null if none.</summary>
    public static ModelError? Observation(string site, Tensor value, string distribution, SupportKind kind, Tensor? lower, Tensor? upper, SourceLocation location)
    {
        using var scope = NewDisposeScope();
        var (values, shape) = HostValues(value);
        double[]? low = null, high = null;
        if (lower is not null) low = HostValues(lower.broadcast_to(value.shape)).Values;
        if (upper is not null) high = HostValues(upper.broadcast_to(value.shape)).Values;
        bool openAtZero = kind is SupportKind.Positive or SupportKind.UnitInterval && ExcludesBoundary(distribution, 0.0);
        bool openAtOne = kind == SupportKind.UnitInterval && ExcludesBoundary(distribution, 1.0);
        bool Inside(double v, int i) => kind switch
        {
            SupportKind.Positive => openAtZero ? v > 0 : v >= 0,
            SupportKind.UnitInterval => (openAtZero ? v > 0 : v >= 0) && (openAtOne ? v < 1 : v <= 1),
            SupportKind.GreaterThan => v >= low![i],
            SupportKind.LessThan => v <= high![i],
            SupportKind.Interval => v >= low![i] && v <= high![i],
            SupportKind.NonNegativeInteger => v >= 0,
            SupportKind.IntegerUpTo => v >= 0 && v <= high![i],
            _ => true,
        };
        int bad = -1;
        for (int i = 0; i < values.Length && bad < 0; i++)
            if (!Inside(values[i], i)) bad = i;
        if (bad < 0) return null;
        string support = kind switch
        {
            SupportKind.Positive => openAtZero ? "positive" : "non-negative",
            SupportKind.UnitInterval => $"in {(openAtZero ? "(" : "[")}0, 1{(openAtOne ? ")" : "]")}",
            SupportKind.GreaterThan => $"at least {Text(low![bad])}",
            SupportKind.LessThan => $"at most {Text(high![bad])}",
            SupportKind.NonNegativeInteger => "a count (≥ 0)",
            SupportKind.IntegerUpTo => $"a count from 0 to {Text(high![bad])}",
            _ => $"in [{Text(low![bad])}, {Text(high![bad])}]",
        };
        return new ModelError(DiagnosticCatalogue.ObservedValueOutsideSupport,
            $"observed '{site}' must be {support} (the support of {distribution}), but {Element(site, bad, shape)} is {Text(values[bad])}",
            location, "the model gives this value zero density; correct the data or the model");
    }

    /// <summary>Whether the distribution's density is zero at <paramref name="boundary"/> of its fixed support: probed once
    /// with unit parameters (a fixed support does not depend on them), so the answer is the distribution's own mask.</summary>
    private static bool ExcludesBoundary(string distribution, double boundary)
    {
        var signature = DistributionCatalog.Find(distribution);
        if (signature is null) return false;
        using var scope = NewDisposeScope();
        var args = signature.Parameters.Select(p => p.IsOptional ? null : (Tensor?)ones(1, ScalarType.Float64)).ToList();
        var logProb = signature.Create(args).LogProb(tensor(new[] { boundary }, ScalarType.Float64)).item<double>();
        return double.IsNegativeInfinity(logProb);
    }

    /// <summary>The first element of the first row (along the last axis) that is not a probability vector, or -1.</summary>
    private static long FirstBadSimplexRow(double[] values, long[] shape, double tolerance)
    {
        long k = shape.Length == 0 ? 1 : shape[^1];
        if (k == 0) return -1;
        for (long start = 0; start < values.Length; start += k)
        {
            double sum = 0;
            for (long i = start; i < start + k; i++)
            {
                if (!(values[i] >= 0.0 && values[i] <= 1.0)) return i;
                sum += values[i];
            }
            if (!(Math.Abs(sum - 1.0) <= tolerance)) return start;
        }
        return -1;
    }

    private static double DiscreteTolerance(Tensor value) =>
        Math.Sqrt(finfo(value.dtype is ScalarType.Float32 or ScalarType.Float64 ? value.dtype : ScalarType.Float64).eps);

    private static long FirstBadDiagonal(double[] values, long[] shape)
    {
        if (shape.Length < 2) return Array.FindIndex(values, v => !(v > 0.0));
        long n = shape[^1], rows = shape[^2], matrix = n * rows;
        for (long start = 0; start < values.Length; start += matrix)
            for (long i = 0; i < Math.Min(n, rows); i++)
                if (!(values[start + i * n + i] > 0.0)) return start + i * n + i;
        return -1;
    }

    private static (double[] Values, long[] Shape) HostValues(Tensor t) =>
        (t.detach().to(ScalarType.Float64, CPU).contiguous().reshape(-1).data<double>().ToArray(), t.shape);

    /// <summary><c>name</c> for a scalar, <c>name[i, j]</c> (0-based, as the language indexes) for an element.</summary>
    private static string Element(string name, long flat, long[] shape)
    {
        if (shape.Length == 0) return name;
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return $"{name}[{string.Join(", ", index)}]";
    }

    private static string Text(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
