using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// Trace plots: one row per parameter, the draws of every chain against the iteration on the left (one colour per
/// chain) and each chain's marginal histogram on the right, so that a stuck or drifting chain stands out.
/// </summary>
public static class TracePlot
{
    /// <summary>Renders the traces of every parameter of <paramref name="draws"/>.</summary>
    public static PlotImage Render(ChainDraws draws, string? title = null)
    {
        int d = draws.Names.Count;
        var traceGrid = new PanelGrid(Math.Max(d, 1), 1, 560, 110, new PixelPadding(76, 12, 40, 10), title is null ? 0 : 36);
        var densityWidth = 180;
        int width = traceGrid.Width + densityWidth + 24;
        var panels = new List<(Plot, PixelRect)>();
        for (int p = 0; p < d; p++)
        {
            var trace = traceGrid.NewPanel();
            var (lo, hi) = (double.PositiveInfinity, double.NegativeInfinity);
            for (int c = 0; c < draws.Chains; c++)
            {
                var ys = draws.Column(c, p);
                var xs = Enumerable.Range(1, ys.Length).Select(i => (double)i).ToArray();
                var line = trace.Add.ScatterLine(xs, ys, FigureStyle.SetColor(c).WithAlpha(0.8));
                line.LineWidth = 1;
                foreach (var y in ys.Where(double.IsFinite))
                {
                    lo = Math.Min(lo, y);
                    hi = Math.Max(hi, y);
                }
            }
            trace.Axes.Left.Label.Text = draws.Names[p];
            if (p == d - 1) trace.Axes.Bottom.Label.Text = "iteration";
            var cell = traceGrid.Cell(p, 0);
            panels.Add((trace, cell));

            var density = traceGrid.NewPanel();
            density.Layout.Fixed(new PixelPadding(8, 12, 40, 10));
            if (double.IsFinite(lo))
            {
                if (hi <= lo) (lo, hi) = (lo - 0.5, hi + 0.5);
                for (int c = 0; c < draws.Chains; c++)
                {
                    var (xs, ys) = Histograms.Step(draws.Column(c, p), lo, hi, 30, density: true);
                    var line = density.Add.ScatterLine(ys, xs, FigureStyle.SetColor(c));
                    line.LineWidth = 1.2f;
                }
                trace.Axes.SetLimitsY(lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo));
                density.Axes.SetLimitsY(lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo));
            }
            FigureStyle.HideTicks(density.Axes.Left);
            FigureStyle.HideTicks(density.Axes.Bottom);
            if (p == d - 1) density.Axes.Bottom.Label.Text = "density";
            panels.Add((density, new PixelRect(traceGrid.Width, width, cell.Bottom, cell.Top)));
        }
        if (title is not null) panels.Add((TitleBand.Create(title), new PixelRect(0, width, traceGrid.TitleHeight, 0)));
        return PlotImage.Render(width, traceGrid.Height, panels);
    }
}
