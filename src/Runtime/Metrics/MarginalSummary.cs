namespace Ppl.Runtime.Metrics;

/// <summary>
/// One parameter's marginal posterior in five numbers: mean, standard deviation (n − 1 denominator) and the 5 %, 50 %
/// and 95 % quantiles (linear interpolation between order statistics, NumPy's default).
/// </summary>
public sealed record MarginalSummary(double Mean, double StandardDeviation, double Q05, double Q50, double Q95)
{
    /// <summary>The summary of <paramref name="draws"/> (at least two, all finite).</summary>
    /// <exception cref="ArgumentException">Fewer than two draws.</exception>
    public static MarginalSummary Of(IReadOnlyList<double> draws)
    {
        if (draws.Count < 2) throw new ArgumentException("A marginal summary needs at least two draws.", nameof(draws));
        var sorted = draws.ToArray();
        Array.Sort(sorted);
        double mean = sorted.Average();
        double squares = 0;
        foreach (var v in sorted) squares += (v - mean) * (v - mean);
        return new MarginalSummary(mean, Math.Sqrt(squares / (sorted.Length - 1)), Quantile(sorted, 0.05), Quantile(sorted, 0.5), Quantile(sorted, 0.95));
    }

    /// <summary>The <paramref name="q"/>-quantile of sorted values, interpolating linearly between order statistics.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = Math.Clamp(q, 0, 1) * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
