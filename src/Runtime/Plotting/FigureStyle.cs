using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// The look every figure shares: the colours of sample sets and chains, the font (the first sans-serif family that is
/// installed, so that a machine without fonts still renders, with the library's fallback), and the styling of one panel.
/// </summary>
public static class FigureStyle
{
    /// <summary>Colours of sample sets, chains or methods, in order (cycled when there are more).</summary>
    public static readonly IReadOnlyList<Color> Palette =
    [
        Color.FromHex("#1F5FA8"), Color.FromHex("#D1492E"), Color.FromHex("#1C9E74"), Color.FromHex("#7A4FB3"),
        Color.FromHex("#E0A100"), Color.FromHex("#5B5B5B"), Color.FromHex("#17BECF"), Color.FromHex("#8C564B"),
    ];

    /// <summary>Text and truth markers.</summary>
    public static readonly Color Ink = Color.FromHex("#222222");

    /// <summary>Reference lines (a uniform rank count, the diagonal of a coverage plot).</summary>
    public static readonly Color Reference = Color.FromHex("#777777");

    private static readonly Lazy<string?> SansFamily = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans" }.FirstOrDefault(installed.Contains);
    });

    /// <summary>The colour of sample set (or chain) <paramref name="index"/>.</summary>
    public static Color SetColor(int index) => Palette[index % Palette.Count];

    /// <summary>Hides an axis's tick marks and labels (a density axis whose numbers mean nothing to the reader).</summary>
    public static void HideTicks(IAxis axis)
    {
        axis.TickLabelStyle.IsVisible = false;
        axis.MajorTickStyle.Length = 0;
        axis.MinorTickStyle.Length = 0;
    }

    /// <summary>
    /// Ticks at least <paramref name="minimumSpacing"/> pixels apart, labelled with at most as many decimals as ticks over
    /// <paramref name="span"/> need to differ, trailing zeros dropped, and no digit grouping (7998.5, not "7,998"), so that narrow ranges far
    /// from 0 still read, and neighbouring small panels do not run their labels together.
    /// </summary>
    public static void CompactTicks(IAxis axis, double span, float minimumSpacing)
    {
        double step = span / 5;
        int decimals = step > 0 && double.IsFinite(step) ? Math.Clamp((int)Math.Ceiling(-Math.Log10(step)), 0, 12) : 2;
        // Trailing zeros are dropped: 1000, 1000.5.
        string format = decimals == 0 ? "0" : "0." + new string('#', decimals);
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinimumTickSpacing = minimumSpacing,
            LabelFormatter = value => Math.Abs(value) >= 1e6 || (value != 0 && Math.Abs(value) < 1e-4 && decimals > 6)
                ? value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)
                : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A new plot with the shared font, light grid and frame.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        if (SansFamily.Value is { } family) plot.Font.Set(family);
        plot.Grid.MajorLineColor = Color.FromHex("#000000").WithAlpha(0.08);
        plot.Axes.Color(Color.FromHex("#4D4D4D"));
        foreach (var axis in plot.Axes.GetAxes()) axis.TickLabelStyle.FontSize = 11;
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Title.Label.FontSize = 14;
        return plot;
    }
}
