using Ppl.Runtime.Plotting;
using Ppl.Runtime.Tests.IO;

namespace Ppl.Runtime.Tests.Plotting;

public class PngEncoderTests
{
    [Fact]
    public void OpaqueImageDecodesToTheSamePixels()
    {
        // A smooth gradient (which Sub/Up/Average/Paeth predict well) next to seeded noise (which they do not).
        var raster = new Raster(37, 23, Rgba.White);
        var random = new Random(3);
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < 37; x++)
                raster.SetPixel(x, y, x < 20
                    ? new Rgba((byte)(x * 12), (byte)(y * 11), (byte)(x + y))
                    : new Rgba((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(raster));
        Assert.Equal(37, decoded.Width);
        Assert.Equal(23, decoded.Height);
        Assert.Equal(2, decoded.ColorType);
        Assert.Equal(raster.Pixels.ToArray(), decoded.Rgba);
        // Filtering is really happening: some rows use a predictor.
        Assert.True(decoded.FilterCounts.Skip(1).Sum() > 0);
    }

    [Fact]
    public void TranslucentPixelsKeepTheirAlpha()
    {
        var raster = new Raster(5, 4, Rgba.Transparent);
        raster.SetPixel(1, 2, new Rgba(10, 20, 30, 40));
        raster.SetPixel(4, 3, new Rgba(255, 0, 0, 255));
        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(raster));
        Assert.Equal(6, decoded.ColorType);
        Assert.Equal(((byte)10, (byte)20, (byte)30, (byte)40), decoded.Pixel(1, 2));
        Assert.Equal(((byte)255, (byte)0, (byte)0, (byte)255), decoded.Pixel(4, 3));
        Assert.Equal(((byte)0, (byte)0, (byte)0, (byte)0), decoded.Pixel(0, 0));
    }

    [Fact]
    public void EveryFilterRoundTrips()
    {
        // Random images of many sizes make the row-by-row filter choice land on every filter type.
        var counts = new int[5];
        var random = new Random(11);
        for (int trial = 0; trial < 30; trial++)
        {
            int width = random.Next(1, 40), height = random.Next(1, 30);
            var raster = new Raster(width, height, Rgba.White);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    // Mixtures of gradients in x and y and noise favour different predictors on different rows.
                    int kind = (y + trial) % 4;
                    byte v = kind switch
                    {
                        0 => (byte)(x * 7),
                        1 => (byte)(y * 9 + x),
                        2 => (byte)random.Next(256),
                        _ => (byte)((x * 5 + y * 3) / 2),
                    };
                    raster.SetPixel(x, y, new Rgba(v, (byte)(v / 2 + x), (byte)(255 - v), (byte)(trial % 2 == 0 ? 255 : 128 + x)));
                }
            var decoded = PngTestDecoder.Decode(PngEncoder.Encode(raster));
            Assert.Equal(raster.Pixels.ToArray(), decoded.Rgba);
            for (int f = 0; f < 5; f++) counts[f] += decoded.FilterCounts[f];
        }
        Assert.All(counts, c => Assert.True(c > 0, $"filter counts {string.Join(",", counts)}"));
    }

    [Fact]
    public void FileIsWrittenAtomically()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("img.png");
        var raster = new Raster(3, 2, Rgba.FromHex("#336699"));
        Assert.True(PngEncoder.Write(path, raster).Succeeded);
        Assert.False(File.Exists(path + ".tmp"));
        var decoded = PngTestDecoder.Decode(File.ReadAllBytes(path));
        Assert.Equal(((byte)0x33, (byte)0x66, (byte)0x99, (byte)255), decoded.Pixel(2, 1));
    }
}
