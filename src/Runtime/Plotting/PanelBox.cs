namespace Ppl.Runtime.Plotting;

/// <summary>A square plotting area in pixels and the mapping between data values and pixel positions in it.</summary>
internal readonly record struct PanelBox(int Left, int Top, int Size)
{
    public int Right => Left + Size;

    public int Bottom => Top + Size;

    /// <summary>The pixel x of a data value.</summary>
    public double X(double value, (double Min, double Max) range) => Left + (value - range.Min) / (range.Max - range.Min) * Size;

    /// <summary>The pixel y of a data value (larger values higher up).</summary>
    public double Y(double value, (double Min, double Max) range) => Bottom - (value - range.Min) / (range.Max - range.Min) * Size;

    /// <summary>The data value at a horizontal offset from the panel's left edge.</summary>
    public double DataX(double offset, (double Min, double Max) range) => range.Min + offset / Size * (range.Max - range.Min);

    /// <summary>The data value at a vertical offset from the panel's top edge.</summary>
    public double DataY(double offset, (double Min, double Max) range) => range.Max - offset / Size * (range.Max - range.Min);
}

/// <summary>The ticks of one parameter's axis: its range, the tick values and their labels.</summary>
internal sealed record AxisTickSet((double Min, double Max) Range, double[] Values, string[] Labels);
