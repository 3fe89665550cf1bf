using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>One method's expected-coverage curve: empirical coverage at each nominal credibility level.</summary>
/// <param name="Label">The name in the legend.</param>
/// <param name="Nominal">Nominal levels in [0, 1], increasing.</param>
/// <param name="Empirical">The fraction of simulations whose truth lies in the region of each level.</param>
public sealed record CoverageCurve(string Label, IReadOnlyList<double> Nominal, IReadOnlyList<double> Empirical);

/// <summary>
/// Expected coverage of highest-density regions (as <see cref="Metrics.ExpectedCoverage"/> computes it) against the
/// nominal level, one line per method, with the diagonal of a calibrated posterior: above it is conservative (too wide),
/// below it overconfident.
/// </summary>
public static class CoveragePlot
{
    /// <summary>Renders the curves.</summary>
    public static PlotImage Render(IReadOnlyList<CoverageCurve> curves, string? title = null)
    {
        var grid = new PanelGrid(1, 1, 360, 360, new PixelPadding(64, 22, 52, 12), title is null ? 0 : 36);
        var plot = grid.NewPanel();
        plot.Add.Line(0, 0, 1, 1).Color = FigureStyle.Reference;
        for (int k = 0; k < curves.Count; k++)
        {
            var curve = curves[k];
            if (curve.Nominal.Count != curve.Empirical.Count)
                throw new ArgumentException($"Curve '{curve.Label}' has {curve.Nominal.Count} levels and {curve.Empirical.Count} coverages.", nameof(curves));
            var line = plot.Add.Scatter(curve.Nominal.ToArray(), curve.Empirical.ToArray(), FigureStyle.SetColor(k));
            line.LineWidth = 2;
            line.MarkerSize = curve.Nominal.Count <= 25 ? 5 : 0;
            line.LegendText = curve.Label;
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Axes.Bottom.Label.Text = "credibility level";
        plot.Axes.Left.Label.Text = "expected coverage";
        if (curves.Count > 0)
        {
            plot.ShowLegend(Alignment.UpperLeft);
            plot.Legend.ShadowColor = Colors.Transparent;
        }
        return grid.Render([(plot, 0, 0)], title);
    }
}
