using System.Globalization;
using Ppl.Cli;
using Ppl.Runtime.IO;

namespace Ppl.Examples.Tests;

/// <summary>
/// `ppl train --from DIR` streams the shards of `ppl simulate --shard` (one buffer in memory, a seeded permutation per
/// epoch): NPE on Gaussian linear recovers the analytic posterior (mean x/2, variance 0.05 per coordinate).
/// </summary>
public class CliStreamedTrainingTests
{
    [Fact]
    public void NpeFromShardsRecoversTheGaussianLinearPosterior()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ppl-tests", "streamed-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var model = ExampleModels.PathOf("gaussian_linear");
        for (int k = 0; k < 4; k++)
            Assert.Equal(ExitCodes.Ok, CliRunner.Run("simulate", model, "-n", "4000", "--seed", "1", "--chunk", "100", "--shard", $"{k}/4", "-o", Path.Combine(dir, "sims.npz")).Exit);
        var estimator = Path.Combine(dir, "est.pplz");
        var trained = CliRunner.Run("train", model, "--from", dir, "--method", "npe", "--flow", "affine", "--epochs", "30", "--buffer", "1000", "--seed", "2", "-o", estimator);
        Assert.True(trained.Exit == ExitCodes.Ok, trained.ToString());
        Assert.Contains("4000 (streamed from 4 shards", trained.Out);
        Assert.Contains("buffers of 1000); 3600 for training, 400 for validation", trained.Out);

        var x = new[] { 0.2, -0.2, 0.4, 0, 0, 0.1, -0.3, 0.2, 0, 0.6 };
        var obs = Path.Combine(dir, "obs.json");
        File.WriteAllText(obs, "{\"x\": [" + string.Join(", ", x.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]}");
        var post = Path.Combine(dir, "post.npz");
        var sampled = CliRunner.Run("posterior", estimator, "--data", obs, "-n", "4000", "--seed", "3", "-o", post);
        Assert.True(sampled.Exit == ExitCodes.Ok, sampled.ToString());
        var theta = NpzReader.ReadAll(post).Value["theta"];
        var values = theta.ToDoubleArray();
        for (int d = 0; d < 10; d++)
        {
            var column = Enumerable.Range(0, 4000).Select(i => values[i * 10 + d]).ToArray();
            double mean = column.Average(), variance = column.Select(v => (v - mean) * (v - mean)).Average();
            // Posterior sd 0.22: a mean off by 0.07 (a third of it) or a variance off by more than 60 % is a failed fit;
            // the Monte Carlo error of 4000 draws is 0.004 on the mean.
            Assert.True(Math.Abs(mean - x[d] / 2) < 0.07, $"theta[{d}]: mean {mean}, exact {x[d] / 2}");
            Assert.True(variance > 0.02 && variance < 0.08, $"theta[{d}]: variance {variance}, exact 0.05");
        }

        // --sims keeps the first N simulations of an archive; a folder is streamed whole.
        var refused = CliRunner.Run("train", model, "--from", dir, "--sims", "100", "--seed", "2", "-o", Path.Combine(dir, "other.pplz"));
        Assert.Equal(ExitCodes.UsageError, refused.Exit);
    }
}
