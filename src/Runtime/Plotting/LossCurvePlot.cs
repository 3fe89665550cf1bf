using Ppl.Runtime.Sbi;
using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// Training and validation loss per epoch of a neural estimator or compressor, with the epoch whose weights were
/// kept marked, so that over-fitting (validation rising while training falls) and a stalled run show at a glance.
/// </summary>
public static class LossCurvePlot
{
    /// <summary>Renders the curves of <paramref name="history"/> (epochs in order).</summary>
    public static PlotImage Render(IReadOnlyList<TrainingProgress> history, string? title = null)
    {
        var grid = new PanelGrid(1, 1, 560, 300, new PixelPadding(70, 16, 50, 10), title is null ? 0 : 36);
        var plot = grid.NewPanel();
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        Add(plot, epochs, history.Select(h => h.TrainLoss).ToArray(), FigureStyle.SetColor(0), "training");
        Add(plot, epochs, history.Select(h => h.ValidationLoss).ToArray(), FigureStyle.SetColor(1), "validation");
        var best = history.LastOrDefault(h => h.IsBest);
        if (best.Epoch > 0)
        {
            var line = plot.Add.VerticalLine(best.Epoch, 1.2f, FigureStyle.Reference, LinePattern.Dashed);
            line.LegendText = $"kept (epoch {best.Epoch})";
        }
        if (epochs.Length == 1) plot.Axes.SetLimitsX(epochs[0] - 1, epochs[0] + 1);
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "loss (negative log density)";
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.ShadowColor = Colors.Transparent;
        return grid.Render([(plot, 0, 0)], title);
    }

    private static void Add(Plot plot, double[] epochs, double[] loss, Color color, string label)
    {
        // Non-finite losses (a diverged epoch) are left out rather than drawn off the chart.
        var keep = Enumerable.Range(0, loss.Length).Where(i => double.IsFinite(loss[i])).ToArray();
        if (keep.Length == 0) return;
        var line = plot.Add.Scatter(keep.Select(i => epochs[i]).ToArray(), keep.Select(i => loss[i]).ToArray(), color);
        line.LineWidth = 2;
        line.MarkerSize = keep.Length <= 60 ? 4 : 0;
        line.LegendText = label;
    }
}
