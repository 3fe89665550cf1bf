using ScottPlot;

namespace Ppl.Runtime.Plotting;

/// <summary>A frameless plot that shows only a title, centred, for the band above a figure's panels.</summary>
public static class TitleBand
{
    /// <summary>The title plot; render it into the band's rectangle.</summary>
    public static Plot Create(string title)
    {
        var band = FigureStyle.NewPlot();
        band.Layout.Fixed(new PixelPadding(0, 0, 0, 0));
        band.Axes.Frameless();
        band.HideGrid();
        band.FigureBackground.Color = Colors.Transparent;
        band.DataBackground.Color = Colors.Transparent;
        band.Axes.SetLimits(0, 1, 0, 1);
        var text = band.Add.Text(title, 0.5, 0.5);
        text.LabelFontSize = 15;
        text.LabelBold = true;
        text.LabelFontColor = FigureStyle.Ink;
        text.LabelAlignment = Alignment.MiddleCenter;
        return band;
    }
}
