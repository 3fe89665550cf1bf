using SkiaSharp;

namespace Ppl.Runtime.Tests.Plotting;

/// <summary>The pixels of a PNG file, decoded by SkiaSharp, for tests that check a figure's size and a few known pixels.</summary>
public sealed class PngPixels
{
    private readonly SKColor[] pixels;

    private PngPixels(int width, int height, SKColor[] pixels)
    {
        Width = width;
        Height = height;
        this.pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Decodes PNG bytes; fails the test when they are not a PNG image.</summary>
    public static PngPixels Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        using var codec = SKCodec.Create(new MemoryStream(png));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        using var bitmap = SKBitmap.Decode(png);
        return new PngPixels(bitmap.Width, bitmap.Height, bitmap.Pixels);
    }

    /// <summary>The colour at (x, y), rows from the top.</summary>
    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        var c = pixels[y * Width + x];
        return (c.Red, c.Green, c.Blue, c.Alpha);
    }

    /// <summary>How many pixels in the rectangle [x0, x1) × [y0, y1) lie within <paramref name="tolerance"/> (sum of
    /// absolute channel differences) of the colour.</summary>
    public int CountNear(byte r, byte g, byte b, int tolerance = 24, int x0 = 0, int y0 = 0, int x1 = int.MaxValue, int y1 = int.MaxValue)
    {
        int count = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
            {
                var (pr, pg, pb, _) = Pixel(x, y);
                if (Math.Abs(pr - r) + Math.Abs(pg - g) + Math.Abs(pb - b) <= tolerance) count++;
            }
        return count;
    }
}
