using Ppl.Runtime.Plotting;

namespace Ppl.Runtime.Tests.Plotting;

public class BitmapFontTests
{
    [Fact]
    public void LabelCharactersAreAllPresent()
    {
        const string needed = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,:;-+=_()[]/%<>*^'\"!?θ\u2212αβγδεμπσφχψωΩΔΣ±×°…";
        Assert.All(needed, c => Assert.True(BitmapFont.Default.Supports(c), $"missing glyph '{c}'"));
        Assert.False(BitmapFont.Default.Supports('\u263A'));
    }

    [Fact]
    public void WidthsAddUpAndScale()
    {
        var font = BitmapFont.Default;
        Assert.Equal(0, font.MeasureWidth(""));
        int one = font.MeasureWidth("8");
        Assert.Equal(2 * one + 1, font.MeasureWidth("88"));
        Assert.Equal(3 * font.MeasureWidth("88"), font.MeasureWidth("88", 3));
        // Digits share one width so that columns of numbers line up.
        Assert.All("0123456789", c => Assert.Equal(one, font.MeasureWidth(c.ToString())));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TextLandsWhereItIsAnchored(int scale)
    {
        var raster = new Raster(200, 120, Rgba.White);
        const string text = "Ω_m = 0.38";
        raster.DrawText(text, 100, 60, Rgba.Black, scale, TextAlignment.Center, TextAlignment.Center);
        var box = InkBox(raster);
        int width = BitmapFont.Default.MeasureWidth(text, scale);
        // Centred within a pixel of rounding; descenders ('_') may hang below the capital height.
        Assert.InRange(box.Left, 100 - width / 2 - 1, 100 - width / 2 + 1);
        Assert.InRange(box.Right, 100 + width / 2 - 2, 100 + width / 2 + 1);
        Assert.InRange(box.Top, 60 - 7 * scale / 2 - 1, 60 - 7 * scale / 2 + 1);
        Assert.InRange(box.Bottom, 60 + 7 * scale / 2 - 1, 60 + 9 * scale / 2 + 2);
    }

    [Fact]
    public void RotatedTextIsTheTransposeOfUpright()
    {
        var upright = new Raster(80, 80, Rgba.White);
        upright.DrawText("θ12", 10, 10, Rgba.Black, 2);
        var turned = new Raster(80, 80, Rgba.White);
        turned.DrawText("θ12", 10, 70, Rgba.Black, 2, rotated: true);
        // Turning anticlockwise maps the upright pixel (10 + u, 10 + v) to (10 + v, 70 - 1 - u).
        for (int v = 0; v < 18; v++)
            for (int u = 0; u < 40; u++)
                Assert.Equal(upright.GetPixel(10 + u, 10 + v), turned.GetPixel(10 + v, 69 - u));
    }

    [Fact]
    public void UnknownCharactersStillShowSomething()
    {
        var raster = new Raster(20, 12, Rgba.White);
        raster.DrawText("\u263A", 2, 2, Rgba.Black);
        Assert.True(InkBox(raster).Right >= 2);
    }

    private static (int Left, int Top, int Right, int Bottom) InkBox(Raster raster)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (int y = 0; y < raster.Height; y++)
            for (int x = 0; x < raster.Width; x++)
                if (raster.GetPixel(x, y).R < 250)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }
        return (left, top, right, bottom);
    }
}
