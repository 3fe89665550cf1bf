using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>`ppl sample --record`: lets saved per draw in the CSV files, draws.npz and the summary.</summary>
public class CliRecordTests
{
    private static string EightSchoolsData => Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");

    private static SampleRuns.Outcome Sample(params string[] extra) =>
        SampleRuns.Run("record", new[] { ExampleModels.PathOf("eight_schools"), "--data", EightSchoolsData, "--chains", "2", "--warmup", "150",
            "--draws", "60", "--seed", "7", "--float64", "--no-plots" }.Concat(extra).ToArray());

    [Fact]
    public void RecordedLetEqualsTheValueRecomputedFromTheDrawnParamsInEveryRow()
    {
        var run = Sample("--save-latents", "--record", "theta");
        SampleRuns.Succeeded(run.Cli);
        var tables = run.Tables(2);
        var expected = new[] { "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "mu", "tau" }
            .Concat(Enumerable.Range(1, 8).Select(j => $"theta.{j}"))
            .Concat(Enumerable.Range(1, 8).Select(j => $"eta.{j}")).ToArray();
        var npz = NpzReader.ReadAll(Path.Combine(run.Directory, "draws.npz"));
        Assert.True(npz.Succeeded, npz.ToString());
        Assert.Equal(new long[] { 2, 60, 8 }, npz.Value["theta"].Shape);
        for (int c = 0; c < tables.Length; c++)
        {
            var t = tables[c];
            Assert.Equal(expected, t.Names);
            Assert.Equal(60, t.RowCount);
            var mu = t.Column("mu");
            var tau = t.Column("tau");
            for (int j = 1; j <= 8; j++)
            {
                var eta = t.Column($"eta.{j}");
                var theta = t.Column($"theta.{j}");
                for (int i = 0; i < t.RowCount; i++)
                {
                    // let theta = mu + tau * eta, evaluated by the model in float64; the CSV prints round-trip doubles, so
                    // only the rounding of one product and one sum (a fused multiply-add or not) may differ.
                    double recomputed = mu[i] + tau[i] * eta[i];
                    double tolerance = 1e-13 * (Math.Abs(mu[i]) + Math.Abs(tau[i] * eta[i])) + 1e-300;
                    Assert.True(Math.Abs(theta[i] - recomputed) <= tolerance, $"chain {c + 1} row {i} theta.{j} = {theta[i]}, mu + tau * eta = {recomputed}");
                    Assert.Equal(theta[i], npz.Value["theta"].GetDouble(c, i, j - 1), 12);
                }
            }
        }
        var summary = File.ReadAllText(Path.Combine(run.Directory, "summary.txt"));
        Assert.Matches(@"\ntheta\.1\s+-?\d", summary);
        Assert.Matches(@"\ntheta\.8\s+-?\d", summary);
    }

    [Fact]
    public void RecordingWithoutSavedLatentsPutsTheLetAfterTheParams()
    {
        var run = Sample("--record", "theta", "--record", "theta");
        SampleRuns.Succeeded(run.Cli);
        var t = run.Tables(1)[0];
        Assert.Equal(new[] { "mu", "tau" }.Concat(Enumerable.Range(1, 8).Select(j => $"theta.{j}")), t.Names.Skip(7));
    }

    [Fact]
    public void RunsThatRecordedTheSameLetsMergeAndOthersAreRefused()
    {
        SampleRuns.Outcome Part(int offset, params string[] extra)
        {
            var run = SampleRuns.Run("record-merge", new[] { ExampleModels.PathOf("eight_schools"), "--data", EightSchoolsData, "--chains", "1",
                "--chain-offset", $"{offset}", "--warmup", "60", "--draws", "30", "--seed", "3", "--no-plots" }.Concat(extra).ToArray());
            SampleRuns.Succeeded(run.Cli);
            return run;
        }
        var first = Part(0, "--record", "theta");
        var second = Part(1, "--record", "theta");
        var plain = Part(1);
        var merged = SampleRuns.NewDirectory("record-merged");
        SampleRuns.Succeeded(CliRunner.Run("merge", first.Directory, second.Directory, "-o", merged));
        var npz = NpzReader.ReadAll(Path.Combine(merged, "draws.npz"));
        Assert.True(npz.Succeeded, npz.ToString());
        Assert.Equal(new long[] { 2, 30, 8 }, npz.Value["theta"].Shape);
        Assert.Matches(@"\ntheta\.8\s+-?\d", File.ReadAllText(Path.Combine(merged, "summary.txt")));

        var refusedOutput = SampleRuns.NewDirectory("record-refused");
        var refused = CliRunner.Run("merge", first.Directory, plain.Directory, "-o", refusedOutput);
        Assert.Equal(ExitCodes.ModelError, refused.Exit);
        Assert.Contains("record", refused.Err);
        Assert.False(System.IO.Directory.Exists(refusedOutput));
    }

    [Fact]
    public void AModelThatSumsOutADiscreteLatentRefusesRecording()
    {
        var model = CliRunner.WriteModel("""
            model EnumeratedShift
            param mu ~ Normal(0, 2)
            latent z: int[3] ~ Bernoulli(0.3)
            let shift = if z == 1 then mu else 0.0
            observe y: real[3] ~ Normal(shift, 1)
            """, "enumerated_record");
        var run = SampleRuns.Run("record-enum", model, "--set", "y=[2.5, -0.2, 3.1]", "--record", "shift");
        Assert.Equal(ExitCodes.UsageError, run.Cli.Exit);
        Assert.Contains("sums out a discrete latent", run.Cli.Err);
    }

    [Theory]
    [InlineData("eta", "'eta' is not a let")]
    [InlineData("nothing,theta", "'nothing' is not a let")]
    [InlineData("theta,", "let names separated by commas")]
    public void AnUnknownOrNonLetNameIsAUsageErrorListingTheRecordableLets(string names, string message)
    {
        var run = Sample("--record", names);
        Assert.Equal(ExitCodes.UsageError, run.Cli.Exit);
        Assert.Contains(message, run.Cli.Err);
        Assert.Contains("the lets that can be recorded: theta", run.Cli.Err);
        Assert.False(File.Exists(run.Csv(1)));
    }
}
