namespace Ppl.Runtime.Plotting;

/// <summary>
/// A smoothed 2-d histogram of draws, with the density thresholds that enclose given probability masses and the
/// contour lines at those thresholds (marching squares). Values sit at bin centres and are interpolated
/// bilinearly between them; a ring of empty bins around the range closes every contour.
/// </summary>
public sealed class DensityGrid
{
    private readonly double[,] values;
    private readonly int bins;
    private readonly double xMin;
    private readonly double yMin;
    private readonly double xStep;
    private readonly double yStep;

    private DensityGrid(double[,] values, int bins, double xMin, double yMin, double xStep, double yStep)
    {
        this.values = values;
        this.bins = bins;
        this.xMin = xMin;
        this.yMin = yMin;
        this.xStep = xStep;
        this.yStep = yStep;
        foreach (var v in values) Total += v;
    }

    /// <summary>The sum of all (smoothed) counts.</summary>
    public double Total { get; }

    /// <summary>Bins the draws (pairs outside the ranges are left out) and smooths with a Gaussian of <paramref name="smoothing"/> bins.</summary>
    /// <param name="xs">First coordinates of the draws.</param>
    /// <param name="ys">Second coordinates of the draws (as many as <paramref name="xs"/>).</param>
    /// <param name="bins">Bins per axis.</param>
    /// <param name="xRange">The binned range of the first coordinate.</param>
    /// <param name="yRange">The binned range of the second coordinate.</param>
    /// <param name="smoothing">Standard deviation of the smoothing Gaussian in bins; 0 for none.</param>
    public static DensityGrid Build(double[] xs, double[] ys, int bins, (double Min, double Max) xRange, (double Min, double Max) yRange, double smoothing)
    {
        if (xs.Length != ys.Length) throw new ArgumentException("The coordinate arrays differ in length.", nameof(ys));
        if (bins < 1 || !(xRange.Max > xRange.Min) || !(yRange.Max > yRange.Min))
            throw new ArgumentException("A density grid needs at least one bin and non-empty ranges.", nameof(bins));
        double xStep = (xRange.Max - xRange.Min) / bins;
        double yStep = (yRange.Max - yRange.Min) / bins;
        var counts = new double[bins, bins];
        for (int k = 0; k < xs.Length; k++)
        {
            int i = (int)Math.Floor((xs[k] - xRange.Min) / xStep);
            int j = (int)Math.Floor((ys[k] - yRange.Min) / yStep);
            // The upper edge belongs to the last bin.
            if (i == bins && xs[k] <= xRange.Max) i--;
            if (j == bins && ys[k] <= yRange.Max) j--;
            if (i < 0 || i >= bins || j < 0 || j >= bins) continue;
            counts[i, j]++;
        }
        if (smoothing > 0) counts = Smooth(counts, smoothing);
        var padded = new double[bins + 2, bins + 2];
        for (int i = 0; i < bins; i++)
            for (int j = 0; j < bins; j++) padded[i + 1, j + 1] = counts[i, j];
        return new DensityGrid(padded, bins, xRange.Min, yRange.Min, xStep, yStep);
    }

    /// <summary>The largest grid value.</summary>
    public double Max()
    {
        double max = 0;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }

    /// <summary>The density at a point, interpolated between bin centres (0 well outside the range).</summary>
    public double ValueAt(double x, double y)
    {
        double u = (x - xMin) / xStep + 0.5;
        double v = (y - yMin) / yStep + 0.5;
        int last = bins + 1;
        if (u < 0 || v < 0 || u > last || v > last) return 0;
        int i = Math.Min((int)u, last - 1);
        int j = Math.Min((int)v, last - 1);
        double fu = u - i, fv = v - j;
        return values[i, j] * (1 - fu) * (1 - fv) + values[i + 1, j] * fu * (1 - fv)
            + values[i, j + 1] * (1 - fu) * fv + values[i + 1, j + 1] * fu * fv;
    }

    /// <summary>
    /// For each mass m, the density t such that the bins with density at least t hold a fraction m of the total
    /// (the highest-density region). Returns +∞ for every level when the grid is empty.
    /// </summary>
    public double[] Thresholds(IReadOnlyList<double> masses)
    {
        var sorted = new List<double>(bins * bins);
        foreach (var v in values)
            if (v > 0) sorted.Add(v);
        sorted.Sort((a, b) => b.CompareTo(a));
        var thresholds = new double[masses.Count];
        if (sorted.Count == 0 || Total <= 0)
        {
            Array.Fill(thresholds, double.PositiveInfinity);
            return thresholds;
        }
        for (int m = 0; m < masses.Count; m++)
        {
            double target = Math.Clamp(masses[m], 0, 1) * Total;
            double cumulative = 0;
            thresholds[m] = sorted[^1];
            for (int k = 0; k < sorted.Count; k++)
            {
                cumulative += sorted[k];
                if (cumulative >= target)
                {
                    thresholds[m] = sorted[k];
                    break;
                }
            }
        }
        return thresholds;
    }

    /// <summary>The contour at <paramref name="threshold"/> as line segments in data coordinates.</summary>
    public List<((double X, double Y) A, (double X, double Y) B)> Contour(double threshold)
    {
        var segments = new List<((double, double), (double, double))>();
        if (!double.IsFinite(threshold)) return segments;
        int last = bins + 1;
        Span<(double, double)> crossings = stackalloc (double, double)[4];
        for (int i = 0; i < last; i++)
            for (int j = 0; j < last; j++)
            {
                // Corners anticlockwise from (i, j); edge k joins corner k to corner k + 1.
                double c0 = values[i, j], c1 = values[i + 1, j], c2 = values[i + 1, j + 1], c3 = values[i, j + 1];
                bool in0 = c0 >= threshold, in1 = c1 >= threshold, in2 = c2 >= threshold, in3 = c3 >= threshold;
                if (in0 == in1 && in1 == in2 && in2 == in3) continue;
                var e0 = Crossing(i, j, c0, i + 1, j, c1, threshold);
                var e1 = Crossing(i + 1, j, c1, i + 1, j + 1, c2, threshold);
                var e2 = Crossing(i + 1, j + 1, c2, i, j + 1, c3, threshold);
                var e3 = Crossing(i, j + 1, c3, i, j, c0, threshold);
                if (in0 == in2 && in1 == in3)
                {
                    // A saddle: the centre value decides which diagonal the inside region follows.
                    bool centreIn = (c0 + c1 + c2 + c3) / 4 >= threshold;
                    if (in0 == centreIn)
                    {
                        segments.Add((e0, e1));
                        segments.Add((e2, e3));
                    }
                    else
                    {
                        segments.Add((e3, e0));
                        segments.Add((e1, e2));
                    }
                    continue;
                }
                int count = 0;
                if (in0 != in1) crossings[count++] = e0;
                if (in1 != in2) crossings[count++] = e1;
                if (in2 != in3) crossings[count++] = e2;
                if (in3 != in0) crossings[count++] = e3;
                if (count == 2) segments.Add((crossings[0], crossings[1]));
            }
        return segments;
    }

    private (double X, double Y) Crossing(int ia, int ja, double va, int ib, int jb, double vb, double threshold)
    {
        double t = va == vb ? 0.5 : Math.Clamp((threshold - va) / (vb - va), 0, 1);
        double gi = ia + t * (ib - ia), gj = ja + t * (jb - ja);
        return (xMin + (gi - 0.5) * xStep, yMin + (gj - 0.5) * yStep);
    }

    private static double[,] Smooth(double[,] counts, double sigma)
    {
        int n = counts.GetLength(0);
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[2 * radius + 1];
        for (int k = -radius; k <= radius; k++) kernel[k + radius] = Math.Exp(-0.5 * k * k / (sigma * sigma));
        double sum = kernel.Sum();
        for (int k = 0; k < kernel.Length; k++) kernel[k] /= sum;
        var across = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int ii = i + k;
                    if (ii >= 0 && ii < n) acc += counts[ii, j] * kernel[k + radius];
                }
                across[i, j] = acc;
            }
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int jj = j + k;
                    if (jj >= 0 && jj < n) acc += across[i, jj] * kernel[k + radius];
                }
                result[i, j] = acc;
            }
        return result;
    }
}
