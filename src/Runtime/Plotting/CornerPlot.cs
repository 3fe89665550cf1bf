using Ppl.Runtime.IO;
using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// A corner plot of d parameters: 1-d histograms on the diagonal, 2-d densities below it (credible-region contours,
/// shading or points), one colour per sample set so that several posteriors (NUTS against NPE, say) can be
/// compared, with tick labels, parameter names, optional truth markers and a legend. Drawn with ScottPlot, one plot
/// per panel placed by <see cref="CornerLayout"/>.
/// </summary>
public static class CornerPlot
{
    /// <summary>Renders the plot and writes it as a PNG file (atomically).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="sets">The sample sets; each has one column per name.</param>
    /// <param name="names">The parameter names (1 to about 16).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public static DataFileResult Write(string path, IReadOnlyList<SampleSet> sets, IReadOnlyList<string> names, CornerPlotOptions? options = null) =>
        Render(sets, names, options).Write(path);

    /// <summary>Renders the plot.</summary>
    /// <exception cref="ArgumentException">When a set's column count differs from the number of names, or there are no names.</exception>
    public static PlotImage Render(IReadOnlyList<SampleSet> sets, IReadOnlyList<string> names, CornerPlotOptions? options = null)
    {
        options ??= new CornerPlotOptions();
        int d = names.Count;
        if (d == 0) throw new ArgumentException("A corner plot needs at least one parameter.", nameof(names));
        foreach (var set in sets)
            if (set.Samples.GetLength(1) != d)
                throw new ArgumentException($"Sample set '{set.Label}' has {set.Samples.GetLength(1)} columns for {d} names.", nameof(sets));
        if (options.Truths is { } truths && truths.Count != d)
            throw new ArgumentException($"{truths.Count} truth values for {d} parameters.", nameof(options));

        var columns = sets.Select(s => FiniteColumns(s.Samples)).ToArray();
        var ranges = Enumerable.Range(0, d).Select(j => ChooseRange(j, columns, options)).ToArray();
        var layout = CornerLayout.For(d, options);
        int valid = columns.Length == 0 ? 0 : columns.Max(c => c[0].Length);
        int bins1 = options.Bins > 0 ? options.Bins : Math.Clamp((int)Math.Round(2.0 * Math.Cbrt(Math.Max(valid, 1))), 10, 50);
        int bins2 = options.Bins2D > 0 ? options.Bins2D : Math.Clamp((int)Math.Round(1.8 * Math.Cbrt(Math.Max(valid, 1))), 10, 50);

        var panels = new List<(Plot, PixelRect)>();
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                var plot = FigureStyle.NewPlot();
                var padding = layout.Padding(i, j);
                plot.Layout.Fixed(padding);
                plot.FigureBackground.Color = Colors.Transparent;
                if (i == j) DrawDiagonal(plot, j, columns, ranges[j], bins1, options);
                else DrawPair(plot, j, i, columns, ranges[j], ranges[i], bins2, options);
                plot.Axes.Bottom.TickLabelStyle.IsVisible = i == d - 1;
                plot.Axes.Left.TickLabelStyle.IsVisible = j == 0 && i > 0;
                if (i == j) FigureStyle.HideTicks(plot.Axes.Left);
                if (i == d - 1) plot.Axes.Bottom.Label.Text = names[j];
                if (j == 0 && i > 0) plot.Axes.Left.Label.Text = names[i];
                panels.Add((plot, layout.DataArea(i, j).Expand(padding)));
            }
        panels.Add((Overlay(layout, sets, options), new PixelRect(0, layout.Width, layout.Height, 0)));
        return PlotImage.Render(layout.Width, layout.Height, panels);
    }

    /// <summary>The title and legend, drawn over the whole figure (the legend in the empty upper triangle).</summary>
    private static Plot Overlay(CornerLayout layout, IReadOnlyList<SampleSet> sets, CornerPlotOptions options)
    {
        var plot = FigureStyle.NewPlot();
        plot.FigureBackground.Color = Colors.Transparent;
        plot.DataBackground.Color = Colors.Transparent;
        plot.Layout.Fixed(new PixelPadding(0, 0, 0, 0));
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SetLimits(0, layout.Width, 0, layout.Height);
        if (options.Title is { } title)
        {
            var text = plot.Add.Text(title, layout.Width / 2.0, layout.Height - 12.0);
            text.LabelFontSize = 15;
            text.LabelBold = true;
            text.LabelFontColor = FigureStyle.Ink;
            text.LabelAlignment = Alignment.UpperCenter;
        }
        if (options.ShowLegend && (sets.Count > 0 || options.Truths is not null))
        {
            for (int s = 0; s < sets.Count; s++)
                plot.Legend.ManualItems.Add(new LegendItem
                {
                    LabelText = sets[s].Label,
                    LineColor = options.Colors[s % options.Colors.Count],
                    LineWidth = 3,
                    FillColor = options.Colors[s % options.Colors.Count].WithAlpha(0.3),
                });
            if (options.Truths is not null)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = options.TruthLabel, LineColor = options.TruthColor, LineWidth = 2 });
            plot.Legend.FontSize = 13;
            plot.Legend.Alignment = Alignment.UpperRight;
            plot.Legend.Margin = new PixelPadding(14);
            plot.Legend.ShadowColor = Colors.Transparent;
            plot.Legend.IsVisible = true;
        }
        return plot;
    }

    /// <summary>Each parameter's draws from the rows whose values are all finite.</summary>
    private static double[][] FiniteColumns(double[,] samples)
    {
        int n = samples.GetLength(0), d = samples.GetLength(1);
        var keep = new List<int>(n);
        for (int r = 0; r < n; r++)
        {
            bool finite = true;
            for (int c = 0; c < d && finite; c++) finite = double.IsFinite(samples[r, c]);
            if (finite) keep.Add(r);
        }
        var columns = new double[d][];
        for (int c = 0; c < d; c++)
        {
            columns[c] = new double[keep.Count];
            for (int k = 0; k < keep.Count; k++) columns[c][k] = samples[keep[k], c];
        }
        return columns;
    }

    private static (double Min, double Max) ChooseRange(int j, double[][][] columns, CornerPlotOptions options)
    {
        if (options.Ranges is { } fixedRanges && j < fixedRanges.Count && fixedRanges[j] is { } given && given.Max > given.Min)
            return given;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var set in columns)
        {
            var column = set[j];
            if (column.Length == 0) continue;
            var sorted = (double[])column.Clone();
            Array.Sort(sorted);
            lo = Math.Min(lo, Quantile(sorted, options.RangeTailFraction));
            hi = Math.Max(hi, Quantile(sorted, 1 - options.RangeTailFraction));
        }
        if (options.Truths is { } truths && double.IsFinite(truths[j]))
        {
            lo = Math.Min(lo, truths[j]);
            hi = Math.Max(hi, truths[j]);
        }
        if (!double.IsFinite(lo)) return (0, 1);
        double span = hi - lo;
        if (span <= Math.Max(Math.Abs(hi), Math.Abs(lo)) * 1e-12)
        {
            // A constant column: give it a window around its value so that it still shows as a spike.
            double half = lo == 0 ? 0.5 : Math.Abs(lo) * 0.05;
            return (lo - half, hi + half);
        }
        return (lo - 0.04 * span, hi + 0.04 * span);
    }

    internal static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 1) return sorted[0];
        double position = Math.Clamp(q, 0, 1) * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    private static void DrawDiagonal(Plot plot, int j, double[][][] columns, (double Min, double Max) range, int bins, CornerPlotOptions options)
    {
        double top = 0;
        for (int s = 0; s < columns.Length; s++)
        {
            var column = columns[s][j];
            if (column.Length == 0) continue;
            // Normalised to unit area over all draws, so sets of different sizes and widths compare honestly.
            var (xs, ys) = Histograms.Step(column, range.Min, range.Max, bins, density: true);
            top = Math.Max(top, ys.Max());
            var color = options.Colors[s % options.Colors.Count];
            var outline = plot.Add.ScatterLine(xs, ys, color);
            outline.LineWidth = 1.6f;
            outline.FillY = true;
            outline.FillYValue = 0;
            outline.FillYColor = color.WithAlpha(0.14);
            if (options.Quantiles is { } quantiles)
            {
                var sorted = (double[])column.Clone();
                Array.Sort(sorted);
                foreach (var q in quantiles)
                {
                    var line = plot.Add.VerticalLine(Quantile(sorted, q), 1.2f, color, LinePattern.Dashed);
                    line.LabelText = "";
                }
            }
        }
        if (options.Truths is { } truths && double.IsFinite(truths[j]))
            plot.Add.VerticalLine(truths[j], 1.4f, options.TruthColor);
        plot.Axes.SetLimits(range.Min, range.Max, 0, (top > 0 ? top : 1) * 1.12);
        FigureStyle.CompactTicks(plot.Axes.Bottom, range.Max - range.Min, 36);
    }

    private static void DrawPair(Plot plot, int xParameter, int yParameter, double[][][] columns,
        (double Min, double Max) xRange, (double Min, double Max) yRange, int bins, CornerPlotOptions options)
    {
        // Every set's regions are filled before any outline is drawn, so that no set's fill hides another's contours;
        // with several sets the fills are lighter, so that overlapping regions still show who is where.
        var outlines = new List<(Color Color, List<List<(double X, double Y)>> Paths)>();
        double fillScale = columns.Length > 1 ? 0.6 : 1.0;
        for (int s = 0; s < columns.Length; s++)
        {
            var color = options.Colors[s % options.Colors.Count];
            var xs = columns[s][xParameter];
            var ys = columns[s][yParameter];
            if (xs.Length == 0) continue;
            // Too few draws for a density estimate: show the points themselves.
            var style = xs.Length < 20 ? CornerDensityStyle.Scatter : options.Style;
            switch (style)
            {
                case CornerDensityStyle.Scatter:
                    DrawPoints(plot, xs, ys, color, options.MaxScatterPoints);
                    break;
                case CornerDensityStyle.Shaded:
                    DensityImage.AddShading(plot, DensityGrid.Build(xs, ys, bins, xRange, yRange, options.Smoothing), xRange, yRange, color);
                    break;
                default:
                    var grid = DensityGrid.Build(xs, ys, bins, xRange, yRange, options.Smoothing);
                    var masses = options.ContourLevels.Where(m => m > 0 && m < 1).OrderBy(m => m).ToArray();
                    if (masses.Length == 0) break;
                    var thresholds = grid.Thresholds(masses);
                    DensityImage.AddRegions(plot, grid, thresholds, xRange, yRange, color, fillScale);
                    var paths = new List<List<(double X, double Y)>>();
                    foreach (var threshold in thresholds) paths.AddRange(ContourPaths.Join(grid.Contour(threshold)));
                    outlines.Add((color, paths));
                    break;
            }
        }
        foreach (var (color, paths) in outlines)
            foreach (var path in paths)
            {
                var line = plot.Add.ScatterLine(path.Select(p => p.X).ToArray(), path.Select(p => p.Y).ToArray(), color);
                line.LineWidth = 1.5f;
            }
        if (options.Truths is { } truths)
        {
            double tx = truths[xParameter], ty = truths[yParameter];
            if (double.IsFinite(tx)) plot.Add.VerticalLine(tx, 1.4f, options.TruthColor);
            if (double.IsFinite(ty)) plot.Add.HorizontalLine(ty, 1.4f, options.TruthColor);
            if (double.IsFinite(tx) && double.IsFinite(ty)) plot.Add.Marker(tx, ty, MarkerShape.FilledCircle, 7, options.TruthColor);
        }
        plot.Axes.SetLimits(xRange.Min, xRange.Max, yRange.Min, yRange.Max);
        FigureStyle.CompactTicks(plot.Axes.Bottom, xRange.Max - xRange.Min, 36);
        FigureStyle.CompactTicks(plot.Axes.Left, yRange.Max - yRange.Min, 32);
    }

    private static void DrawPoints(Plot plot, double[] xs, double[] ys, Color color, int maxPoints)
    {
        int stride = Math.Max(1, (int)Math.Ceiling(xs.Length / (double)Math.Max(1, maxPoints)));
        var px = new List<double>();
        var py = new List<double>();
        for (int k = 0; k < xs.Length; k += stride)
        {
            px.Add(xs[k]);
            py.Add(ys[k]);
        }
        // Fewer points are drawn bolder; many points fainter, so that dense regions still show structure.
        var markers = plot.Add.Markers(px.ToArray(), py.ToArray(), MarkerShape.FilledCircle, px.Count < 100 ? 5 : 3,
            color.WithAlpha(Math.Clamp(12.0 / Math.Sqrt(px.Count), 0.08, 0.8)));
        markers.LegendText = "";
    }
}
