using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>`ppl simulate --from-draws`: the simulator at each posterior draw, for posterior predictive checks.</summary>
public class CliPosteriorPredictiveTests
{
    private const string NormalModel = """
        model KnownVariance
        data N: int = 3
        param mu ~ Normal(0, 10)
        observe y: real[N] ~ Normal(mu, 2.0)
        """;

    private const int S = 400, K = 5, N = 3;

    private static string Directory() => SampleRuns.NewDirectory("ppc");

    /// <summary>A draws file of mu on a grid from -3 to 3, [S] or [2, S/2].</summary>
    private static string DrawsFile(string dir, bool chains, string name = "mu", long[]? shape = null)
    {
        System.IO.Directory.CreateDirectory(dir);
        var mu = Enumerable.Range(0, S).Select(s => -3.0 + 6.0 * s / (S - 1)).ToArray();
        var path = Path.Combine(dir, "draws.npz");
        var written = NpzWriter.Write(path, new[] { KeyValuePair.Create(name, NpyArray.Create(mu, shape ?? (chains ? new long[] { 2, S / 2 } : new long[] { S }))) });
        Assert.True(written.Succeeded, written.ToString());
        return path;
    }

    private static double Mu(int s) => -3.0 + 6.0 * s / (S - 1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PredictiveDrawsHaveTheDrawAxisFirstAndTheKnownMoments(bool chains)
    {
        var dir = Directory();
        var draws = DrawsFile(dir, chains);
        var output = Path.Combine(dir, "pp.npz");
        var model = CliRunner.WriteModel(NormalModel);
        var r = CliRunner.Run("simulate", model, "--from-draws", draws, "-n", $"{K}", "--seed", "3", "--float64", "-o", output);
        SampleRuns.Succeeded(r);
        var arrays = NpzReader.ReadAll(output);
        Assert.True(arrays.Succeeded, arrays.ToString());
        var y = arrays.Value["y"];
        var mu = arrays.Value["mu"];
        Assert.Equal(new long[] { S, K, N }, y.Shape);
        Assert.Equal(new long[] { S, K }, mu.Shape);
        // y[s, k, i] - mu_s ~ Normal(0, 2) independently: over 6,000 values the mean's standard error is 0.026 and the
        // variance's 4·sqrt(2/6000) = 0.073; 4 standard errors are allowed (a fixed seed, so this cannot flake).
        double sum = 0, sumSq = 0;
        int count = 0;
        for (int s = 0; s < S; s++)
            for (int k = 0; k < K; k++)
            {
                Assert.Equal(Mu(s), mu.GetDouble(s, k), 12);
                for (int i = 0; i < N; i++)
                {
                    double e = y.GetDouble(s, k, i) - Mu(s);
                    sum += e;
                    sumSq += e * e;
                    count++;
                }
            }
        double mean = sum / count, variance = sumSq / count - mean * mean;
        Assert.InRange(mean, -4 * 2 / Math.Sqrt(count), 4 * 2 / Math.Sqrt(count));
        Assert.InRange(variance, 4 - 4 * 4 * Math.Sqrt(2.0 / count), 4 + 4 * 4 * Math.Sqrt(2.0 / count));
        // The predictive follows the draws: the mean of y over the first and last 100 draws tracks their mu.
        Assert.InRange(Enumerable.Range(0, 100).Average(s => y.GetDouble(s, 0, 0) - Mu(s)), -4 * 2 / 10.0, 4 * 2 / 10.0);
    }

    [Fact]
    public void WithoutNTheOutputHasOneSimulationPerDraw()
    {
        var dir = Directory();
        var output = Path.Combine(dir, "pp.npz");
        var r = CliRunner.Run("simulate", CliRunner.WriteModel(NormalModel), "--from-draws", DrawsFile(dir, chains: true), "--seed", "1", "-o", output);
        SampleRuns.Succeeded(r);
        var arrays = NpzReader.ReadAll(output);
        Assert.True(arrays.Succeeded, arrays.ToString());
        Assert.Equal(new long[] { S, N }, arrays.Value["y"].Shape);
        Assert.Equal(new long[] { S }, arrays.Value["mu"].Shape);
    }

    [Fact]
    public void ASampleFolderConditionsParamsAndSavedLatentsAndRedrawsTheObservations()
    {
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        var run = SampleRuns.Run("ppc-eight", ExampleModels.PathOf("eight_schools"), "--data", data, "--chains", "2", "--warmup", "100",
            "--draws", "20", "--seed", "5", "--save-latents", "--no-plots", "--float64");
        SampleRuns.Succeeded(run.Cli);
        var output = Path.Combine(run.Directory, "pp.npz");
        var r = CliRunner.Run("simulate", ExampleModels.PathOf("eight_schools"), "--data", data, "--from-draws", run.Directory,
            "--seed", "9", "--float64", "-o", output);
        SampleRuns.Succeeded(r);
        Assert.Contains("redrawn", r.Err);
        var pp = NpzReader.ReadAll(output).Value;
        var draws = NpzReader.ReadAll(Path.Combine(run.Directory, "draws.npz")).Value;
        Assert.Equal(new long[] { 40, 8 }, pp["y"].Shape);
        Assert.Equal(new long[] { 40, 8 }, pp["eta"].Shape);
        var observed = new[] { 28.0, 8, -3, 7, -1, 1, 18, 12 };
        bool anyDifferent = false;
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 20; i++)
            {
                int s = c * 20 + i;
                Assert.Equal(draws["mu"].GetDouble(c, i), pp["mu"].GetDouble(s), 12);
                Assert.Equal(draws["tau"].GetDouble(c, i), pp["tau"].GetDouble(s), 12);
                for (int j = 0; j < 8; j++)
                {
                    Assert.Equal(draws["eta"].GetDouble(c, i, j), pp["eta"].GetDouble(s, j), 12);
                    anyDifferent |= Math.Abs(pp["y"].GetDouble(s, j) - observed[j]) > 1e-9;
                }
            }
        Assert.True(anyDifferent, "the observations were not redrawn");
    }

    [Fact]
    public void AMissingParamIsALocatedErrorAndNothingIsWritten()
    {
        var dir = Directory();
        var output = Path.Combine(dir, "pp.npz");
        var r = CliRunner.Run("simulate", CliRunner.WriteModel(NormalModel), "--from-draws", DrawsFile(dir, false, name: "nu"), "--seed", "1", "-o", output);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("PPL0414", r.Err);
        Assert.Contains("'mu' is a param of model KnownVariance but draws.npz has no array 'mu'", r.Err);
        Assert.Matches(@"model\.ppl:3:\d+", r.Err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AShapeThatDoesNotFitIsALocatedError()
    {
        var dir = Directory();
        var output = Path.Combine(dir, "pp.npz");
        var r = CliRunner.Run("simulate", CliRunner.WriteModel(NormalModel), "--from-draws", DrawsFile(dir, false, shape: new long[] { 4, 10, 10 }),
            "--seed", "1", "-o", output);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("'mu' has shape [4, 10, 10]", r.Err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AMissingFileOrAShardIsRefused()
    {
        var dir = Directory();
        var model = CliRunner.WriteModel(NormalModel);
        System.IO.Directory.CreateDirectory(dir);
        var missing = CliRunner.Run("simulate", model, "--from-draws", Path.Combine(dir, "none.npz"), "-o", Path.Combine(dir, "pp.npz"));
        Assert.Equal(ExitCodes.ModelError, missing.Exit);
        Assert.Contains("PPL0501", missing.Err);
        var shard = CliRunner.Run("simulate", model, "--from-draws", DrawsFile(dir, false), "--shard", "1/2", "-o", Path.Combine(dir, "pp.npz"));
        Assert.Equal(ExitCodes.UsageError, shard.Exit);
        Assert.Contains("cannot be combined with --shard", shard.Err);
    }
}
