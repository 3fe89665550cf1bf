using Ppl.Runtime.Plotting;
using Ppl.Runtime.Tests.IO;

namespace Ppl.Runtime.Tests.Plotting;

public class CornerPlotTests
{
    private static readonly Rgba Blue = Rgba.FromHex("#0000FF");
    private static readonly Rgba Orange = Rgba.FromHex("#FF8000");
    private static readonly Rgba Green = Rgba.FromHex("#00C000");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    public void WritesAValidPngOfTheExpectedSize(int d)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File($"corner{d}.png");
        var sets = new[] { new SampleSet("NUTS", Gaussian(600, d, 1, 0.0)), new SampleSet("NPE", Gaussian(600, d, 2, 0.3)) };
        var names = Enumerable.Range(1, d).Select(i => $"θ_{i}").ToArray();
        var options = new CornerPlotOptions { PanelSize = 60, Colors = new[] { Blue, Orange } };
        var result = CornerPlot.Write(path, sets, names, options);
        Assert.True(result.Succeeded, result.ToString());
        Assert.False(File.Exists(path + ".tmp"));
        var png = PngTestDecoder.Decode(File.ReadAllBytes(path));
        var raster = CornerPlot.Render(sets, names, options);
        Assert.Equal(raster.Width, png.Width);
        Assert.Equal(raster.Height, png.Height);
        Assert.Equal(raster.Pixels.ToArray(), png.Rgba);
        // The panels span d × 60 pixels plus gaps; margins for labels add a bounded amount.
        Assert.InRange(png.Width, d * 60, d * 60 + (d - 1) * 5 + 220);
        Assert.InRange(png.Height, d * 60, d * 60 + (d - 1) * 5 + 220);
        // Both sets are drawn in their colours.
        Assert.True(CountNear(png, Blue) > 20);
        Assert.True(CountNear(png, Orange) > 20);
    }

    [Fact]
    public void TruthMarkersAppearOnlyWhenGiven()
    {
        var sets = new[] { new SampleSet("a", Gaussian(500, 3, 5, 0)) };
        var names = new[] { "x", "y", "z" };
        var plain = CornerPlot.Render(sets, names, new CornerPlotOptions { PanelSize = 80, TruthColor = Green, ShowLegend = false });
        var marked = CornerPlot.Render(sets, names, new CornerPlotOptions { PanelSize = 80, TruthColor = Green, ShowLegend = false, Truths = new[] { 0.1, double.NaN, -0.2 } });
        Assert.Equal(0, CountNear(Decode(plain), Green));
        Assert.True(CountNear(Decode(marked), Green) > 100);
    }

    [Fact]
    public void NaNRowsAndConstantColumnsAreHandled()
    {
        var samples = Gaussian(400, 3, 9, 0);
        for (int i = 0; i < 400; i++) samples[i, 1] = 2.5;
        for (int i = 0; i < 400; i += 10) samples[i, 2] = double.NaN;
        samples[3, 0] = double.PositiveInfinity;
        foreach (var style in new[] { CornerDensityStyle.Contours, CornerDensityStyle.Shaded, CornerDensityStyle.Scatter })
        {
            var raster = CornerPlot.Render(new[] { new SampleSet("s", samples) }, new[] { "a", "const", "c" },
                new CornerPlotOptions { PanelSize = 70, Style = style, Colors = new[] { Blue } });
            Assert.True(CountNear(Decode(raster), Blue) > 20, style.ToString());
        }
    }

    [Fact]
    public void AllNaNOrEmptySetsStillRender()
    {
        var nan = new double[5, 2];
        for (int i = 0; i < 5; i++) nan[i, 0] = double.NaN;
        var raster = CornerPlot.Render(new[] { new SampleSet("nan", nan), new SampleSet("empty", new double[0, 2]) }, new[] { "a", "b" },
            new CornerPlotOptions { Title = "nothing to show" });
        Assert.True(raster.Width > 100);
    }

    [Fact]
    public void FewDrawsFallBackToPoints()
    {
        var raster = CornerPlot.Render(new[] { new SampleSet("few", Gaussian(8, 2, 4, 0)) }, new[] { "a", "b" },
            new CornerPlotOptions { PanelSize = 100, Colors = new[] { Blue }, ShowLegend = false });
        Assert.True(CountNear(Decode(raster), Blue.WithOpacity(0.8).Mix(Rgba.White, 0.2), tolerance: 80) > 0);
    }

    [Fact]
    public void MismatchedColumnsAreABug()
    {
        Assert.Throws<ArgumentException>(() => CornerPlot.Render(new[] { new SampleSet("s", new double[3, 2]) }, new[] { "a", "b", "c" }));
        Assert.Throws<ArgumentException>(() => CornerPlot.Render(Array.Empty<SampleSet>(), Array.Empty<string>()));
    }

    [Fact]
    public void UnwritablePathIsAnErrorValue()
    {
        using var folder = new TemporaryFolder();
        var result = CornerPlot.Write(folder.File("missing/dir/c.png"), new[] { new SampleSet("s", Gaussian(50, 1, 1, 0)) }, new[] { "a" });
        Assert.Equal("PPL0509", Assert.Single(result.Errors).Code);
    }

    private static PngTestDecoder Decode(Raster raster) => PngTestDecoder.Decode(PngEncoder.Encode(raster));

    private static int CountNear(PngTestDecoder png, Rgba color, int tolerance = 24)
    {
        int count = 0;
        for (int y = 0; y < png.Height; y++)
            for (int x = 0; x < png.Width; x++)
            {
                var (r, g, b, _) = png.Pixel(x, y);
                if (Math.Abs(r - color.R) + Math.Abs(g - color.G) + Math.Abs(b - color.B) <= tolerance) count++;
            }
        return count;
    }

    private static double[,] Gaussian(int n, int d, int seed, double shift)
    {
        var random = new Random(seed);
        var samples = new double[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                samples[i, j] = shift + 0.5 * j + Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return samples;
    }
}
