using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// Draws a <see cref="DensityGrid"/> into a panel as a ScottPlot heatmap sampled finely (bilinear between bin centres):
/// filled credible regions (one translucent shade per region, the innermost strongest) or continuous shading.
/// Cells outside every region are NaN, which the heatmap leaves transparent.
/// </summary>
public static class DensityImage
{
    /// <summary>Cells per axis of the sampled image (finer than any grid, coarse enough to stay cheap).</summary>
    public const int Resolution = 120;

    /// <summary>Fills the regions above <paramref name="thresholds"/> (ordered from the innermost, highest density).</summary>
    public static void AddRegions(Plot plot, DensityGrid grid, IReadOnlyList<double> thresholds, (double Min, double Max) xRange,
        (double Min, double Max) yRange, Color color, double fillScale)
    {
        int levels = thresholds.Count;
        if (levels == 0) return;
        var alphas = Enumerable.Range(0, levels).Select(k => fillScale * (levels == 1 ? 0.35 : 0.55 - 0.33 * k / (levels - 1))).ToArray();
        var cells = Sample(grid, xRange, yRange, value =>
        {
            for (int k = 0; k < levels; k++)
                if (value >= thresholds[k]) return k;
            return double.NaN;
        });
        AddHeatmap(plot, cells, xRange, yRange, new LevelColormap(color, alphas), new ScottPlot.Range(0, Math.Max(1, levels - 1)));
    }

    /// <summary>Shades the density continuously, transparent where it is 0.</summary>
    public static void AddShading(Plot plot, DensityGrid grid, (double Min, double Max) xRange, (double Min, double Max) yRange, Color color)
    {
        double max = grid.Max();
        if (max <= 0) return;
        var cells = Sample(grid, xRange, yRange, value => value > 0 ? value / max : double.NaN);
        AddHeatmap(plot, cells, xRange, yRange, new ShadeColormap(color), new ScottPlot.Range(0, 1));
    }

    private static double[,] Sample(DensityGrid grid, (double Min, double Max) xRange, (double Min, double Max) yRange, Func<double, double> map)
    {
        var cells = new double[Resolution, Resolution];
        double dx = (xRange.Max - xRange.Min) / Resolution, dy = (yRange.Max - yRange.Min) / Resolution;
        // Row 0 is the top of the image.
        for (int r = 0; r < Resolution; r++)
            for (int c = 0; c < Resolution; c++)
                cells[r, c] = map(grid.ValueAt(xRange.Min + (c + 0.5) * dx, yRange.Max - (r + 0.5) * dy));
        return cells;
    }

    private static void AddHeatmap(Plot plot, double[,] cells, (double Min, double Max) xRange, (double Min, double Max) yRange,
        IColormap colormap, ScottPlot.Range range)
    {
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Extent = new CoordinateRect(xRange.Min, xRange.Max, yRange.Min, yRange.Max);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        heatmap.NaNCellColor = Colors.Transparent;
        heatmap.Smooth = false;
    }

    /// <summary>One translucent shade of a colour per region index.</summary>
    private sealed class LevelColormap(Color color, double[] alphas) : IColormap
    {
        public string Name => "credible regions";

        public Color GetColor(double position)
        {
            if (double.IsNaN(position)) return Colors.Transparent;
            int k = (int)Math.Round(Math.Clamp(position, 0, 1) * Math.Max(1, alphas.Length - 1));
            return color.WithAlpha(alphas[Math.Min(k, alphas.Length - 1)]);
        }
    }

    /// <summary>The colour with opacity growing with the density.</summary>
    private sealed class ShadeColormap(Color color) : IColormap
    {
        public string Name => "density shading";

        public Color GetColor(double position) =>
            double.IsNaN(position) ? Colors.Transparent : color.WithAlpha(0.85 * Math.Clamp(position, 0, 1));
    }
}
