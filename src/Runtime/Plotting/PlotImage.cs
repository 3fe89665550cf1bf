using Ppl.Runtime.IO;
using ScottPlot;
using SkiaSharp;

namespace Ppl.Runtime.Plotting;

/// <summary>A rendered figure: its size and its PNG bytes.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Png">The encoded PNG file.</param>
public sealed record PlotImage(int Width, int Height, byte[] Png)
{
    /// <summary>Writes the PNG file atomically (a temporary name, then moved into place).</summary>
    public DataFileResult Write(string path) => DataFileAccess.WriteAtomically(path, stream => stream.Write(Png));

    /// <summary>Renders the panels of a figure onto a white canvas of the given size, each plot in its rectangle.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="panels">The plots and where they go (in order: later ones are drawn over earlier ones).</param>
    public static PlotImage Render(int width, int height, IReadOnlyList<(Plot Plot, PixelRect Rect)> panels)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        foreach (var (plot, rect) in panels)
        {
            canvas.Save();
            plot.RenderManager.ClearCanvasBeforeEachRender = false;
            plot.RenderManager.Render(canvas, rect);
            canvas.Restore();
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return new PlotImage(width, height, data.ToArray());
    }

    /// <summary>Renders one plot filling the whole figure.</summary>
    public static PlotImage Render(Plot plot, int width, int height) =>
        Render(width, height, [(plot, new PixelRect(0, width, height, 0))]);
}
