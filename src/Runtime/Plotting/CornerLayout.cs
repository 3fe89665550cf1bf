using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// Where the panels of a <see cref="CornerPlot"/> go: a lower-triangular grid of square data areas of equal size
/// with margins for tick labels and names on the left and at the bottom, and room for a title at the top. Every
/// panel's data area has the same size, so that columns share their x axis and rows their y axis pixel for pixel.
/// </summary>
public sealed record CornerLayout(int Parameters, int PanelSize, int Gap, int Left, int Top, int Right, int Bottom)
{
    /// <summary>The layout for <paramref name="parameters"/> parameters.</summary>
    public static CornerLayout For(int parameters, CornerPlotOptions options)
    {
        int size = options.PanelSize ?? Math.Clamp(240 - 15 * Math.Max(0, parameters - 3), 140, 240);
        int top = options.Title is null ? 16 : 44;
        return new CornerLayout(parameters, size, 6, 76, top, 20, 64);
    }

    /// <summary>Width of the figure in pixels.</summary>
    public int Width => Left + Parameters * PanelSize + (Parameters - 1) * Gap + Right;

    /// <summary>Height of the figure in pixels.</summary>
    public int Height => Top + Parameters * PanelSize + (Parameters - 1) * Gap + Bottom;

    /// <summary>The data area of the panel in row <paramref name="row"/>, column <paramref name="column"/> (column ≤ row).</summary>
    public PixelRect DataArea(int row, int column)
    {
        float left = Left + column * (PanelSize + Gap);
        float top = Top + row * (PanelSize + Gap);
        return new PixelRect(left, left + PanelSize, top + PanelSize, top);
    }

    /// <summary>The padding around a panel's data area: tick labels and names at the figure's left and bottom edges only.</summary>
    public PixelPadding Padding(int row, int column) =>
        new(column == 0 ? Left : 0, 0, row == Parameters - 1 ? Bottom : 0, 0);
}
