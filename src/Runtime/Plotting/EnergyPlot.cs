using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// The energy plot of Hamiltonian Monte Carlo (Betancourt 2016): the marginal energy distribution (centred) against
/// the distribution of energy changes between successive draws, pooled over chains, with each chain's E-BFMI (<see cref="Ppl.Runtime.Inference.Diagnostics.SamplerDiagnostics.EBfmi"/>). When
/// the transitions are much narrower than the marginal, momentum resampling cannot explore the energy levels (E-BFMI
/// below 0.3) and the sampler may be biased.
/// </summary>
public static class EnergyPlot
{
    /// <summary>Renders the energy plot of chains with energies <paramref name="energy"/> [chain][draw].</summary>
    public static PlotImage Render(IReadOnlyList<IReadOnlyList<double>> energy, string? title = null)
    {
        var grid = new PanelGrid(1, 1, 520, 300, new PixelPadding(60, 16, 48, 10), title is null ? 0 : 36);
        var plot = grid.NewPanel();
        var marginal = new List<double>();
        var transitions = new List<double>();
        foreach (var chain in energy)
        {
            var e = chain.Where(double.IsFinite).ToArray();
            if (e.Length == 0) continue;
            double mean = e.Average();
            marginal.AddRange(e.Select(v => v - mean));
            for (int t = 1; t < e.Length; t++) transitions.Add(e[t] - e[t - 1]);
        }
        var all = marginal.Concat(transitions).ToArray();
        if (all.Length > 0)
        {
            Array.Sort(all);
            double lo = CornerPlot.Quantile(all, 0.002), hi = CornerPlot.Quantile(all, 0.998);
            if (hi <= lo) (lo, hi) = (lo - 0.5, hi + 0.5);
            int bins = Math.Clamp((int)Math.Round(2 * Math.Cbrt(all.Length)), 10, 60);
            double top = Math.Max(Add(plot, marginal, lo, hi, bins, FigureStyle.SetColor(0), "marginal energy (E − mean)"),
                Add(plot, transitions, lo, hi, bins, FigureStyle.SetColor(1), "energy transition ΔE"));
            // Head room above the histograms for the legend.
            plot.Axes.SetLimits(lo, hi, 0, (top > 0 ? top : 1) * 1.45);
        }
        var bfmi = energy.Select(Ppl.Runtime.Inference.Diagnostics.SamplerDiagnostics.EBfmi).ToArray();
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = "E-BFMI per chain: " + string.Join(", ", bfmi.Select(b => double.IsNaN(b) ? "–" : b.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))),
            LineColor = Colors.Transparent,
        });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.FontSize = 12;
        FigureStyle.HideTicks(plot.Axes.Left);
        plot.Axes.Left.Label.Text = "density";
        plot.Axes.Bottom.Label.Text = "energy";
        return grid.Render([(plot, 0, 0)], title);
    }

    /// <summary>Adds a filled density histogram; returns its highest bar.</summary>
    private static double Add(Plot plot, IReadOnlyCollection<double> values, double lo, double hi, int bins, Color color, string label)
    {
        if (values.Count == 0) return 0;
        var (xs, ys) = Histograms.Step(values, lo, hi, bins, density: true);
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = 1.6f;
        line.FillY = true;
        line.FillYValue = 0;
        line.FillYColor = color.WithAlpha(0.2);
        line.LegendText = label;
        return ys.Max();
    }
}
