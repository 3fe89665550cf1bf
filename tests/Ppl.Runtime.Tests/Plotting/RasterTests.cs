using Ppl.Runtime.Plotting;

namespace Ppl.Runtime.Tests.Plotting;

public class RasterTests
{
    private static readonly Rgba Red = new(255, 0, 0);

    [Fact]
    public void AlphaBlendingFollowsSourceOver()
    {
        var raster = new Raster(2, 1, Rgba.White);
        // Half-transparent red over white: red stays 255, green and blue become 255 * (1 - 128/255) = 127.
        raster.BlendPixel(0, 0, Red.WithOpacity(128 / 255.0));
        Assert.Equal(new Rgba(255, 127, 127, 255), raster.GetPixel(0, 0));
        // Over a transparent pixel the colour is kept and the alpha is the source's.
        var clear = new Raster(1, 1, Rgba.Transparent);
        clear.BlendPixel(0, 0, new Rgba(10, 20, 30, 100));
        Assert.Equal(new Rgba(10, 20, 30, 100), clear.GetPixel(0, 0));
        // Coverage scales the source alpha.
        var covered = new Raster(1, 1, Rgba.White);
        covered.BlendPixel(0, 0, Red, 0.5);
        Assert.Equal(new Rgba(255, 128, 128, 255), covered.GetPixel(0, 0));
    }

    [Fact]
    public void RectanglesCoverWholeAndPartialPixels()
    {
        var raster = new Raster(10, 10, Rgba.White);
        raster.FillRectangle(2, 2, 5.5, 4, Red);
        Assert.Equal(Red, raster.GetPixel(2, 2));
        Assert.Equal(Red, raster.GetPixel(4, 3));
        // Pixel column 5 is half inside.
        Assert.Equal(new Rgba(255, 128, 128, 255), raster.GetPixel(5, 2));
        Assert.Equal(Rgba.White, raster.GetPixel(6, 2));
        Assert.Equal(Rgba.White, raster.GetPixel(2, 4));
        Assert.Equal(Rgba.White, raster.GetPixel(1, 3));
    }

    [Fact]
    public void HorizontalLineCoversExactlyItsRow()
    {
        var raster = new Raster(12, 6, Rgba.White);
        raster.DrawLine(1.5, 2.5, 9.5, 2.5, Red);
        for (int x = 1; x <= 9; x++) Assert.Equal(Red, raster.GetPixel(x, 2));
        for (int x = 0; x < 12; x++)
        {
            Assert.Equal(Rgba.White, raster.GetPixel(x, 1));
            Assert.Equal(Rgba.White, raster.GetPixel(x, 3));
        }
    }

    [Fact]
    public void DiagonalLineIsAntiAliasedWithTheRightInk()
    {
        // The ink (summed coverage) of a 1-pixel line is about its length; allow 10% for the round ends.
        var raster = new Raster(40, 40, Rgba.White);
        raster.DrawLine(5, 5, 35, 25, Rgba.Black);
        double ink = 0;
        int partial = 0;
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 40; x++)
            {
                var p = raster.GetPixel(x, y);
                ink += (255 - p.R) / 255.0;
                if (p.R is > 0 and < 255) partial++;
            }
        double length = Math.Sqrt(30 * 30 + 20 * 20);
        Assert.InRange(ink, length * 0.9, length * 1.1 + 1);
        Assert.True(partial > 20);
    }

    [Fact]
    public void DiscHasTheAreaOfACircle()
    {
        // Anti-aliased coverage integrates to the area to within the rim's discretisation (under 2% at r = 10).
        var raster = new Raster(30, 30, Rgba.White);
        raster.FillCircle(15, 15, 10, Rgba.Black);
        double ink = 0;
        for (int y = 0; y < 30; y++)
            for (int x = 0; x < 30; x++) ink += (255 - raster.GetPixel(x, y).R) / 255.0;
        Assert.InRange(ink, Math.PI * 100 * 0.98, Math.PI * 100 * 1.02);
        Assert.Equal(Rgba.Black, raster.GetPixel(15, 15));
        Assert.Equal(Rgba.White, raster.GetPixel(0, 0));
    }

    [Fact]
    public void DashesLeaveGaps()
    {
        var raster = new Raster(40, 3, Rgba.White);
        raster.DrawLine(0, 1.5, 40, 1.5, Rgba.Black, 1, new[] { 5.0, 5.0 });
        Assert.Equal(Rgba.Black, raster.GetPixel(2, 1));
        Assert.Equal(Rgba.White, raster.GetPixel(7, 1));
        Assert.Equal(Rgba.Black, raster.GetPixel(12, 1));
    }

    [Fact]
    public void ClippingProtectsPixelsOutside()
    {
        var raster = new Raster(10, 10, Rgba.White);
        raster.SetClip(2, 2, 6, 6);
        raster.FillRectangle(0, 0, 10, 10, Red);
        raster.ResetClip();
        Assert.Equal(Red, raster.GetPixel(2, 2));
        Assert.Equal(Red, raster.GetPixel(5, 5));
        Assert.Equal(Rgba.White, raster.GetPixel(6, 6));
        Assert.Equal(Rgba.White, raster.GetPixel(1, 4));
    }

    [Fact]
    public void ColoursParseAndMix()
    {
        Assert.Equal(new Rgba(0x1F, 0x5F, 0xA8, 255), Rgba.FromHex("#1F5FA8"));
        Assert.Equal(new Rgba(1, 2, 3, 4), Rgba.FromHex("01020304"));
        Assert.Throws<FormatException>(() => Rgba.FromHex("#12"));
        Assert.Equal(new Rgba(128, 128, 128, 255), Rgba.Black.Mix(Rgba.White, 0.5));
    }
}
