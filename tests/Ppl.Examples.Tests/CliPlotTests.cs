using SkiaSharp;

namespace Ppl.Examples.Tests;

/// <summary>The figures `ppl sample` writes beside its draws, and `ppl plot` on them.</summary>
public class CliPlotTests(EightSchoolsSampleRun eight) : IClassFixture<EightSchoolsSampleRun>
{
    [Fact]
    public void SampleWritesCornerTraceRankAndEnergyPlotsOfTheParams()
    {
        SampleRuns.Succeeded(eight.Outcome.Cli);
        var dir = eight.Outcome.Directory;
        Assert.Contains("corner.png, trace.png, rank.png, energy.png and summary.txt", eight.Outcome.Cli.Out);
        // Two params (mu, tau): a 2 × 2 corner plot of 240-pixel panels; two trace rows; two rank panels side by side.
        Assert.Equal((76 + 2 * 240 + 6 + 20, 44 + 2 * 240 + 6 + 64), Size(Path.Combine(dir, "corner.png")));
        Assert.Equal((648 + 204, 36 + 2 * 160), Size(Path.Combine(dir, "trace.png")));
        Assert.Equal((2 * 346, 36 + 204), Size(Path.Combine(dir, "rank.png")));
        Assert.Equal((596, 36 + 358), Size(Path.Combine(dir, "energy.png")));
    }

    [Theory]
    [InlineData("trace", "mu", 648 + 204, 160)]
    [InlineData("rank", "mu,tau", 2 * 346, 204)]
    [InlineData("energy", null, 596, 358)]
    [InlineData("corner", "mu", 76 + 240 + 20, 16 + 240 + 64)]
    public void PlotDrawsAFigureFromASampleFolder(string kind, string? parameters, int width, int height)
    {
        var output = Path.Combine(Directory.CreateDirectory(SampleRuns.NewDirectory("plot")).FullName, $"{kind}.png");
        var args = new List<string> { "plot", eight.Outcome.Directory, "--kind", kind, "-o", output };
        if (parameters is not null) args.AddRange(["--params", parameters]);
        if (kind == "energy") args.AddRange(["--title", ""]);
        var r = CliRunner.Run([.. args]);
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal((width, height), Size(output));
        Assert.Contains($"wrote {output} ({width}×{height})", r.Out);
    }

    [Fact]
    public void PlotOverlaysOneCornerSetPerInputAndExpandsVectorParams()
    {
        var dir = eight.Outcome.Directory;
        var output = Path.Combine(Directory.CreateDirectory(SampleRuns.NewDirectory("plot-corner")).FullName, "both.png");
        // Chain 1 against chain 2, eta (a saved latent vector) expands to its 8 elements: 9 panels per side.
        var r = CliRunner.Run("plot", Path.Combine(dir, "samples_1.csv"), Path.Combine(dir, "samples_2.csv"), "--params", "mu,eta",
            "--labels", "one,two", "-o", output);
        Assert.True(r.Exit == 0, r.Err);
        var size = 240 - 15 * 6;
        Assert.Equal((76 + 9 * size + 8 * 6 + 20, 16 + 9 * size + 8 * 6 + 64), Size(output));
    }

    [Fact]
    public void PlotRejectsBadInputWithUsageOrDataErrors()
    {
        var dir = eight.Outcome.Directory;
        var output = Path.Combine(Directory.CreateDirectory(SampleRuns.NewDirectory("plot-bad")).FullName, "x.png");
        var kind = CliRunner.Run("plot", dir, "--kind", "traces", "-o", output);
        Assert.Equal(2, kind.Exit);
        Assert.Contains("--kind must be corner, trace, rank or energy; got 'traces'", kind.Err);
        Assert.Contains("did you mean 'trace'?", kind.Err);
        Assert.Equal(2, CliRunner.Run("plot", dir, "-o", Path.ChangeExtension(output, ".pdf")).Exit);
        Assert.Equal(2, CliRunner.Run("plot", Path.Combine(dir, "draws.npz"), "--kind", "trace", "-o", output).Exit);
        var missing = CliRunner.Run("plot", dir, "--kind", "rank", "--params", "sigma", "-o", output);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("no column 'sigma'", missing.Err);
        Assert.False(File.Exists(output));
        Assert.DoesNotContain("   at ", kind.Err + missing.Err);
    }

    [Fact]
    public void NoPlotsLeavesTheFiguresOut()
    {
        var model = CliRunner.WriteModel("model Tiny\nparam a ~ Normal(0, 1)\nobserve y ~ Normal(a, 1.0)\n");
        var data = Path.Combine(Path.GetDirectoryName(model)!, "tiny.json");
        File.WriteAllText(data, "{\"y\": 0.5}");
        var dir = SampleRuns.NewDirectory("noplots");
        var r = CliRunner.Run("sample", model, "--data", data, "--chains", "2", "--warmup", "50", "--draws", "50", "--seed", "1", "--no-plots", "-o", dir);
        Assert.True(r.Exit == 0, r.Err);
        Assert.True(File.Exists(Path.Combine(dir, "summary.txt")));
        Assert.Empty(Directory.GetFiles(dir, "*.png"));
    }

    private static (int Width, int Height) Size(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using var codec = SKCodec.Create(path);
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        return (codec.Info.Width, codec.Info.Height);
    }
}
