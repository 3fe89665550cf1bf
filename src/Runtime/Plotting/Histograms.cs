namespace Ppl.Runtime.Plotting;

/// <summary>Histogram counts and their step outlines, the building block of the 1-d panels.</summary>
public static class Histograms
{
    /// <summary>Counts of the finite values in <paramref name="bins"/> equal bins over [lo, hi] (the upper edge in the last bin).</summary>
    public static double[] Counts(IEnumerable<double> values, double lo, double hi, int bins)
    {
        var counts = new double[bins];
        double width = (hi - lo) / bins;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            int b = (int)Math.Floor((v - lo) / width);
            if (b == bins && v <= hi) b--;
            if (b >= 0 && b < bins) counts[b]++;
        }
        return counts;
    }

    /// <summary>
    /// The step outline of a histogram: x from lo to hi, y the count (or, with <paramref name="density"/>, the density
    /// normalised over the finite values), starting and ending at 0.
    /// </summary>
    public static (double[] X, double[] Y) Step(IReadOnlyCollection<double> values, double lo, double hi, int bins, bool density)
    {
        var counts = Counts(values, lo, hi, bins);
        double width = (hi - lo) / bins;
        int finite = values.Count(double.IsFinite);
        double scale = density ? (finite > 0 ? 1.0 / (finite * width) : 0) : 1;
        return StepOf(counts.Select(c => c * scale).ToArray(), lo, hi);
    }

    /// <summary>The step outline of given bar heights over [lo, hi].</summary>
    public static (double[] X, double[] Y) StepOf(double[] heights, double lo, double hi)
    {
        int bins = heights.Length;
        double width = (hi - lo) / bins;
        var xs = new double[2 * bins + 2];
        var ys = new double[2 * bins + 2];
        xs[0] = lo;
        for (int b = 0; b < bins; b++)
        {
            xs[2 * b + 1] = lo + b * width;
            xs[2 * b + 2] = lo + (b + 1) * width;
            ys[2 * b + 1] = ys[2 * b + 2] = heights[b];
        }
        xs[^1] = hi;
        return (xs, ys);
    }
}
