using Ppl.Cli;
using Ppl.Diagnostics;
using Ppl.Runtime.Campaigns;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>
/// `ppl simulate --shard K/N` and `ppl merge`: the merged archive equals the single-process run byte for byte for every
/// example; merge refuses mixed runs, missing, duplicate and truncated shards with their codes and writes nothing; a rerun
/// skips complete shards and redoes killed or damaged ones.
/// </summary>
public class CliShardMergeTests
{
    /// <summary>Each example with small sizes (the lensing models at test sizes).</summary>
    public static IEnumerable<object[]> Examples() => new[]
    {
        new object[] { "two_moons", Array.Empty<string>() },
        new object[] { "gaussian_linear", new[] { "--score" } },
        new object[] { "eight_schools", new[] { "--score" } },
        new object[] { "lotka_volterra", Array.Empty<string>() },
        new object[] { "gaussian_random_field", Array.Empty<string>() },
        new object[] { "lognormal_lensing", new[] { "--set", "N=4" } },
        new object[] { "lognormal_lensing_cl", new[] { "--set", "N=8", "--set", "nbands=3" } },
        new object[] { "lensing_map_spectra", new[] { "--set", "N=8", "--set", "nbands=3" } },
    };

    private static string Folder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ppl-tests", "shards-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>7 simulations in chunks of 2 (4 chunks) over 3 shards: shards of 2, 2 and 3 simulations.</summary>
    private static string[] Simulate(string model, string output, string? shard, long seed = 5, string count = "7", params string[] extra)
    {
        var args = new List<string> { "simulate", ExampleModels.PathOf(model), "-n", count, "--seed", seed.ToString(), "--chunk", "2", "-o", output };
        if (shard is not null) args.AddRange(new[] { "--shard", shard });
        args.AddRange(extra);
        return args.ToArray();
    }

    private static void Ok(string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.Exit == ExitCodes.Ok, r.ToString());
    }

    private static string ShardsOf(string dir, string model, long seed = 5, params string[] extra)
    {
        var output = Path.Combine(dir, "sims.npz");
        for (int k = 0; k < 3; k++) Ok(Simulate(model, output, $"{k}/3", seed, "7", extra));
        return output;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void MergedShardsEqualTheSingleRunByteForByte(string model, string[] extra)
    {
        var dir = Folder();
        var single = Path.Combine(dir, "single.npz");
        Ok(Simulate(model, single, null, extra: extra));
        ShardsOf(dir, model, extra: extra);
        Assert.Equal(new long[] { 2, 2, 3 }, Enumerable.Range(0, 3)
            .Select(k => ShardRecord.Read(Path.Combine(dir, $"sims.shard-{k}-of-3.json")).Value.Count).ToArray());
        var merged = Path.Combine(dir, "merged.npz");
        // Shards given out of order, as a shell glob over another folder might list them.
        var r = CliRunner.Run("merge", Path.Combine(dir, "sims.shard-2-of-3.npz"), Path.Combine(dir, "sims.shard-0-of-3.npz"),
            Path.Combine(dir, "sims.shard-1-of-3.json"), "-o", merged);
        Assert.True(r.Exit == ExitCodes.Ok, r.ToString());
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(merged));
    }

    [Fact]
    public void MergeTakesAFolderOfShardsAndCompressedShards()
    {
        var dir = Folder();
        var single = Path.Combine(dir, "single.npz");
        Ok(Simulate("two_moons", single, null, extra: "--compress"));
        var shards = Path.Combine(dir, "shards");
        Directory.CreateDirectory(shards);
        ShardsOf(shards, "two_moons", extra: "--compress");
        var merged = Path.Combine(dir, "merged.npz");
        var r = CliRunner.Run("merge", shards, "-o", merged);
        Assert.True(r.Exit == ExitCodes.Ok, r.ToString());
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(merged));
    }

    /// <summary>Runs merge expecting a refusal with <paramref name="code"/>; an existing output keeps its bytes.</summary>
    private static CliResult Refused(string code, int exit, params string[] args)
    {
        var output = args[Array.IndexOf(args, "-o") + 1];
        var before = new byte[] { 1, 2, 3 };
        File.WriteAllBytes(output, before);
        var r = CliRunner.Run(args);
        Assert.True(r.Exit == exit, r.ToString());
        Assert.Contains(code, r.Err);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
        Assert.Equal(before, File.ReadAllBytes(output));
        Assert.False(File.Exists(output + ".tmp"));
        return r;
    }

    [Fact]
    public void MergeRefusesShardsOfDifferentSeedsOrModels()
    {
        var a = Folder();
        var b = Folder();
        var c = Folder();
        ShardsOf(a, "two_moons", seed: 5);
        ShardsOf(b, "two_moons", seed: 6);
        ShardsOf(c, "gaussian_linear", seed: 5);
        string Shard(string dir, int k) => Path.Combine(dir, $"sims.shard-{k}-of-3.npz");
        var out1 = Path.Combine(a, "out.npz");
        var seeds = Refused(DiagnosticCatalogue.ShardMismatch, ExitCodes.ModelError, "merge", Shard(a, 0), Shard(b, 1), Shard(a, 2), "-o", out1);
        Assert.Contains("seed 6 here, 5 there", seeds.Err);
        var models = Refused(DiagnosticCatalogue.ShardMismatch, ExitCodes.ModelError, "merge", Shard(a, 0), Shard(a, 1), Shard(c, 2), "-o", out1);
        Assert.Contains("model GaussianLinear", models.Err);
        // Other settings: a shard of a differently sized run, or simulated in float64.
        var d = Folder();
        Ok(Simulate("two_moons", Path.Combine(d, "sims.npz"), "1/3", extra: "--float64"));
        var real = Refused(DiagnosticCatalogue.ShardMismatch, ExitCodes.ModelError, "merge", Shard(a, 0), Shard(d, 1), Shard(a, 2), "-o", out1);
        Assert.Contains("real float64 here, float32 there", real.Err);
    }

    [Fact]
    public void MergeRefusesMissingDuplicateAndTruncatedShards()
    {
        var a = Folder();
        ShardsOf(a, "gaussian_linear");
        string Shard(int k) => Path.Combine(a, $"sims.shard-{k}-of-3.npz");
        var output = Path.Combine(a, "out.npz");
        var missing = Refused(DiagnosticCatalogue.ShardsMissing, ExitCodes.ModelError, "merge", Shard(0), Shard(2), "-o", output);
        Assert.Contains("1 of 3 shards missing: 1 (2–3)", missing.Err);

        var copy = Folder();
        File.Copy(Shard(1), Path.Combine(copy, "sims.shard-1-of-3.npz"));
        File.Copy(Path.ChangeExtension(Shard(1), ".json"), Path.Combine(copy, "sims.shard-1-of-3.json"));
        var duplicate = Refused(DiagnosticCatalogue.ShardGivenTwice, ExitCodes.ModelError, "merge", Shard(0), Shard(1), Path.Combine(copy, "sims.shard-1-of-3.npz"), Shard(2), "-o", output);
        Assert.Contains("shard 1/3 (simulations 2–3) is given 2 times", duplicate.Err);

        // A shard cut short after its record was written (a copy that stopped, a full disk).
        var bytes = File.ReadAllBytes(Shard(2));
        File.WriteAllBytes(Shard(2), bytes[..(bytes.Length / 2)]);
        var truncated = Refused(DiagnosticCatalogue.ShardChecksumMismatch, ExitCodes.ModelError, "merge", Shard(0), Shard(1), Shard(2), "-o", output);
        Assert.Contains("truncated", truncated.Err);
        // Same size, one byte changed.
        bytes[^100] ^= 1;
        File.WriteAllBytes(Shard(2), bytes);
        Refused(DiagnosticCatalogue.ShardChecksumMismatch, ExitCodes.ModelError, "merge", Shard(0), Shard(1), Shard(2), "-o", output);
        // A shard that never finished has no record.
        File.Delete(Path.ChangeExtension(Shard(2), ".json"));
        var unfinished = Refused("PPL0501", ExitCodes.ModelError, "merge", Shard(0), Shard(1), Shard(2), "-o", output);
        Assert.Contains("never finished", unfinished.Err);
    }

    [Fact]
    public void UsageErrorsOfShard()
    {
        var dir = Folder();
        var output = Path.Combine(dir, "sims.npz");
        foreach (var (shard, message) in new[] { ("3/3", "must be below N = 3"), ("a/3", "--shard must be K/N"), ("0/0", "--shard must be K/N"), ("0/5", "fewer than the 5 shards") })
        {
            var r = CliRunner.Run(Simulate("two_moons", output, shard));
            Assert.True(r.Exit == ExitCodes.UsageError, r.ToString());
            Assert.Contains(message, r.Err);
        }
        var both = CliRunner.Run(Simulate("two_moons", output, "0/3", extra: new[] { "--first-index", "4" }));
        Assert.Equal(ExitCodes.UsageError, both.Exit);
        var noExtension = CliRunner.Run(Simulate("two_moons", Path.Combine(dir, "sims"), "0/3"));
        Assert.Equal(ExitCodes.UsageError, noExtension.Exit);
        Assert.Contains("give -o NAME.npz", noExtension.Err);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void RerunSkipsCompleteShardsAndRedoesDamagedOnes()
    {
        var dir = Folder();
        var output = ShardsOf(dir, "gaussian_linear");
        string Shard(int k) => Path.Combine(dir, $"sims.shard-{k}-of-3.npz");
        var original = Enumerable.Range(0, 3).Select(k => File.ReadAllBytes(Shard(k))).ToArray();
        var written = File.GetLastWriteTimeUtc(Shard(0));

        var skipped = CliRunner.Run(Simulate("gaussian_linear", output, "0/3"));
        Assert.True(skipped.Exit == ExitCodes.Ok, skipped.ToString());
        Assert.Contains("already complete", skipped.Out);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Shard(0)));

        // Killed before its record was written: the data file is there, the record is not.
        File.Delete(Path.ChangeExtension(Shard(1), ".json"));
        File.WriteAllBytes(Shard(1), original[1][..50]);
        File.WriteAllBytes(Shard(1) + ".tmp", new byte[] { 0 });
        // Damaged after it finished.
        File.WriteAllBytes(Shard(2), original[2][..(original[2].Length - 7)]);
        var redone1 = CliRunner.Run(Simulate("gaussian_linear", output, "1/3"));
        Assert.True(redone1.Exit == ExitCodes.Ok, redone1.ToString());
        Assert.DoesNotContain("already complete", redone1.Out);
        var redone2 = CliRunner.Run(Simulate("gaussian_linear", output, "2/3"));
        Assert.True(redone2.Exit == ExitCodes.Ok, redone2.ToString());
        Assert.Contains("simulating the shard again", redone2.Err);
        for (int k = 0; k < 3; k++) Assert.Equal(original[k], File.ReadAllBytes(Shard(k)));
        Assert.False(File.Exists(Shard(1) + ".tmp"));

        // Another run's shard under the same name is refused, not overwritten.
        var foreign = CliRunner.Run(Simulate("gaussian_linear", output, "0/3", seed: 9));
        Assert.True(foreign.Exit == ExitCodes.UsageError, foreign.ToString());
        Assert.Contains(DiagnosticCatalogue.ForeignShard, foreign.Err);
        Assert.Equal(original[0], File.ReadAllBytes(Shard(0)));
    }

    [Fact]
    public void ShardKilledMidRunIsRedoneAndMergesExactly()
    {
        if (!ChildCli.Supported) return;
        var dir = Folder();
        var output = Path.Combine(dir, "sims.npz");
        string[] Args(string shard) => new[] { "simulate", ExampleModels.PathOf("gaussian_linear"), "-n", "40000", "--seed", "2", "--chunk", "500", "--shard", shard, "-o", output };
        using (var child = ChildCli.Start(Args("0/2")))
        {
            Thread.Sleep(1500);
            // On a quiet machine the shard may be complete before the kill; then the rerun below skips it.
            child.SignalIfRunning(ChildCli.SigKill);
            child.WaitForExit(TimeSpan.FromSeconds(30));
        }
        // Whatever the kill interrupted, a record exists only for a complete shard.
        var record = Path.Combine(dir, "sims.shard-0-of-2.json");
        if (File.Exists(record)) Assert.Null(ShardSet.VerifyData(record, ShardRecord.Read(record).Value));
        Ok(Args("0/2"));
        Ok(Args("1/2"));
        var single = Path.Combine(dir, "single.npz");
        Ok(new[] { "simulate", ExampleModels.PathOf("gaussian_linear"), "-n", "40000", "--seed", "2", "--chunk", "500", "-o", single });
        var merged = Path.Combine(dir, "merged.npz");
        Ok(new[] { "merge", dir, "-o", merged });
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(merged));
    }
}
