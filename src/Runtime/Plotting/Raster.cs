namespace Ppl.Runtime.Plotting;

/// <summary>
/// An RGBA image in memory with anti-aliased drawing: pixels, rectangles, lines (optionally dashed), circles and
/// text. Pixel (x, y) covers the square [x, x+1) × [y, y+1) with y growing downwards; shapes take real-valued
/// coordinates and cover pixels partially at their edges. Colours are composited "source over" with straight
/// alpha. Drawing is limited to the clip rectangle (the whole image unless <see cref="SetClip"/> narrows it).
/// </summary>
public sealed class Raster
{
    private readonly byte[] pixels;
    private int clipLeft;
    private int clipTop;
    private int clipRight;
    private int clipBottom;

    /// <summary>Creates an image filled with <paramref name="background"/>.</summary>
    public Raster(int width, int height, Rgba background)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"A raster needs a positive size, not {width}×{height}.");
        Width = width;
        Height = height;
        pixels = new byte[checked(width * height * 4)];
        ResetClip();
        Clear(background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, row by row from the top, four bytes (R, G, B, A) each.</summary>
    public ReadOnlySpan<byte> Pixels => pixels;

    /// <summary>Sets every pixel (ignoring the clip rectangle).</summary>
    public void Clear(Rgba color)
    {
        for (int i = 0; i < pixels.Length; i += 4)
        {
            pixels[i] = color.R;
            pixels[i + 1] = color.G;
            pixels[i + 2] = color.B;
            pixels[i + 3] = color.A;
        }
    }

    /// <summary>Limits drawing to the pixels inside [left, right) × [top, bottom) (rounded outwards, within the image).</summary>
    public void SetClip(double left, double top, double right, double bottom)
    {
        clipLeft = Math.Clamp((int)Math.Floor(left), 0, Width);
        clipTop = Math.Clamp((int)Math.Floor(top), 0, Height);
        clipRight = Math.Clamp((int)Math.Ceiling(right), clipLeft, Width);
        clipBottom = Math.Clamp((int)Math.Ceiling(bottom), clipTop, Height);
    }

    /// <summary>Lets drawing reach the whole image again.</summary>
    public void ResetClip()
    {
        clipLeft = 0;
        clipTop = 0;
        clipRight = Width;
        clipBottom = Height;
    }

    /// <summary>The colour of a pixel.</summary>
    public Rgba GetPixel(int x, int y)
    {
        int i = Index(x, y);
        return new Rgba(pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]);
    }

    /// <summary>Replaces a pixel's colour (no blending, no clipping).</summary>
    public void SetPixel(int x, int y, Rgba color)
    {
        int i = Index(x, y);
        pixels[i] = color.R;
        pixels[i + 1] = color.G;
        pixels[i + 2] = color.B;
        pixels[i + 3] = color.A;
    }

    /// <summary>Composites <paramref name="color"/> over a pixel, scaled by <paramref name="coverage"/> (0..1); clipped.</summary>
    public void BlendPixel(int x, int y, Rgba color, double coverage = 1)
    {
        if (x < clipLeft || x >= clipRight || y < clipTop || y >= clipBottom || coverage <= 0) return;
        double sourceAlpha = color.A / 255.0 * Math.Min(coverage, 1);
        if (sourceAlpha <= 0) return;
        int i = (y * Width + x) * 4;
        double destinationAlpha = pixels[i + 3] / 255.0;
        double outAlpha = sourceAlpha + destinationAlpha * (1 - sourceAlpha);
        double keep = destinationAlpha * (1 - sourceAlpha) / outAlpha;
        double take = sourceAlpha / outAlpha;
        pixels[i] = (byte)Math.Round(color.R * take + pixels[i] * keep);
        pixels[i + 1] = (byte)Math.Round(color.G * take + pixels[i + 1] * keep);
        pixels[i + 2] = (byte)Math.Round(color.B * take + pixels[i + 2] * keep);
        pixels[i + 3] = (byte)Math.Round(outAlpha * 255);
    }

    /// <summary>Fills [left, right) × [top, bottom); edge pixels are covered in proportion to the area inside.</summary>
    public void FillRectangle(double left, double top, double right, double bottom, Rgba color)
    {
        if (right < left) (left, right) = (right, left);
        if (bottom < top) (top, bottom) = (bottom, top);
        int x0 = Math.Max(clipLeft, (int)Math.Floor(left));
        int x1 = Math.Min(clipRight, (int)Math.Ceiling(right));
        int y0 = Math.Max(clipTop, (int)Math.Floor(top));
        int y1 = Math.Min(clipBottom, (int)Math.Ceiling(bottom));
        for (int y = y0; y < y1; y++)
        {
            double coverY = Math.Min(bottom, y + 1) - Math.Max(top, y);
            for (int x = x0; x < x1; x++)
            {
                double coverX = Math.Min(right, x + 1) - Math.Max(left, x);
                BlendPixel(x, y, color, coverX * coverY);
            }
        }
    }

    /// <summary>Outlines a rectangle with a line of the given width centred on its edges.</summary>
    public void DrawRectangle(double left, double top, double right, double bottom, Rgba color, double width = 1)
    {
        double h = width / 2;
        FillRectangle(left - h, top - h, right + h, top + h, color);
        FillRectangle(left - h, bottom - h, right + h, bottom + h, color);
        FillRectangle(left - h, top + h, left + h, bottom - h, color);
        FillRectangle(right - h, top + h, right + h, bottom - h, color);
    }

    /// <summary>
    /// Draws an anti-aliased line segment with round ends. Coverage falls off over one pixel at the edge of the
    /// stroke; strokes thinner than a pixel are drawn one pixel wide and proportionally fainter.
    /// </summary>
    /// <param name="dash">Optional on/off lengths in pixels (e.g. { 6, 4 }), repeated along the segment.</param>
    /// <param name="dashOffset">How far into the dash pattern the segment starts (to continue a pattern across segments).</param>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgba color, double width = 1, IReadOnlyList<double>? dash = null, double dashOffset = 0)
    {
        double opacity = width < 1 ? width : 1;
        double half = Math.Max(width, 1) / 2;
        double dx = x1 - x0, dy = y1 - y0;
        double lengthSquared = dx * dx + dy * dy;
        double length = Math.Sqrt(lengthSquared);
        double dashPeriod = dash is null ? 0 : dash.Sum();
        int left = Math.Max(clipLeft, (int)Math.Floor(Math.Min(x0, x1) - half - 1));
        int right = Math.Min(clipRight, (int)Math.Ceiling(Math.Max(x0, x1) + half + 1));
        int top = Math.Max(clipTop, (int)Math.Floor(Math.Min(y0, y1) - half - 1));
        int bottom = Math.Min(clipBottom, (int)Math.Ceiling(Math.Max(y0, y1) + half + 1));
        for (int y = top; y < bottom; y++)
        {
            double py = y + 0.5;
            for (int x = left; x < right; x++)
            {
                double px = x + 0.5;
                double t = lengthSquared > 0 ? Math.Clamp(((px - x0) * dx + (py - y0) * dy) / lengthSquared, 0, 1) : 0;
                double cx = x0 + t * dx - px, cy = y0 + t * dy - py;
                double coverage = Math.Clamp(half + 0.5 - Math.Sqrt(cx * cx + cy * cy), 0, 1);
                if (coverage <= 0) continue;
                if (dashPeriod > 0 && !InDash(dash!, dashPeriod, dashOffset + t * length)) continue;
                BlendPixel(x, y, color, coverage * opacity);
            }
        }
    }

    /// <summary>Draws connected segments through <paramref name="points"/>, continuing the dash pattern across them.</summary>
    public void DrawPolyline(IReadOnlyList<(double X, double Y)> points, Rgba color, double width = 1, IReadOnlyList<double>? dash = null)
    {
        double travelled = 0;
        for (int i = 1; i < points.Count; i++)
        {
            var (ax, ay) = points[i - 1];
            var (bx, by) = points[i];
            DrawLine(ax, ay, bx, by, color, width, dash, travelled);
            travelled += Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
        }
    }

    /// <summary>Fills a disc, anti-aliased at its rim.</summary>
    public void FillCircle(double centerX, double centerY, double radius, Rgba color)
    {
        int left = Math.Max(clipLeft, (int)Math.Floor(centerX - radius - 1));
        int right = Math.Min(clipRight, (int)Math.Ceiling(centerX + radius + 1));
        int top = Math.Max(clipTop, (int)Math.Floor(centerY - radius - 1));
        int bottom = Math.Min(clipBottom, (int)Math.Ceiling(centerY + radius + 1));
        for (int y = top; y < bottom; y++)
            for (int x = left; x < right; x++)
            {
                double distance = Math.Sqrt((x + 0.5 - centerX) * (x + 0.5 - centerX) + (y + 0.5 - centerY) * (y + 0.5 - centerY));
                // A disc smaller than a pixel keeps its area as faintness instead of vanishing.
                double coverage = radius < 0.5 ? Math.Clamp(1 - distance, 0, 1) * radius * 2 : Math.Clamp(radius + 0.5 - distance, 0, 1);
                BlendPixel(x, y, color, coverage);
            }
    }

    /// <summary>Draws a circle's outline.</summary>
    public void DrawCircle(double centerX, double centerY, double radius, Rgba color, double width = 1)
    {
        double half = width / 2;
        int left = Math.Max(clipLeft, (int)Math.Floor(centerX - radius - half - 1));
        int right = Math.Min(clipRight, (int)Math.Ceiling(centerX + radius + half + 1));
        int top = Math.Max(clipTop, (int)Math.Floor(centerY - radius - half - 1));
        int bottom = Math.Min(clipBottom, (int)Math.Ceiling(centerY + radius + half + 1));
        for (int y = top; y < bottom; y++)
            for (int x = left; x < right; x++)
            {
                double distance = Math.Sqrt((x + 0.5 - centerX) * (x + 0.5 - centerX) + (y + 0.5 - centerY) * (y + 0.5 - centerY));
                BlendPixel(x, y, color, Math.Clamp(half + 0.5 - Math.Abs(distance - radius), 0, 1));
            }
    }

    /// <summary>Draws text with <see cref="BitmapFont.Default"/>; see <see cref="BitmapFont.Draw"/>.</summary>
    public void DrawText(string text, double x, double y, Rgba color, int scale = 1,
        TextAlignment horizontal = TextAlignment.Start, TextAlignment vertical = TextAlignment.Start, bool rotated = false) =>
        BitmapFont.Default.Draw(this, text, x, y, color, scale, horizontal, vertical, rotated);

    private static bool InDash(IReadOnlyList<double> dash, double period, double position)
    {
        double phase = position % period;
        for (int k = 0; k < dash.Count; k++)
        {
            if (phase < dash[k]) return k % 2 == 0;
            phase -= dash[k];
        }
        return false;
    }

    private int Index(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}×{Height} raster.");
        return (y * Width + x) * 4;
    }
}
