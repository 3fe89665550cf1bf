using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// Simulation-based calibration rank histograms (Talts et al. 2018): for each parameter, the ranks of the true values
/// among L posterior draws over m simulations, in bins, with the grey band that holds a bin's count with 99 %
/// probability when the ranks are uniform (the binomial quantiles). A calibrated posterior stays inside the band; a
/// ∪ shape means too narrow, ∩ too wide, a slope a biased posterior.
/// </summary>
public static class SbcRankPlot
{
    /// <summary>Renders the histograms.</summary>
    /// <param name="ranks">Ranks [simulation, parameter] in 0..<paramref name="draws"/>.</param>
    /// <param name="draws">L, the posterior draws per simulation (ranks take L + 1 values).</param>
    /// <param name="names">The parameter names.</param>
    /// <param name="bins">Bins per histogram; 0 chooses about m / 20, at most 20 and dividing L + 1 where possible.</param>
    /// <param name="title">A title above the panels.</param>
    public static PlotImage Render(long[,] ranks, long draws, IReadOnlyList<string> names, int bins = 0, string? title = null)
    {
        int m = ranks.GetLength(0), d = ranks.GetLength(1);
        if (names.Count != d) throw new ArgumentException($"{names.Count} names for {d} parameters.", nameof(names));
        if (bins <= 0) bins = ChooseBins(m, draws);
        title ??= $"SBC ranks: {m} simulations, {draws} draws each";
        int columns = Math.Min(Math.Max(d, 1), 3);
        int rows = Math.Max(1, (d + columns - 1) / columns);
        var grid = new PanelGrid(rows, columns, 240, 150, new PixelPadding(58, 22, 46, 8), 36);
        double p = 1.0 / bins;
        var (low, high) = (BinomialQuantile(m, p, 0.005), BinomialQuantile(m, p, 0.995));
        var panels = new List<(Plot, int, int)>();
        for (int j = 0; j < d; j++)
        {
            var plot = grid.NewPanel();
            var values = new double[m];
            for (int i = 0; i < m; i++) values[i] = ranks[i, j];
            // Bins over [0, L + 1): rank r falls in bin floor(r · bins / (L + 1)).
            var counts = Histograms.Counts(values, 0, draws + 1, bins);
            var band = plot.Add.VerticalSpan(low, high, FigureStyle.Reference.WithAlpha(0.18));
            band.LineWidth = 0;
            plot.Add.HorizontalLine(m * p, 1, FigureStyle.Reference, LinePattern.Dashed);
            var bars = counts.Select((c, b) => new Bar
            {
                Position = (b + 0.5) * (draws + 1.0) / bins,
                Value = c,
                Size = (draws + 1.0) / bins * 0.92,
                FillColor = FigureStyle.SetColor(0).WithAlpha(0.75),
                LineWidth = 0,
            }).ToArray();
            plot.Add.Bars(bars);
            plot.Axes.SetLimits(0, draws + 1, 0, Math.Max(counts.Max(), high) * 1.12);
            plot.Axes.Bottom.Label.Text = $"rank of {names[j]}";
            plot.Axes.Left.Label.Text = "simulations";
            panels.Add((plot, j / columns, j % columns));
        }
        return grid.Render(panels, title);
    }

    /// <summary>About m / 20 bins (at least 5, at most 20), preferring a count that divides L + 1 so that bins hold equal numbers of ranks.</summary>
    public static int ChooseBins(int simulations, long draws)
    {
        int target = Math.Clamp(simulations / 20, 5, 20);
        for (int b = target; b >= 5; b--)
            if ((draws + 1) % b == 0) return b;
        return target;
    }

    /// <summary>The smallest k with P(X ≤ k) ≥ q for X ~ Binomial(n, p).</summary>
    public static int BinomialQuantile(int n, double p, double q)
    {
        double logP = Math.Log(p), log1P = Math.Log(1 - p);
        double cumulative = 0, logChoose = 0;
        for (int k = 0; k <= n; k++)
        {
            if (k > 0) logChoose += Math.Log(n - k + 1) - Math.Log(k);
            cumulative += Math.Exp(logChoose + k * logP + (n - k) * log1P);
            if (cumulative >= q) return k;
        }
        return n;
    }
}
