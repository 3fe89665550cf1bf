using Ppl.Runtime.IO;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// A corner plot of d parameters: 1-d histograms on the diagonal, 2-d densities below it (credible-region contours,
/// shading or points), one colour per sample set so that several posteriors (NUTS against NPE, say) can be
/// compared, with tick labels, parameter names, optional truth markers and a legend.
/// </summary>
public static class CornerPlot
{
    private static readonly Rgba Ink = Rgba.FromHex("#262626");
    private static readonly Rgba FrameColor = Rgba.FromHex("#4D4D4D");
    private const int TickLength = 5;

    /// <summary>Renders the plot and writes it as a PNG file (atomically).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="sets">The sample sets; each has one column per name.</param>
    /// <param name="names">The parameter names (1 to about 10).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public static DataFileResult Write(string path, IReadOnlyList<SampleSet> sets, IReadOnlyList<string> names, CornerPlotOptions? options = null) =>
        PngEncoder.Write(path, Render(sets, names, options));

    /// <summary>Renders the plot into a new raster.</summary>
    /// <exception cref="ArgumentException">When a set's column count differs from the number of names, or there are no names.</exception>
    public static Raster Render(IReadOnlyList<SampleSet> sets, IReadOnlyList<string> names, CornerPlotOptions? options = null)
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
        var layout = CornerLayout.Create(d, ranges, sets.Select(s => s.Label).ToArray(), options);
        var raster = new Raster(layout.Width, layout.Height, Rgba.White);

        int valid = columns.Length == 0 ? 0 : columns.Max(c => c[0].Length);
        int bins1 = options.Bins > 0 ? options.Bins : Math.Clamp((int)Math.Round(2.0 * Math.Cbrt(Math.Max(valid, 1))), 10, 50);
        int bins2 = options.Bins2D > 0 ? options.Bins2D : Math.Clamp((int)Math.Round(1.8 * Math.Cbrt(Math.Max(valid, 1))), 10, 50);

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                var panel = layout.Panel(i, j);
                raster.SetClip(panel.Left, panel.Top, panel.Right, panel.Bottom);
                if (i == j) DrawDiagonal(raster, panel, j, columns, ranges[j], bins1, options);
                else DrawPair(raster, panel, j, i, columns, ranges[j], ranges[i], bins2, options);
                raster.ResetClip();
                DrawFrameAndTicks(raster, panel, layout.Ticks[j], i == j ? null : layout.Ticks[i]);
            }
        }
        layout.DrawLabels(raster, names, Ink);
        if (options.ShowLegend) layout.DrawLegend(raster, sets.Select(s => s.Label).ToArray(), options, Ink);
        return raster;
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

    private static void DrawDiagonal(Raster raster, PanelBox panel, int j, double[][][] columns, (double Min, double Max) range, int bins, CornerPlotOptions options)
    {
        double width = (range.Max - range.Min) / bins;
        var densities = new double[columns.Length][];
        double top = 0;
        for (int s = 0; s < columns.Length; s++)
        {
            var column = columns[s][j];
            var counts = new double[bins];
            foreach (var v in column)
            {
                int b = (int)Math.Floor((v - range.Min) / width);
                if (b == bins && v <= range.Max) b--;
                if (b >= 0 && b < bins) counts[b]++;
            }
            // Normalised to unit area over all draws, so sets of different sizes and widths compare honestly.
            densities[s] = counts.Select(c => column.Length > 0 ? c / (column.Length * width) : 0).ToArray();
            top = Math.Max(top, densities[s].Max());
        }
        if (top <= 0) top = 1;
        double yScale = panel.Size / (top * 1.12);
        // All fills first, then all outlines, so that no set's fill covers another's outline.
        for (int s = 0; s < columns.Length; s++)
        {
            var color = options.Colors[s % options.Colors.Count];
            var density = densities[s];
            // Fill pixel column by pixel column so that neighbouring bins leave no seams.
            for (int px = 0; px < panel.Size; px++)
            {
                int b = Math.Min(bins - 1, (int)((px + 0.5) / panel.Size * bins));
                double h = density[b] * yScale;
                if (h > 0) raster.FillRectangle(panel.Left + px, panel.Bottom - h, panel.Left + px + 1, panel.Bottom, color.WithOpacity(0.14));
            }
        }
        for (int s = 0; s < columns.Length; s++)
        {
            var color = options.Colors[s % options.Colors.Count];
            var density = densities[s];
            var outline = new List<(double, double)>(2 * bins + 2) { (panel.Left, panel.Bottom) };
            for (int b = 0; b < bins; b++)
            {
                double x0 = panel.Left + (double)b / bins * panel.Size, x1 = panel.Left + (double)(b + 1) / bins * panel.Size;
                double y = panel.Bottom - density[b] * yScale;
                outline.Add((x0, y));
                outline.Add((x1, y));
            }
            outline.Add((panel.Right, panel.Bottom));
            raster.DrawPolyline(outline, color, 1.6);
            if (options.Quantiles is { } quantiles && columns[s][j].Length > 0)
            {
                var sorted = (double[])columns[s][j].Clone();
                Array.Sort(sorted);
                foreach (var q in quantiles)
                {
                    double x = PixelCentre(panel.X(Quantile(sorted, q), range));
                    raster.DrawLine(x, panel.Top, x, panel.Bottom, color, 1.2, new[] { 5.0, 4.0 });
                }
            }
        }
        if (options.Truths is { } truths && double.IsFinite(truths[j]))
        {
            double x = PixelCentre(panel.X(truths[j], range));
            raster.DrawLine(x, panel.Top, x, panel.Bottom, options.TruthColor, 1.4);
        }
    }

    private static void DrawPair(Raster raster, PanelBox panel, int xParameter, int yParameter, double[][][] columns,
        (double Min, double Max) xRange, (double Min, double Max) yRange, int bins, CornerPlotOptions options)
    {
        // Every set's regions are filled before any outline is drawn, so that no set's fill hides another's contours;
        // with several sets the fills are lighter, so that overlapping regions still show who is where.
        var grids = new (DensityGrid Grid, double[] Thresholds)?[columns.Length];
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
                    DrawPoints(raster, panel, xs, ys, xRange, yRange, color, options.MaxScatterPoints);
                    break;
                case CornerDensityStyle.Shaded:
                    DrawShading(raster, panel, DensityGrid.Build(xs, ys, bins, xRange, yRange, options.Smoothing), xRange, yRange, color);
                    break;
                default:
                    var grid = DensityGrid.Build(xs, ys, bins, xRange, yRange, options.Smoothing);
                    grids[s] = (grid, FillContours(raster, panel, grid, xRange, yRange, color, options.ContourLevels, fillScale));
                    break;
            }
        }
        for (int s = 0; s < columns.Length; s++)
        {
            if (grids[s] is not { } contoured) continue;
            var color = options.Colors[s % options.Colors.Count];
            foreach (var threshold in contoured.Thresholds)
                foreach (var (a, b) in contoured.Grid.Contour(threshold))
                    raster.DrawLine(panel.X(a.X, xRange), panel.Y(a.Y, yRange), panel.X(b.X, xRange), panel.Y(b.Y, yRange), color, 1.5);
        }
        if (options.Truths is { } truths)
        {
            double tx = truths[xParameter], ty = truths[yParameter];
            double x = PixelCentre(panel.X(tx, xRange)), y = PixelCentre(panel.Y(ty, yRange));
            if (double.IsFinite(tx)) raster.DrawLine(x, panel.Top, x, panel.Bottom, options.TruthColor, 1.4);
            if (double.IsFinite(ty)) raster.DrawLine(panel.Left, y, panel.Right, y, options.TruthColor, 1.4);
            if (double.IsFinite(tx) && double.IsFinite(ty)) raster.FillCircle(x, y, 3.2, options.TruthColor);
        }
    }

    // Axis-parallel lines centred on a pixel column or row stay crisp instead of smearing over two.
    private static double PixelCentre(double position) => Math.Floor(position) + 0.5;

    private static void DrawPoints(Raster raster, PanelBox panel, double[] xs, double[] ys, (double Min, double Max) xRange, (double Min, double Max) yRange, Rgba color, int maxPoints)
    {
        int stride = Math.Max(1, (int)Math.Ceiling(xs.Length / (double)Math.Max(1, maxPoints)));
        int shown = (xs.Length + stride - 1) / stride;
        // Fewer points are drawn bolder; many points fainter, so that dense regions still show structure.
        var ink = color.WithOpacity(Math.Clamp(12.0 / Math.Sqrt(shown), 0.08, 0.8));
        for (int k = 0; k < xs.Length; k += stride)
            raster.FillCircle(panel.X(xs[k], xRange), panel.Y(ys[k], yRange), shown < 100 ? 2.2 : 1.3, ink);
    }

    private static void DrawShading(Raster raster, PanelBox panel, DensityGrid grid, (double Min, double Max) xRange, (double Min, double Max) yRange, Rgba color)
    {
        double max = grid.Max();
        if (max <= 0) return;
        for (int py = 0; py < panel.Size; py++)
            for (int px = 0; px < panel.Size; px++)
            {
                double value = grid.ValueAt(panel.DataX(px + 0.5, xRange), panel.DataY(py + 0.5, yRange));
                if (value > 0) raster.BlendPixel(panel.Left + px, panel.Top + py, color, 0.85 * value / max);
            }
    }

    /// <summary>Fills the credible regions (the innermost most strongly); returns their density thresholds.</summary>
    private static double[] FillContours(Raster raster, PanelBox panel, DensityGrid grid, (double Min, double Max) xRange, (double Min, double Max) yRange,
        Rgba color, IReadOnlyList<double> levels, double fillScale)
    {
        // Innermost region (smallest mass) first: it gets the strongest fill.
        var masses = levels.Where(m => m > 0 && m < 1).OrderBy(m => m).ToArray();
        if (masses.Length == 0) return [];
        var thresholds = grid.Thresholds(masses);
        var fills = masses.Select((_, k) => fillScale * (masses.Length == 1 ? 0.35 : 0.55 - 0.33 * k / (masses.Length - 1))).ToArray();
        for (int py = 0; py < panel.Size; py++)
            for (int px = 0; px < panel.Size; px++)
            {
                double value = grid.ValueAt(panel.DataX(px + 0.5, xRange), panel.DataY(py + 0.5, yRange));
                for (int k = 0; k < thresholds.Length; k++)
                {
                    if (value < thresholds[k]) continue;
                    raster.BlendPixel(panel.Left + px, panel.Top + py, color, fills[k]);
                    break;
                }
            }
        return thresholds;
    }

    private static void DrawFrameAndTicks(Raster raster, PanelBox panel, AxisTickSet xTicks, AxisTickSet? yTicks)
    {
        foreach (var tick in xTicks.Values)
        {
            int x = (int)Math.Round(panel.X(tick, xTicks.Range) - 0.5);
            raster.FillRectangle(x, panel.Bottom - TickLength, x + 1, panel.Bottom, FrameColor);
        }
        if (yTicks is not null)
            foreach (var tick in yTicks.Values)
            {
                int y = (int)Math.Round(panel.Y(tick, yTicks.Range) - 0.5);
                raster.FillRectangle(panel.Left, y, panel.Left + TickLength, y + 1, FrameColor);
            }
        // The frame sits just outside the panel so that it never hides data at the edges.
        raster.FillRectangle(panel.Left - 1, panel.Top - 1, panel.Right + 1, panel.Top, FrameColor);
        raster.FillRectangle(panel.Left - 1, panel.Bottom, panel.Right + 1, panel.Bottom + 1, FrameColor);
        raster.FillRectangle(panel.Left - 1, panel.Top, panel.Left, panel.Bottom, FrameColor);
        raster.FillRectangle(panel.Right, panel.Top, panel.Right + 1, panel.Bottom, FrameColor);
    }
}
