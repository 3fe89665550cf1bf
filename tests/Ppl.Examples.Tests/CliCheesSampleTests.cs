using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>`ppl sample --sampler chees` end to end on eight schools: one CSV per chain, draws.npz, the summary with
/// nested R-hat, and the usage errors of the new options.</summary>
public class CliCheesSampleTests
{
    private const int Chains = 64, Warmup = 150, Draws = 40;

    [Fact]
    public void ManyChainRunWritesTheSameOutputsAsNuts()
    {
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        var outcome = SampleRuns.Run("chees", ExampleModels.PathOf("eight_schools"), "--data", data, "--sampler", "chees", "--chains", $"{Chains}",
            "--superchains", "8", "--warmup", $"{Warmup}", "--draws", $"{Draws}", "--seed", "5");
        SampleRuns.Succeeded(outcome.Cli);

        var tables = outcome.Tables(Chains);
        var expected = new[] { "lp__", "accept_stat__", "stepsize__", "int_time__", "n_leapfrog__", "divergent__", "energy__", "mu", "tau" };
        foreach (var t in tables)
        {
            Assert.Equal(expected, t.Names);
            Assert.Equal(Draws, t.RowCount);
            Assert.Contains(t.Comments, c => c.Trim() == "engine = chees");
            Assert.Contains(t.Comments, c => c.StartsWith("Trajectory length = ", StringComparison.Ordinal));
            // Every chain shares the step size; int_time__ is n_leapfrog__ steps of it.
            var step = t.Column("stepsize__");
            Assert.All(step, s => Assert.Equal(tables[0].Column("stepsize__")[0], s));
            for (int i = 0; i < t.RowCount; i++) Assert.Equal(t.Column("n_leapfrog__")[i] * step[i], t.Column("int_time__")[i], 9);
        }
        // The jittered trajectory length is the same for all chains in an iteration (one batched call per step).
        Assert.All(tables, t => Assert.Equal(tables[0].Column("n_leapfrog__"), t.Column("n_leapfrog__")));
        // 2560 draws: the mean of mu lies within 4 MCSE (of about 0.15) + 0.05 of the reference 4.4.
        PosteriorMoments.Assert(SampleRuns.Outcome.Column(tables, "mu"), 4.4, 3.3, 4, "mu", slack: 0.05);

        var arrays = NpzReader.ReadAll(Path.Combine(outcome.Directory, "draws.npz"));
        Assert.True(arrays.Succeeded, arrays.ToString());
        Assert.Equal(new long[] { Chains, Draws }, arrays.Value["mu"].Shape);
        var summary = File.ReadAllText(Path.Combine(outcome.Directory, "summary.txt"));
        Assert.Contains("ChEES-HMC (8 superchains", summary);
        Assert.Contains("nR_hat", summary);
        Assert.Matches(@"\n\s*all\s+2560\s", summary);
        Assert.Contains("ChEES adaptation: step size", summary);
        Assert.Matches(@"chains \[#+\]\s+190/190 done", outcome.Cli.Err);
        Assert.Contains("wrote samples_1.csv … samples_64.csv (64 CSV files), draws.npz", outcome.Cli.Out);
    }

    [Fact]
    public void MeadsRunWritesCsvsWithItsEngineAndRecoversEightSchools()
    {
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        var outcome = SampleRuns.Run("meads", ExampleModels.PathOf("eight_schools"), "--data", data, "--sampler", "meads", "--chains", $"{Chains}",
            "--superchains", "8", "--warmup", "100", "--draws", $"{Draws}", "--steps-per-draw", "5", "--seed", "5");
        SampleRuns.Succeeded(outcome.Cli);
        var tables = outcome.Tables(Chains);
        foreach (var t in tables)
        {
            Assert.Equal(Draws, t.RowCount);
            Assert.Contains(t.Comments, c => c.Trim() == "engine = meads");
            Assert.Contains(t.Comments, c => c.Trim() == "steps_per_draw = 5");
            Assert.All(t.Column("n_leapfrog__"), n => Assert.Equal(5, n));
        }
        PosteriorMoments.Assert(SampleRuns.Outcome.Column(tables, "mu"), 4.4, 3.3, 4, "mu", slack: 0.05);
        var summary = File.ReadAllText(Path.Combine(outcome.Directory, "summary.txt"));
        Assert.Contains("MEADS generalised HMC (8 superchains, 4 folds, a draw every 5 steps", summary);
        Assert.Contains("MEADS adaptation (per fold): fold 1: step size", summary);
        Assert.Contains("nR_hat", summary);
    }

    [Fact]
    public void CheesWithDenseMetricWritesTheLearnedMatrix()
    {
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        var outcome = SampleRuns.Run("chees-dense", ExampleModels.PathOf("eight_schools"), "--data", data, "--sampler", "chees", "--dense",
            "--chains", $"{Chains}", "--superchains", "8", "--warmup", $"{Warmup}", "--draws", $"{Draws}", "--seed", "5");
        SampleRuns.Succeeded(outcome.Cli);
        var tables = outcome.Tables(Chains);
        Assert.All(tables, t => Assert.Contains(t.Comments, c => c.Trim() == "metric = dense_e"));
        PosteriorMoments.Assert(SampleRuns.Outcome.Column(tables, "mu"), 4.4, 3.3, 4, "mu", slack: 0.05);
    }

    [Theory]
    [InlineData("--sampler", "hmc")]
    [InlineData("--sampler", "meads", "--chains", "7")]
    [InlineData("--sampler", "meads", "--dense")]
    [InlineData("--steps-per-draw", "5")]
    [InlineData("--sampler", "meads", "--steps-per-draw", "0")]
    [InlineData("--sampler", "chees", "--chains", "1")]
    [InlineData("--sampler", "chees", "--chains", "64", "--superchains", "5")]
    [InlineData("--superchains", "2")]
    public void BadManyChainOptionsAreUsageErrors(params string[] options)
    {
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        var r = CliRunner.Run(new[] { "sample", ExampleModels.PathOf("eight_schools"), "--data", data, "-o", SampleRuns.NewDirectory("bad") }.Concat(options).ToArray());
        Assert.Equal(ExitCodes.UsageError, r.Exit);
        Assert.DoesNotContain("   at ", r.Err);
    }
}
