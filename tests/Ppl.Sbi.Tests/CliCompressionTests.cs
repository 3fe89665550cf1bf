using Ppl.Runtime.Tensors;
using Ppl.Tests.Shared;
using Ppl.Runtime.IO;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>
/// `ppl compress`, `ppl summarize`, and `ppl train/posterior --compressor` on the 16 × 16 Gaussian random field: the
/// whole path works, and bad input (another model, a changed model, a map of the wrong shape, NaN maps, zero summaries)
/// is refused with exit 1 or 2 and nothing written.
/// </summary>
public class CliCompressionTests : TemporaryFolder
{
    private readonly ITestOutputHelper _output;

    public CliCompressionTests(ITestOutputHelper output) => _output = output;

    private static string Model => CompressionModels.GrfPath;

    private static CliResult Compress(string output, string seed = "1", params string[] extra) =>
        CliInvocation.Run(["compress", Model, "--loss", "vmim", "--sims", "300", "--epochs", "3", "--batch-size", "50", "--seed", seed, "-o", output, .. extra]);

    private static void AssertRefused(CliResult result, int exit, string code, params string[] unwritten)
    {
        Assert.True(result.Exit == exit, result.ToString());
        Assert.Contains(code, result.Err);
        Assert.DoesNotContain("internal error", result.Err);
        foreach (var path in unwritten) Assert.False(File.Exists(path), $"{path} was written");
    }

    [Fact]
    public void CompressSummarizeTrainAndPosteriorOnTheSummaries()
    {
        var comp = In("comp.pplz");
        var compressed = Compress(comp, "1", "--augment");
        _output.WriteLine(compressed.ToString());
        Assert.True(compressed.Exit == 0, compressed.ToString());
        Assert.Contains("redrawn from the model", compressed.Out);

        var obs = In("obs.npz");
        Assert.Equal(0, CliInvocation.Run("simulate", Model, "-n", "1", "--seed", "99", "-o", obs).Exit);
        var t = In("t.npy");
        var summarized = CliInvocation.Run("summarize", comp, "--data", obs, "-o", t, "--model", Model);
        Assert.True(summarized.Exit == 0, summarized.ToString());
        var read = NpyReader.ReadTensor(t);
        Assert.True(read.Succeeded);
        Assert.Equal(new long[] { 1, 1 }, read.Value!.shape);
        Assert.True(double.IsFinite(read.Value.to_type(ScalarType.Float64).item<double>()));

        var est = In("est.pplz");
        var trained = CliInvocation.Run("train", Model, "--method", "npe", "--flow", "affine", "--sims", "300", "--epochs", "5",
            "--compressor", comp, "--seed", "2", "-o", est);
        Assert.True(trained.Exit == 0, trained.ToString());
        Assert.Contains("1 summaries of y", trained.Out);
        var post = In("post.csv");
        var posterior = CliInvocation.Run("posterior", est, "--data", obs, "-n", "200", "--seed", "3", "-o", post, "--no-plot");
        Assert.True(posterior.Exit == 0, posterior.ToString());
        Assert.Equal(200, ReadCsv(post).RowCount);

        // The estimator records the compressor: retraining the compressor under the same name is refused.
        Assert.Equal(0, Compress(comp, "5").Exit);
        var refused = CliInvocation.Run("posterior", est, "--data", obs, "-n", "10", "-o", In("post2.csv"), "--no-plot");
        AssertRefused(refused, 1, "SBI110", In("post2.csv"));
        Assert.Contains("SHA-256", refused.Err);
    }

    [Fact]
    public void CompressFromShardsStreamsThemAndLearnsTheAmplitude()
    {
        // `ppl compress --from DIR` reads the shards of `ppl simulate --shard` one buffer at a time (here 100 of 600
        // simulations), redraws the noise from the stored amplitude and field, and learns a summary that tracks the
        // amplitude: on 200 fresh simulations its rank correlation with the true amplitude is high (measured ≈ 0.9;
        // checked > 0.6, where a summary unrelated to the amplitude gives ≈ 0 ± 0.07).
        var shards = In("shards");
        Directory.CreateDirectory(shards);
        for (int k = 0; k < 3; k++)
            Assert.Equal(0, CliInvocation.Run("simulate", Model, "-n", "600", "--seed", "4", "--chunk", "100", "--shard", $"{k}/3", "-o", Path.Combine(shards, "sims.npz")).Exit);
        var comp = In("streamed.pplz");
        var compressed = CliInvocation.Run("compress", Model, "--loss", "mse", "--from", shards, "--buffer", "100", "--epochs", "8",
            "--batch-size", "50", "--seed", "1", "-o", comp);
        _output.WriteLine(compressed.ToString());
        Assert.True(compressed.Exit == 0, compressed.ToString());
        Assert.Contains("redrawn from the model", compressed.Out);
        Assert.Contains("simulations   600", compressed.Out);

        var fresh = In("fresh.npz");
        Assert.Equal(0, CliInvocation.Run("simulate", Model, "-n", "200", "--seed", "77", "-o", fresh).Exit);
        var t = In("fresh_t.npy");
        var summarized = CliInvocation.Run("summarize", comp, "--data", fresh, "-o", t, "--model", Model);
        Assert.True(summarized.Exit == 0, summarized.ToString());
        var summaries = NpyReader.ReadTensor(t).Value!.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        var amplitude = NpzReader.ReadAllTensors(fresh).Value!["amplitude"].to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        Assert.Equal(200, summaries.Length);
        double rho = RankCorrelation(summaries, amplitude);
        _output.WriteLine($"rank correlation of the summary with the amplitude: {rho:F3}");
        Assert.True(Math.Abs(rho) > 0.6, $"rank correlation {rho}");

        // Shards of another model text are refused, with nothing written.
        var other = In("other.ppl");
        File.WriteAllText(other, File.ReadAllText(Model) + "\n// changed\n");
        AssertRefused(CliInvocation.Run("compress", other, "--loss", "mse", "--from", shards, "--epochs", "1", "-o", In("other.pplz")), 1, "another model", In("other.pplz"));
    }

    private static double RankCorrelation(double[] a, double[] b)
    {
        static double[] Ranks(double[] v)
        {
            var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
            var ranks = new double[v.Length];
            for (int r = 0; r < order.Length; r++) ranks[order[r]] = r;
            return ranks;
        }
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = ra.Zip(rb).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(x => (x - mb) * (x - mb)));
    }

    [Fact]
    public void BadInputIsRefusedWithNothingWritten()
    {
        var comp = In("comp.pplz");
        Assert.Equal(0, Compress(comp).Exit);

        // Zero summaries, a regression loss with the wrong number, an unknown loss: usage errors.
        var zero = CliInvocation.Run("compress", Model, "--loss", "vmim", "--sims", "10", "--summaries", "0", "-o", In("zero.pplz"));
        AssertRefused(zero, 2, "--summaries", In("zero.pplz"));
        AssertRefused(CliInvocation.Run("compress", Model, "--loss", "mse", "--sims", "10", "--summaries", "3", "-o", In("mse.pplz")), 2,
            "as many summaries", In("mse.pplz"));
        AssertRefused(CliInvocation.Run("compress", Model, "--loss", "l2", "--sims", "10", "-o", In("l2.pplz")), 2, "--loss", In("l2.pplz"));

        // A changed model: its hash differs.
        var changed = In("changed.ppl");
        File.WriteAllText(changed, File.ReadAllText(Model).Replace("data noise: real = 0.3", "data noise: real = 0.4"));
        var obs = In("obs.npz");
        Assert.Equal(0, CliInvocation.Run("simulate", Model, "-n", "1", "--seed", "4", "-o", obs).Exit);
        var summary = CliInvocation.Run("summarize", comp, "--data", obs, "-o", In("t.npy"), "--model", changed);
        AssertRefused(summary, 1, "SBI203", In("t.npy"));
        Assert.Contains(comp, summary.Err);
        AssertRefused(CliInvocation.Run("train", changed, "--method", "nle", "--sims", "50", "--compressor", comp, "-o", In("est.pplz")),
            1, "SBI203", In("est.pplz"));
        // Another model altogether.
        AssertRefused(CliInvocation.Run("train", CliInvocation.Example("gaussian_random_field"), "--sims", "50", "--compressor", comp, "-o", In("est.pplz")),
            1, "SBI203", In("est.pplz"));

        // The same model bound with another map size: the site's shape no longer fits, located at the compressor.
        var small = CliInvocation.Run("train", Model, "--set", "N=8", "--sims", "50", "--compressor", comp, "-o", In("est.pplz"));
        AssertRefused(small, 1, "SBI110", In("est.pplz"));
        Assert.Contains(comp, small.Err);
        Assert.Contains("[16, 16]", small.Err);

        // An observation of the wrong shape, and NaN maps.
        using (NewDisposeScope())
        {
            Assert.True(NpyWriter.Write(In("y8.npy"), zeros(8, 8, ScalarType.Float64)).Succeeded);
            var nan = zeros(3, 16, 16, ScalarType.Float64);
            nan[1, 4, 5] = tensor(double.NaN);
            Assert.True(NpyWriter.Write(In("nan.npy"), nan).Succeeded);
        }
        var wrongShape = CliInvocation.Run("summarize", comp, "--data", In("y8.npy"), "-o", In("t.npy"));
        AssertRefused(wrongShape, 1, "SBI110", In("t.npy"));
        Assert.Contains("y8.npy", wrongShape.Err);
        var nanMaps = CliInvocation.Run("summarize", comp, "--data", In("nan.npy"), "-o", In("t.npy"));
        AssertRefused(nanMaps, 1, "SBI110", In("t.npy"));
        Assert.Contains("NaN", nanMaps.Err);

        // An estimator bundle is not a compressor.
        var notCompressor = In("npe.pplz");
        Assert.Equal(0, CliInvocation.Run("train", Model, "--sims", "60", "--epochs", "1", "--flow", "affine", "-o", notCompressor).Exit);
        AssertRefused(CliInvocation.Run("summarize", notCompressor, "--data", obs, "-o", In("t.npy")), 1, "SBI202", In("t.npy"));
    }

    [Fact]
    public void SimulationsWithNaNMapsAreDroppedAndAllNaNIsAnError()
    {
        var sims = In("sims.npz");
        Assert.Equal(0, CliInvocation.Run("simulate", Model, "-n", "60", "--seed", "8", "-o", sims).Exit);
        var arrays = NpzReader.ReadAllTensors(sims).Value!;
        using var scope = NewDisposeScope();
        var y = arrays["y"].clone();
        y[0, 0, 0] = tensor(double.NaN);
        y[7, 3, 3] = tensor(double.PositiveInfinity);
        var some = In("some.npz");
        Assert.True(NpzWriter.Write(some, arrays.Select(kv => KeyValuePair.Create(kv.Key, kv.Key == "y" ? y : kv.Value))).Succeeded);
        var result = CliInvocation.Run("compress", Model, "--loss", "mse", "--from", some, "--epochs", "1", "--batch-size", "20", "-o", In("a.pplz"));
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("2 of 60 simulations hold NaN", result.Err);

        var all = In("all.npz");
        Assert.True(NpzWriter.Write(all, arrays.Select(kv => KeyValuePair.Create(kv.Key, kv.Key == "y" ? full_like(y, ConstantScalars.Of(double.NaN)) : kv.Value))).Succeeded);
        AssertRefused(CliInvocation.Run("compress", Model, "--loss", "mse", "--from", all, "--epochs", "1", "-o", In("b.pplz")), 1, "SBI103", In("b.pplz"));
    }
}
