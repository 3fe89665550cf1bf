using System.Text.Json.Nodes;
using Ppl.Runtime.Flows;
using Ppl.Runtime.IO;
using Ppl.Cli;
using Ppl.Runtime.Sbi;
using Ppl.Runtime.Tensors;
using Ppl.Tests.Shared;
using Xunit.Abstractions;

namespace Ppl.Sbi.Tests;

/// <summary>
/// `ppl train MODEL --from DIR` with the options of the in-memory path: `--compressor` (each buffer's maps summarised,
/// the compressor recorded in the bundle so that `ppl posterior` applies it by itself), `--score-weight` (the joint
/// score recomputed at each buffer's stored values) and `--embedding cnn`; and the same refusals.
/// </summary>
public sealed class CliStreamedTrainingOptionsTests : TemporaryFolder
{
    private readonly ITestOutputHelper _output;

    public CliStreamedTrainingOptionsTests(ITestOutputHelper output) => _output = output;

    private static void AssertRefused(CliResult result, int exit, string text, string unwritten)
    {
        Assert.True(result.Exit == exit, result.ToString());
        Assert.Contains(text, result.Err);
        Assert.DoesNotContain("internal error", result.Err);
        Assert.False(File.Exists(unwritten), $"{unwritten} was written");
    }

    private string Shards(string model, int shards, int sims, int chunk)
    {
        var dir = In("shards");
        Directory.CreateDirectory(dir);
        for (int k = 0; k < shards; k++)
        {
            var simulated = CliInvocation.Run("simulate", model, "-n", sims.ToString(), "--seed", "4", "--chunk", chunk.ToString(), "--shard", $"{k}/{shards}",
                "-o", Path.Combine(dir, "sims.npz"));
            Assert.True(simulated.Exit == 0, simulated.ToString());
        }
        return dir;
    }

    private static ModelEstimatorRecord Record(string bundle, out LoadedEstimatorBundle loaded)
    {
        var read = EstimatorBundle.Load(bundle, null);
        Assert.True(read.IsSuccess, read.Error?.ToString());
        loaded = read.Value;
        var record = ModelEstimatorRecord.FromMetadata(loaded.Metadata, bundle);
        Assert.True(record.IsSuccess, record.Error?.ToString());
        return record.Value;
    }

    private (double Mean, double Sd) Posterior(string bundle, string observation, string name)
    {
        var post = In(name + ".csv");
        var sampled = CliInvocation.Run("posterior", bundle, "--data", observation, "-n", "4000", "--seed", "3", "-o", post, "--no-plot");
        Assert.True(sampled.Exit == 0, sampled.ToString());
        var column = ReadCsv(post).Column("amplitude");
        double mean = column.Average();
        return (mean, Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average()));
    }

    [Fact]
    public void CompressorFromShardsGivesTheBundleOfTheArchivePath()
    {
        // The full-field recipe on the 16 × 16 Gaussian random field: shards → `ppl compress --from DIR` →
        // `ppl train --from DIR --compressor` → `ppl posterior` (no --compressor: the bundle names it), against the same
        // simulations merged and trained in memory.
        var model = CompressionModels.GrfPath;
        var shards = Shards(model, 3, 600, 50);
        var comp = In("comp.pplz");
        var compressed = CliInvocation.Run("compress", model, "--loss", "mse", "--from", shards, "--buffer", "100", "--epochs", "8",
            "--batch-size", "50", "--seed", "1", "-o", comp);
        Assert.True(compressed.Exit == 0, compressed.ToString());
        string[] settings = ["--compressor", comp, "--flow", "affine", "--epochs", "30", "--batch-size", "100", "--seed", "2"];

        var streamed = In("streamed.pplz");
        var trained = CliInvocation.Run(["train", model, "--from", shards, "--buffer", "300", .. settings, "-o", streamed]);
        _output.WriteLine(trained.ToString());
        Assert.True(trained.Exit == 0, trained.ToString());
        Assert.Contains("600 (streamed from 3 shards", trained.Out);
        Assert.Contains("1 summaries of y by", trained.Out);
        Assert.True(File.Exists(TrainingOutputs.LossPlotPath(streamed)));

        var merged = In("sims.npz");
        Assert.Equal(0, CliInvocation.Run("merge", shards, "-o", merged).Exit);
        var memory = In("memory.pplz");
        var inMemory = CliInvocation.Run(["train", model, "--from", merged, .. settings, "-o", memory]);
        Assert.True(inMemory.Exit == 0, inMemory.ToString());

        // The same record but for where the simulations were read: the compressor (path, SHA-256, site, summaries), the
        // params and x layout, the simulation count, and an observation range of the summaries.
        var fromShards = Record(streamed, out var streamedBundle);
        var fromArchive = Record(memory, out var memoryBundle);
        Assert.NotNull(fromShards.Compressor);
        Assert.Equal(fromArchive.Compressor, fromShards.Compressor);
        Assert.Equal(Path.GetFullPath(comp), fromShards.Compressor!.Path);
        Assert.True(fromShards.Observation.SameAs(fromArchive.Observation));
        Assert.Equal(fromArchive.ParamColumns, fromShards.ParamColumns);
        Assert.Equal(600, fromShards.Simulations);
        Assert.Equal(600, fromArchive.Simulations);
        Assert.Equal(Path.GetFullPath(shards), fromShards.SimulationSource);
        Assert.Contains(ObservationRange.MetadataKey, streamedBundle.Metadata.Keys);
        Assert.Equal(memoryBundle.Estimator.Flow.Architecture.ContextShape, streamedBundle.Estimator.Flow.Architecture.ContextShape);

        // `ppl posterior` compresses the observation itself. Measured (load 18 on 2 cores does not change these): the
        // posterior of the amplitude has mean 0.43–0.47 and sd 0.07–0.10 on either path and several seeds, where the
        // prior's are 1.13 and 0.6; the two paths' means are required to agree to within 0.1 and both sds to be under 0.15.
        var observation = In("obs.npz");
        Assert.Equal(0, CliInvocation.Run("simulate", model, "-n", "1", "--seed", "99", "-o", observation).Exit);
        var (streamedMean, streamedSd) = Posterior(streamed, observation, "streamed");
        var (memoryMean, memorySd) = Posterior(memory, observation, "memory");
        _output.WriteLine($"amplitude posterior: streamed {streamedMean:F3} ± {streamedSd:F3}, in memory {memoryMean:F3} ± {memorySd:F3}");
        Assert.True(Math.Abs(streamedMean - memoryMean) < 0.1, $"means {streamedMean} (streamed) and {memoryMean} (in memory)");
        Assert.True(streamedSd < 0.15 && memorySd < 0.15, $"sds {streamedSd} (streamed) and {memorySd} (in memory)");

        // The in-memory path's refusals: another model's compressor, a map of another size, a CNN embedding of summaries,
        // and --sims (a prefix of an archive) with a folder.
        var est = In("refused.pplz");
        AssertRefused(CliInvocation.Run("train", CliInvocation.Example("gaussian_random_field"), "--from", shards, "--compressor", comp, "-o", est), 1, "SBI203", est);
        AssertRefused(CliInvocation.Run("train", model, "--set", "N=8", "--from", shards, "--compressor", comp, "-o", est), 1, "SBI110", est);
        AssertRefused(CliInvocation.Run("train", model, "--from", shards, "--compressor", comp, "--embedding", "cnn", "-o", est), 2, "--embedding cnn", est);
        AssertRefused(CliInvocation.Run("train", model, "--from", shards, "--sims", "100", "-o", est), 2, "--sims", est);
    }

    [Fact]
    public void ScoreAugmentedNpeAndCnnEmbeddingStreamFromShards()
    {
        // Lotka–Volterra: latent initial populations (so the joint score needs the stored latents) and a [10, 2] series.
        var model = CliInvocation.Example("lotka_volterra");
        var shards = Shards(model, 2, 100, 25);
        var bundle = In("lv.pplz");
        var trained = CliInvocation.Run("train", model, "--from", shards, "--buffer", "50", "--method", "npe", "--flow", "smooth", "--embedding", "cnn",
            "--score-weight", "1e-7", "--epochs", "3", "--hidden", "32", "--layers", "3", "--seed", "1", "-o", bundle);
        _output.WriteLine(trained.ToString());
        Assert.True(trained.Exit == 0, trained.ToString());
        Assert.Contains("score-augmented NPE", trained.Out);
        Assert.Contains("y [10, 2] as a series", trained.Out);
        Assert.Contains("100 (streamed from 2 shards", trained.Out);
        Record(bundle, out var loaded);
        Assert.Equal(1e-7, loaded.Estimator.ScoreWeight); // exact: the option is stored, not computed
        Assert.Equal(EmbeddingKind.Conv1d, loaded.Estimator.Architecture.Embedding.Kind);

        var observation = In("observation.npz");
        Assert.Equal(0, CliInvocation.Run("simulate", model, "-n", "1", "--seed", "77", "-o", observation).Exit);
        var posterior = In("posterior.npz");
        var sampled = CliInvocation.Run("posterior", bundle, "--data", observation, "-n", "300", "--seed", "2", "-o", posterior, "--no-plot");
        Assert.True(sampled.Exit == 0, sampled.ToString());
        using (var theta = NpzReader.ReadAllTensors(posterior).Value!["theta"])
        {
            Assert.Equal(new long[] { 300, 4 }, theta.shape);
            Assert.True(theta.gt(ConstantScalars.Of(0)).all().item<bool>() && theta.isfinite().all().item<bool>());
        }

        // The CNN embedding without the score.
        var cnn = In("cnn.pplz");
        var plain = CliInvocation.Run("train", model, "--from", shards, "--buffer", "50", "--flow", "affine", "--embedding", "cnn", "--epochs", "2", "--seed", "1", "-o", cnn);
        Assert.True(plain.Exit == 0, plain.ToString());
        Assert.Contains("trained NPE", plain.Out);
        Assert.Contains("as a series", plain.Out);

        // The in-memory path's refusals: a flow without smooth gradients, NLE with the score or a CNN.
        var est = In("refused.pplz");
        AssertRefused(CliInvocation.Run("train", model, "--from", shards, "--flow", "affine", "--score-weight", "1e-7", "-o", est), 1, "SBI101", est);
        AssertRefused(CliInvocation.Run("train", model, "--from", shards, "--method", "nle", "--flow", "smooth", "--score-weight", "1e-7", "-o", est), 2,
            "--score-weight is for NPE", est);
        AssertRefused(CliInvocation.Run("train", model, "--from", shards, "--method", "nle", "--embedding", "cnn", "-o", est), 2, "--embedding cnn", est);

        // Shards whose records lack the latent (not written by `ppl simulate`): the score cannot be recomputed.
        foreach (var path in Directory.GetFiles(shards, "*.shard-*-of-*.json"))
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var arrays = json["arrays"]!.AsArray();
            arrays.Remove(arrays.First(a => (string?)a!["name"] == "z0"));
            File.WriteAllText(path, json.ToJsonString());
        }
        var lacking = CliInvocation.Run("train", model, "--from", shards, "--flow", "smooth", "--score-weight", "1e-7", "-o", est);
        AssertRefused(lacking, 1, "'z0'", est);
        Assert.Contains("SBI108", lacking.Err);
        Assert.Contains("joint score", lacking.Err);
    }
}
