namespace Ppl.Runtime.Plotting;

/// <summary>
/// Where everything of a <see cref="CornerPlot"/> goes: panel size and gaps, the margins that tick labels, names,
/// title and legend need, and the ticks of every axis (as many as fit without labels touching).
/// </summary>
internal sealed class CornerLayout
{
    private const int Pad = 14;
    private const int LabelGap = 6;
    private const int SwatchWidth = 30;

    private readonly int dimensions;
    private readonly int panelSize;
    private readonly int gap;
    private readonly int left;
    private readonly int top;
    private readonly int scale;
    private readonly string? title;
    private readonly int legendEntryHeight;

    private CornerLayout(int dimensions, int panelSize, int gap, int left, int top, int width, int height, int scale, string? title,
        int legendEntryHeight, AxisTickSet[] ticks)
    {
        this.dimensions = dimensions;
        this.panelSize = panelSize;
        this.gap = gap;
        this.left = left;
        this.top = top;
        this.scale = scale;
        this.title = title;
        this.legendEntryHeight = legendEntryHeight;
        Width = width;
        Height = height;
        Ticks = ticks;
    }

    public int Width { get; }

    public int Height { get; }

    public AxisTickSet[] Ticks { get; }

    private static BitmapFont Font => BitmapFont.Default;

    private int GridRight => left + dimensions * panelSize + (dimensions - 1) * gap;

    public static CornerLayout Create(int d, (double Min, double Max)[] ranges, string[] labels, CornerPlotOptions options)
    {
        int scale = Math.Max(1, options.TextScale);
        int panel = options.PanelSize ?? (d <= 3 ? 240 : d <= 5 ? 200 : d <= 7 ? 170 : 140);
        panel = Math.Max(40, panel);
        int gap = Math.Max(5, panel / 30);
        var ticks = ranges.Select(r => ChooseTicks(r, panel, scale)).ToArray();

        int nameHeight = (BitmapFont.CapHeight + BitmapFont.Descent) * scale;
        int maxYLabel = d > 1 ? ticks.Skip(1).SelectMany(t => t.Labels).Select(l => Font.MeasureWidth(l, scale)).DefaultIfEmpty(0).Max() : 0;
        int firstHalf = ticks[0].Labels.Length > 0 ? Font.MeasureWidth(ticks[0].Labels[0], scale) / 2 : 0;
        int lastHalf = ticks[^1].Labels.Length > 0 ? Font.MeasureWidth(ticks[^1].Labels[^1], scale) / 2 : 0;

        int legendEntries = options.ShowLegend ? labels.Length + (HasTruths(options) ? 1 : 0) : 0;
        int entryHeight = Math.Max(BitmapFont.CapHeight * scale, 12) + 10;
        int titleHeight = string.IsNullOrEmpty(options.Title) ? 0 : BitmapFont.CapHeight * (scale + 1) + 16;

        int marginLeft = d > 1 ? Pad + nameHeight + 10 + maxYLabel + LabelGap + 2 : Pad + Math.Max(firstHalf, 8);
        int marginTop = Pad + titleHeight + (d == 1 && legendEntries > 0 ? legendEntries * entryHeight + 8 : 0);
        int marginRight = Pad + Math.Max(lastHalf, 8);
        int marginBottom = LabelGap + BitmapFont.CapHeight * scale + 12 + nameHeight + Pad;
        int grid = d * panel + (d - 1) * gap;
        return new CornerLayout(d, panel, gap, marginLeft, marginTop, marginLeft + grid + marginRight, marginTop + grid + marginBottom,
            scale, options.Title, entryHeight, ticks);
    }

    public PanelBox Panel(int row, int column) => new(left + column * (panelSize + gap), top + row * (panelSize + gap), panelSize);

    public void DrawLabels(Raster raster, IReadOnlyList<string> names, Rgba ink)
    {
        int d = dimensions;
        for (int j = 0; j < d; j++)
        {
            var panel = Panel(d - 1, j);
            var ticks = Ticks[j];
            double minX = j == 0 ? 0 : panel.Left - gap / 2.0;
            double maxX = j == d - 1 ? Width : panel.Right + gap / 2.0;
            for (int k = 0; k < ticks.Values.Length; k++)
            {
                double x = panel.X(ticks.Values[k], ticks.Range);
                int half = Font.MeasureWidth(ticks.Labels[k], scale) / 2;
                if (x - half < minX || x + half > maxX) continue;
                raster.DrawText(ticks.Labels[k], x, panel.Bottom + LabelGap, ink, scale, TextAlignment.Center);
            }
            double nameY = panel.Bottom + LabelGap + BitmapFont.CapHeight * scale + 12;
            raster.DrawText(Fit(names[j], panelSize + gap), panel.Left + panelSize / 2.0, nameY, ink, scale, TextAlignment.Center);
        }
        for (int i = 1; i < d; i++)
        {
            var panel = Panel(i, 0);
            var ticks = Ticks[i];
            for (int k = 0; k < ticks.Values.Length; k++)
            {
                double y = panel.Y(ticks.Values[k], ticks.Range);
                double half = BitmapFont.CapHeight * scale / 2.0;
                if (y - half < panel.Top - gap / 2.0 || y + half > panel.Bottom + gap / 2.0) continue;
                raster.DrawText(ticks.Labels[k], panel.Left - LabelGap - 2, y, ink, scale, TextAlignment.End, TextAlignment.Center);
            }
            raster.DrawText(Fit(names[i], panelSize + gap), Pad, panel.Top + panelSize / 2.0, ink, scale, TextAlignment.Center, TextAlignment.Start, rotated: true);
        }
        if (!string.IsNullOrEmpty(title))
            raster.DrawText(Fit(title, Width - 2 * Pad, scale + 1), (left + GridRight) / 2.0, Pad, ink, scale + 1, TextAlignment.Center);
    }

    public void DrawLegend(Raster raster, string[] labels, CornerPlotOptions options, Rgba ink)
    {
        var entries = labels.Select((label, s) => (Label: label, Color: options.Colors[s % options.Colors.Count], Truth: false)).ToList();
        if (HasTruths(options)) entries.Add((options.TruthLabel, options.TruthColor, true));
        if (entries.Count == 0) return;
        int available = dimensions > 1 ? (dimensions - 1) * (panelSize + gap) - gap - SwatchWidth - 18 : Width - left - Pad - SwatchWidth - 8;
        var texts = entries.Select(e => Fit(e.Label, Math.Max(available, 4 * scale))).ToArray();
        int textWidth = texts.Max(t => Font.MeasureWidth(t, scale));
        int width = SwatchWidth + 8 + textWidth;
        double x = dimensions > 1 ? GridRight - width : left;
        double y = dimensions > 1 ? top : top - entries.Count * legendEntryHeight - 8;
        for (int k = 0; k < entries.Count; k++)
        {
            double middle = y + k * legendEntryHeight + legendEntryHeight / 2.0;
            var (_, color, truth) = entries[k];
            if (truth)
            {
                raster.DrawLine(x, middle, x + SwatchWidth, middle, color, 1.4);
                raster.FillCircle(x + SwatchWidth / 2.0, middle, 3.2, color);
            }
            else
            {
                raster.FillRectangle(x, middle - 6, x + SwatchWidth, middle + 6, color.WithOpacity(0.45));
                raster.DrawRectangle(x + 0.75, middle - 5.25, x + SwatchWidth - 0.75, middle + 5.25, color, 1.5);
            }
            raster.DrawText(texts[k], x + SwatchWidth + 8, middle, ink, scale, TextAlignment.Start, TextAlignment.Center);
        }
    }

    private string Fit(string text, int maxWidth) => Fit(text, maxWidth, scale);

    /// <summary>Shortens <paramref name="text"/> with an ellipsis until it fits <paramref name="maxWidth"/> pixels.</summary>
    private static string Fit(string text, int maxWidth, int scale)
    {
        if (Font.MeasureWidth(text, scale) <= maxWidth) return text;
        for (int length = text.Length - 1; length > 0; length--)
        {
            var shortened = text[..length] + "…";
            if (Font.MeasureWidth(shortened, scale) <= maxWidth) return shortened;
        }
        return "…";
    }

    private static bool HasTruths(CornerPlotOptions options) => options.Truths is { } t && t.Any(double.IsFinite);

    /// <summary>
    /// Nice ticks whose labels stay at least 10 pixels apart: the finest step with at most 6 ticks whose labels
    /// all fit; failing that, the finest step where labelling every other tick fits; failing that, one tick.
    /// Unlabelled ticks keep their tick marks (their label is empty).
    /// </summary>
    private static AxisTickSet ChooseTicks((double Min, double Max) range, int panel, int scale)
    {
        var candidates = new List<(double[] Values, string[] Labels, double Spacing, int Widest)>();
        double step = AxisTicks.Step(range.Min, range.Max, 6);
        for (int attempt = 0; attempt < 12; attempt++, step = AxisTicks.NextStep(step))
        {
            var values = AxisTicks.Choose(range.Min, range.Max, step);
            if (values.Length == 0) break;
            var labels = values.Select(v => AxisTicks.Format(v, step)).ToArray();
            double spacing = step / (range.Max - range.Min) * panel;
            candidates.Add((values, labels, spacing, labels.Max(l => BitmapFont.Default.MeasureWidth(l, scale))));
            if (values.Length < 2) break;
        }
        foreach (var (values, labels, spacing, widest) in candidates)
            if (values.Length is >= 2 and <= 6 && widest + 10 <= spacing) return new AxisTickSet(range, values, labels);
        foreach (var (values, labels, spacing, widest) in candidates)
        {
            if (values.Length is < 3 or > 12 || widest + 10 > 2 * spacing) continue;
            // Label every other tick: preferably the even multiples of the step (the rounder values), unless the
            // odd ones give more labels.
            double spacingStep = values[1] - values[0];
            string[] Thin(int parity) => labels.Select((l, k) => Math.Abs(Math.Round(values[k] / spacingStep)) % 2 == parity ? l : "").ToArray();
            var even = Thin(0);
            var odd = Thin(1);
            var thinned = odd.Count(l => l.Length > 0) > even.Count(l => l.Length > 0) ? odd : even;
            if (thinned.Count(l => l.Length > 0) >= 2) return new AxisTickSet(range, values, thinned);
        }
        var last = candidates.Count > 0 ? candidates[^1] : (Array.Empty<double>(), Array.Empty<string>(), 0, 0);
        return new AxisTickSet(range, last.Values.Take(1).ToArray(), last.Labels.Take(1).ToArray());
    }
}
