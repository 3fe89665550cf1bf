using Ppl.Runtime.Plotting;
using Ppl.Runtime.Tests.IO;
using ScottPlot;

namespace Ppl.Runtime.Tests.Plotting;

public class CornerPlotTests
{
    private static readonly Color Blue = Color.FromHex("#0000FF");
    private static readonly Color Orange = Color.FromHex("#FF8000");
    private static readonly Color Green = Color.FromHex("#00C000");
    private static readonly (double, double)?[] Fixed = [(-4.0, 4.0), (-4.0, 4.0)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void WritesAPngOfTheLayoutsSizeWithEverySetInItsColour(int d)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File($"corner{d}.png");
        var sets = new[] { new SampleSet("NUTS", Gaussian(600, d, 1, 0.0)), new SampleSet("NPE", Gaussian(600, d, 2, 0.3)) };
        var names = Enumerable.Range(1, d).Select(i => $"θ_{i}").ToArray();
        var options = new CornerPlotOptions { PanelSize = 80, Colors = [Blue, Orange] };
        var result = CornerPlot.Write(path, sets, names, options);
        Assert.True(result.Succeeded, result.ToString());
        Assert.False(File.Exists(path + ".tmp"));
        var png = PngPixels.Decode(File.ReadAllBytes(path));
        var layout = CornerLayout.For(d, options);
        Assert.Equal((layout.Width, layout.Height), (png.Width, png.Height));
        Assert.Equal(76 + d * 80 + (d - 1) * 6 + 20, png.Width);
        // Both sets' outlines are drawn in their colours.
        Assert.True(png.CountNear(0, 0, 255) > 20);
        Assert.True(png.CountNear(255, 128, 0) > 20);
    }

    [Fact]
    public void CredibleRegionsFillTheCentreOfAPairPanelAndLeaveItsCornersAndTheUpperTriangleWhite()
    {
        var options = new CornerPlotOptions { PanelSize = 200, Colors = [Blue], ShowLegend = false, Ranges = Fixed };
        var png = PngPixels.Decode(CornerPlot.Render([new SampleSet("s", Gaussian(4000, 2, 3, 0.0))], ["x", "y"], options).Png);
        var layout = CornerLayout.For(2, options);
        var pair = layout.DataArea(1, 0);
        // Data (0.3, 0.8) is inside the innermost region (the mean is (0, 0.5)): blue over white, 55 % opaque.
        var (r, g, b, _) = png.Pixel(PixelX(pair, 0.3), PixelY(pair, 0.8));
        Assert.True(b > 240 && r < 160 && Math.Abs(r - g) < 10, $"centre pixel {(r, g, b)}");
        // Data (3.7, -3.5) is outside both regions.
        Assert.Equal((255, 255, 255), Rgb(png.Pixel(PixelX(pair, 3.7), PixelY(pair, -3.5))));
        // The diagonal histogram is filled near its base at the mode and empty near its top.
        var diagonal = layout.DataArea(0, 0);
        var (hr, _, hb, _) = png.Pixel(PixelX(diagonal, 0.3), (int)diagonal.Bottom - 6);
        Assert.True(hb > hr + 20, $"histogram fill {(hr, hb)}");
        Assert.Equal((255, 255, 255), Rgb(png.Pixel(PixelX(diagonal, 0.3), (int)diagonal.Top + 4)));
        // The upper triangle is empty.
        var upper = layout.DataArea(0, 1);
        Assert.Equal(upper.Width * upper.Height, png.CountNear(255, 255, 255, 0, (int)upper.Left, (int)upper.Top, (int)upper.Right, (int)upper.Bottom));
    }

    [Fact]
    public void TruthMarkersAppearOnlyWhenGivenAndWhereTheyAre()
    {
        var sets = new[] { new SampleSet("a", Gaussian(800, 2, 5, 0)) };
        var plainOptions = new CornerPlotOptions { PanelSize = 120, TruthColor = Green, ShowLegend = false, Ranges = Fixed };
        var plain = PngPixels.Decode(CornerPlot.Render(sets, ["x", "y"], plainOptions).Png);
        var marked = PngPixels.Decode(CornerPlot.Render(sets, ["x", "y"], plainOptions with { Truths = [1.5, double.NaN] }).Png);
        Assert.Equal(0, plain.CountNear(0, 192, 0));
        var layout = CornerLayout.For(2, plainOptions);
        var pair = layout.DataArea(1, 0);
        int x = PixelX(pair, 1.5);
        // A vertical line at x = 1.5 through the pair panel (no horizontal one: y has no truth).
        Assert.True(marked.CountNear(0, 192, 0, 60, x - 2, (int)pair.Top, x + 3, (int)pair.Bottom) > pair.Height * 0.8);
        Assert.Equal(0, marked.CountNear(0, 192, 0, 60, (int)pair.Left, (int)pair.Top, x - 4, (int)pair.Bottom));
    }

    [Fact]
    public void NaNRowsConstantColumnsAndEveryStyleRender()
    {
        var samples = Gaussian(400, 3, 9, 0);
        for (int i = 0; i < 400; i++) samples[i, 1] = 2.5;
        for (int i = 0; i < 400; i += 10) samples[i, 2] = double.NaN;
        samples[3, 0] = double.PositiveInfinity;
        foreach (var style in new[] { CornerDensityStyle.Contours, CornerDensityStyle.Shaded, CornerDensityStyle.Scatter })
        {
            var png = PngPixels.Decode(CornerPlot.Render([new SampleSet("s", samples)], ["a", "const", "c"],
                new CornerPlotOptions { PanelSize = 70, Style = style, Colors = [Blue] }).Png);
            Assert.True(png.CountNear(0, 0, 255, 150) > 20, style.ToString());
        }
    }

    [Fact]
    public void AllNaNOrEmptySetsStillRender()
    {
        var nan = new double[5, 2];
        for (int i = 0; i < 5; i++) nan[i, 0] = double.NaN;
        var image = CornerPlot.Render([new SampleSet("nan", nan), new SampleSet("empty", new double[0, 2])], ["a", "b"],
            new CornerPlotOptions { Title = "nothing to show" });
        Assert.True(PngPixels.Decode(image.Png).Width > 100);
    }

    [Fact]
    public void MismatchedColumnsAreABug()
    {
        Assert.Throws<ArgumentException>(() => CornerPlot.Render([new SampleSet("s", new double[3, 2])], ["a", "b", "c"]));
        Assert.Throws<ArgumentException>(() => CornerPlot.Render([], []));
    }

    [Fact]
    public void UnwritablePathIsAnErrorValue()
    {
        using var folder = new TemporaryFolder();
        var result = CornerPlot.Write(folder.File("missing/dir/c.png"), [new SampleSet("s", Gaussian(50, 1, 1, 0))], ["a"]);
        Assert.Equal("PPL0509", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void ContourSegmentsJoinIntoOneClosedPath()
    {
        // The four sides of a unit square, out of order and some reversed.
        var segments = new List<((double, double), (double, double))>
        {
            ((1, 1), (0, 1)), ((0, 0), (1, 0)), ((0, 0), (0, 1)), ((1, 0), (1, 1)),
        };
        var path = Assert.Single(ContourPaths.Join(segments));
        Assert.Equal(5, path.Count);
        Assert.Equal(path[0], path[^1]);
    }

    internal static int PixelX(PixelRect area, double x) => (int)Math.Floor(area.Left + (x + 4) / 8 * area.Width);

    internal static int PixelY(PixelRect area, double y) => (int)Math.Floor(area.Bottom - (y + 4) / 8 * area.Height);

    private static (int, int, int) Rgb((byte R, byte G, byte B, byte A) p) => (p.R, p.G, p.B);

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
