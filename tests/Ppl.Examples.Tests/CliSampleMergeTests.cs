using Ppl.Cli;
using Ppl.Diagnostics;
using Ppl.Runtime.Campaigns;

namespace Ppl.Examples.Tests;

/// <summary>
/// Chains run as separate processes (`ppl sample --chain-offset`), merged (`ppl merge DIR... -o DIR`) and summarised
/// together (`ppl summary DIR...`): chain c depends only on (seed, c), so two runs of two chains merge into exactly the
/// draws of one run of four; mixed seeds, repeated and missing chains are refused and nothing is written.
/// </summary>
public class CliSampleMergeTests
{
    private static string[] Args(int chains, int offset, int seed = 3) => new[]
    {
        ExampleModels.PathOf("eight_schools"), "--data", Path.Combine(Path.GetDirectoryName(ExampleModels.PathOf("eight_schools"))!, "eight_schools.data.json"),
        "--chains", chains.ToString(), "--chain-offset", offset.ToString(), "--warmup", "60", "--draws", "30", "--seed", seed.ToString(),
    };

    private static SampleRuns.Outcome Sample(int chains, int offset, int seed = 3)
    {
        var run = SampleRuns.Run("merge", Args(chains, offset, seed));
        SampleRuns.Succeeded(run.Cli);
        return run;
    }

    private static IEnumerable<string> DataRows(string csv) => File.ReadLines(csv).Where(l => !l.StartsWith('#'));

    [Fact]
    public void TwoRunsOfTwoChainsMergeIntoTheRunOfFour()
    {
        var all = Sample(4, 0);
        var first = Sample(2, 0);
        var second = Sample(2, 2);
        Assert.True(File.Exists(second.Csv(3)) && File.Exists(second.Csv(4)) && !File.Exists(second.Csv(1)));
        var merged = SampleRuns.NewDirectory("merged");
        var r = CliRunner.Run("merge", first.Directory, second.Directory, "-o", merged);
        SampleRuns.Succeeded(r);
        Assert.Contains("4 chains (chains 1–2, chains 3–4) from 2 runs", r.Out);
        // Chain c's draws do not depend on which chains ran beside it.
        Assert.Equal(File.ReadAllBytes(Path.Combine(all.Directory, "draws.npz")), File.ReadAllBytes(Path.Combine(merged, "draws.npz")));
        for (int c = 1; c <= 4; c++) Assert.Equal(DataRows(all.Csv(c)), DataRows(Path.Combine(merged, $"samples_{c}.csv")));
        // The table over all chains is the single run's table.
        static string Table(string text) => string.Join("\n", text.Split('\n').SkipWhile(l => !l.Contains("R_hat")).TakeWhile(l => l.Trim().Length > 0));
        var single = File.ReadAllText(Path.Combine(all.Directory, "summary.txt"));
        Assert.Equal(Table(single), Table(File.ReadAllText(Path.Combine(merged, "summary.txt"))));
        Assert.Equal(4, SampleRunRecord.Read(merged).Value.Chains.Count);

        var summary = CliRunner.Run("summary", second.Directory, first.Directory);
        SampleRuns.Succeeded(summary);
        Assert.Equal(Table(single), Table(summary.Out));
        Assert.Contains("Chain  Draws  Divergent", summary.Out);
    }

    [Fact]
    public void MergeRefusesOtherSeedsRepeatedAndMissingChains()
    {
        var first = Sample(2, 0);
        var otherSeed = Sample(2, 2, seed: 4);
        var gap = Sample(1, 3);
        var output = SampleRuns.NewDirectory("refused");
        void Refused(string code, string message, params string[] folders)
        {
            var r = CliRunner.Run(new[] { "merge" }.Concat(folders).Concat(new[] { "-o", output }).ToArray());
            Assert.True(r.Exit == ExitCodes.ModelError, r.ToString());
            Assert.Contains(code, r.Err);
            Assert.Contains(message, r.Err);
            Assert.False(Directory.Exists(output));
            var summary = CliRunner.Run(new[] { "summary" }.Concat(folders).ToArray());
            Assert.Equal(ExitCodes.ModelError, summary.Exit);
        }
        Refused(DiagnosticCatalogue.ShardMismatch, "seed 4 here, 3 there", first.Directory, otherSeed.Directory);
        Refused(DiagnosticCatalogue.ShardGivenTwice, "chain 1 is also in", first.Directory, first.Directory);
        Refused(DiagnosticCatalogue.ShardsMissing, "chain 3 of 1..4 missing", first.Directory, gap.Directory);

        // A folder that is not empty is never written into.
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");
        var busy = CliRunner.Run("merge", first.Directory, gap.Directory, "-o", output);
        Assert.Equal(ExitCodes.UsageError, busy.Exit);
        Assert.Equal(new[] { "keep.txt" }, Directory.GetFiles(output).Select(Path.GetFileName));
        var badOffset = CliRunner.Run(new[] { "sample" }.Concat(Args(2, -1)).Concat(new[] { "-o", SampleRuns.NewDirectory("x") }).ToArray());
        Assert.Equal(ExitCodes.UsageError, badOffset.Exit);
    }
}
