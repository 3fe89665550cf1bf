using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// A figure of equal panels in rows and columns. Every panel gets the same fixed padding (room for tick labels and axis
/// names), so that data areas line up across the figure; a title band sits above the grid.
/// </summary>
/// <param name="Rows">Rows of panels.</param>
/// <param name="Columns">Columns of panels.</param>
/// <param name="DataWidth">Width of one panel's data area in pixels.</param>
/// <param name="DataHeight">Height of one panel's data area in pixels.</param>
/// <param name="Padding">Padding around every data area.</param>
/// <param name="TitleHeight">Height of the title band (0 for none).</param>
public sealed record PanelGrid(int Rows, int Columns, int DataWidth, int DataHeight, PixelPadding Padding, int TitleHeight)
{
    /// <summary>Width of the figure in pixels.</summary>
    public int Width => Columns * (int)(DataWidth + Padding.Left + Padding.Right);

    /// <summary>Height of the figure in pixels.</summary>
    public int Height => TitleHeight + Rows * (int)(DataHeight + Padding.Top + Padding.Bottom);

    /// <summary>The whole rectangle (padding included) of the panel at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public PixelRect Cell(int row, int column)
    {
        float w = DataWidth + Padding.Left + Padding.Right, h = DataHeight + Padding.Top + Padding.Bottom;
        float left = column * w, top = TitleHeight + row * h;
        return new PixelRect(left, left + w, top + h, top);
    }

    /// <summary>The data area of the panel at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public PixelRect DataArea(int row, int column) => Cell(row, column).Contract(Padding);

    /// <summary>A new panel plot with this grid's fixed padding.</summary>
    public Plot NewPanel()
    {
        var plot = FigureStyle.NewPlot();
        plot.Layout.Fixed(Padding);
        plot.FigureBackground.Color = Colors.Transparent;
        return plot;
    }

    /// <summary>Renders the panels (each with its cell) and the title, centred in the title band.</summary>
    public PlotImage Render(IEnumerable<(Plot Plot, int Row, int Column)> panels, string? title)
    {
        var placed = panels.Select(p => (p.Plot, Cell(p.Row, p.Column))).ToList();
        if (title is not null && TitleHeight > 0) placed.Add((TitleBand.Create(title), new PixelRect(0, Width, TitleHeight, 0)));
        return PlotImage.Render(Width, Height, placed);
    }
}
