using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// Rank plots (Vehtari et al. 2021): every draw of a parameter is ranked among the draws of all chains together, and
/// each chain's ranks are histogrammed. Chains that mix well give flat histograms at the dashed uniform count; a chain
/// stuck high or low bends its histogram away from it. One panel per parameter, one colour per chain.
/// </summary>
public static class RankPlot
{
    /// <summary>Renders the rank histograms of every parameter of <paramref name="draws"/>.</summary>
    public static PlotImage Render(ChainDraws draws, string? title = null)
    {
        int d = draws.Names.Count;
        int columns = Math.Min(Math.Max(d, 1), 3);
        int rows = Math.Max(1, (d + columns - 1) / columns);
        var grid = new PanelGrid(rows, columns, 260, 150, new PixelPadding(62, 24, 46, 8), title is null ? 0 : 36);
        var panels = new List<(Plot, int, int)>();
        for (int p = 0; p < d; p++)
        {
            var plot = grid.NewPanel();
            var ranks = Ranks(draws, p);
            int total = ranks.Sum(r => r.Length);
            int shortest = ranks.Length == 0 ? 0 : ranks.Min(r => r.Length);
            int bins = Math.Clamp(shortest / 10, 5, 20);
            double max = 0;
            for (int c = 0; c < ranks.Length; c++)
            {
                var counts = Histograms.Counts(ranks[c].Select(r => (double)r), 0, total, bins);
                max = Math.Max(max, counts.Max());
                var (xs, ys) = Histograms.StepOf(counts, 0, total);
                var line = plot.Add.ScatterLine(xs, ys, FigureStyle.SetColor(c));
                line.LineWidth = 1.5f;
            }
            if (ranks.Length > 0)
            {
                double expected = ranks.Average(r => r.Length) / bins;
                plot.Add.HorizontalLine(expected, 1.2f, FigureStyle.Reference, LinePattern.Dashed);
                plot.Axes.SetLimits(0, Math.Max(total, 1), 0, Math.Max(max, expected) * 1.15);
            }
            plot.Axes.Bottom.Label.Text = $"rank of {draws.Names[p]}";
            plot.Axes.Left.Label.Text = "count";
            panels.Add((plot, p / columns, p % columns));
        }
        return grid.Render(panels, title);
    }

    /// <summary>The rank (0-based) of each draw of <paramref name="parameter"/> among all chains' draws, per chain.
    /// Non-finite draws get no rank.</summary>
    public static int[][] Ranks(ChainDraws draws, int parameter)
    {
        var all = new List<(double Value, int Chain, int Index)>();
        var result = new int[draws.Chains][];
        for (int c = 0; c < draws.Chains; c++)
        {
            var column = draws.Column(c, parameter);
            int finite = 0;
            for (int i = 0; i < column.Length; i++)
                if (double.IsFinite(column[i])) all.Add((column[i], c, finite++));
            result[c] = new int[finite];
        }
        all.Sort((a, b) => a.Value.CompareTo(b.Value));
        for (int r = 0; r < all.Count; r++) result[all[r].Chain][all[r].Index] = r;
        return result;
    }
}
