using System.Text;
using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>One `ppl sample` run of eight schools, shared by the tests that read its outputs.</summary>
public sealed class EightSchoolsSampleRun
{
    public const int Chains = 4, Warmup = 300, Draws = 500;

    public EightSchoolsSampleRun()
    {
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        Outcome = SampleRuns.Run("eight", ExampleModels.PathOf("eight_schools"), "--data", data, "--chains", $"{Chains}",
            "--warmup", $"{Warmup}", "--draws", $"{Draws}", "--adapt-delta", "0.9", "--seed", "2024", "--save-latents");
    }

    public SampleRuns.Outcome Outcome { get; }
}

/// <summary>`ppl sample` end to end on eight schools: the posterior, the output files and the report.</summary>
public class CliSampleTests(EightSchoolsSampleRun eight) : IClassFixture<EightSchoolsSampleRun>
{
    [Fact]
    public void EightSchoolsPosteriorMatchesTheReferenceWithoutDivergences()
    {
        SampleRuns.Succeeded(eight.Outcome.Cli);
        var tables = eight.Outcome.Tables(EightSchoolsSampleRun.Chains);
        // The reference (posteriordb eight_schools_noncentered: mu 4.4 ± 3.3, tau 3.6 ± 3.2) is quoted to 0.1, so 0.05
        // of rounding is allowed on top of 4 Monte Carlo standard errors (computed from these draws: about 0.08 for
        // the means with ~1800 draws of bulk ESS); a correct sampler fails this with probability below 1e-4.
        PosteriorMoments.Assert(SampleRuns.Outcome.Column(tables, "mu"), 4.4, 3.3, 4, "mu", slack: 0.05);
        PosteriorMoments.Assert(SampleRuns.Outcome.Column(tables, "tau"), 3.6, 3.2, 4, "tau", slack: 0.05);
        Assert.All(tables, t => Assert.All(t.Column("divergent__"), d => Assert.Equal(0, d)));
        Assert.Contains("No divergences", eight.Outcome.Cli.Out);
    }

    [Fact]
    public void CsvFilesHaveCmdStanColumnsThenParamsThenLatents()
    {
        var tables = eight.Outcome.Tables(EightSchoolsSampleRun.Chains);
        var expected = new[] { "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "mu", "tau" }
            .Concat(Enumerable.Range(1, 8).Select(j => $"eta.{j}")).ToArray();
        foreach (var t in tables)
        {
            Assert.Equal(expected, t.Names);
            Assert.Equal(EightSchoolsSampleRun.Draws, t.RowCount);
            Assert.All(t.Column("tau"), v => Assert.True(v > 0));
            Assert.Contains(t.Comments, c => c.StartsWith("Adaptation terminated", StringComparison.Ordinal));
            Assert.Contains(t.Comments, c => c.Trim() == "model = EightSchools");
        }
    }

    [Fact]
    public void NpzHoldsChainByDrawArraysAndTheCornerPlotAndSummaryExist()
    {
        var dir = eight.Outcome.Directory;
        var arrays = NpzReader.ReadAll(Path.Combine(dir, "draws.npz"));
        Assert.True(arrays.Succeeded, arrays.ToString());
        const int c = EightSchoolsSampleRun.Chains, n = EightSchoolsSampleRun.Draws;
        Assert.Equal(new long[] { c, n }, arrays.Value["mu"].Shape);
        Assert.Equal(new long[] { c, n, 8 }, arrays.Value["eta"].Shape);
        Assert.Equal(new long[] { c, n }, arrays.Value["divergent__"].Shape);
        Assert.Equal(new long[] { c, n, 10 }, arrays.Value["unconstrained__"].Shape);
        // The npz and the CSV hold the same draws: chain 2, draw 17.
        var table = eight.Outcome.Tables(2)[1];
        Assert.Equal(table.Column("tau")[17], arrays.Value["tau"].GetDouble(1, 17), 12);
        Assert.Equal(table.Column("eta.3")[17], arrays.Value["eta"].GetDouble(1, 17, 2), 12);

        var png = File.ReadAllBytes(Path.Combine(dir, "corner.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var summary = File.ReadAllText(Path.Combine(dir, "summary.txt"));
        Assert.Contains("R_hat", summary);
        Assert.Matches(@"\nmu\s+\d", summary);
        Assert.Matches(@"\neta\.8\s+-?\d", summary);
        // The table also went to standard output, and progress lines to standard error.
        Assert.Contains(summary.Split('\n')[3], eight.Outcome.Cli.Out);
        Assert.Matches(@"chain\s+4 \[#+\]\s+800/800 done", eight.Outcome.Cli.Err);
    }

    [Fact]
    public void SameSeedGivesIdenticalDrawsAndAnotherSeedDoesNot()
    {
        string[] Args(string seed) => new[] { ExampleModels.PathOf("gaussian_linear"), "--set", "x=[0.5, 0.2, -0.1, 0, 0, 0, 0, 0, 0, 1]",
            "--chains", "2", "--warmup", "60", "--draws", "40", "--seed", seed };
        var a = SampleRuns.Run("seed-a", Args("5"));
        var b = SampleRuns.Run("seed-b", Args("5"));
        var c = SampleRuns.Run("seed-c", Args("6"));
        foreach (var r in new[] { a, b, c }) SampleRuns.Succeeded(r.Cli);
        for (int chain = 1; chain <= 2; chain++)
        {
            // Everything but the start time and the elapsed times is a function of the seed: exact by construction, as
            // both runs repeat the same computation with the same inputs and thread count.
            static string[] Stable(string path) => File.ReadAllLines(path)
                .Where(l => !l.StartsWith("# start_datetime", StringComparison.Ordinal) && !l.Contains("seconds (", StringComparison.Ordinal)).ToArray();
            Assert.Equal(Stable(a.Csv(chain)), Stable(b.Csv(chain)));
            Assert.NotEqual(Stable(a.Csv(chain)), Stable(c.Csv(chain)));
        }
    }

    [Fact]
    public void FunnelDivergencesAreReported()
    {
        // Centred eight schools: the latents' scale is a param, the funnel geometry every sampler struggles with.
        var model = CliRunner.WriteModel("""
            model EightSchoolsCentred
            data J: int = 8
            data sigma: real[J] = [15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0]
            param mu ~ Normal(0, 5)
            param tau ~ HalfCauchy(5)
            latent theta: real[J] ~ Normal(mu, tau)
            observe y: real[J] ~ Normal(theta, sigma)
            """, "centred");
        var r = SampleRuns.Run("funnel", model, "--set", "y=[28, 8, -3, 7, -1, 1, 18, 12]", "--chains", "2", "--warmup", "100",
            "--draws", "150", "--max-depth", "6", "--seed", "7");
        SampleRuns.Succeeded(r.Cli);
        int divergent = (int)r.Tables(2).Sum(t => t.Column("divergent__").Sum());
        // About 2% of this posterior's transitions diverge at adapt delta 0.8 (7 of 300 here); none in 300 would be a
        // broken divergence check (under e^-6 by chance).
        Assert.True(divergent > 0, "the centred parameterisation should diverge");
        Assert.Contains($"Warning: {divergent} of 300 transitions", r.Cli.Out);
        Assert.Contains("divergence", File.ReadAllText(Path.Combine(r.Directory, "summary.txt")));
    }

    [Fact]
    public void ModelWithoutDensityIsRefusedWithTheReason()
    {
        var r = SampleRuns.Run("moons", ExampleModels.PathOf("two_moons"));
        Assert.Equal(ExitCodes.ModelError, r.Cli.Exit);
        Assert.Contains("error PPL0301: model TwoMoons has no log density", r.Cli.Err);
        Assert.Contains("deterministic", r.Cli.Err);
        Assert.False(Directory.Exists(r.Directory));
    }

    [Fact]
    public void MissingObservationIsReportedBeforeSampling()
    {
        var r = SampleRuns.Run("noobs", ExampleModels.PathOf("gaussian_linear"));
        Assert.Equal(ExitCodes.ModelError, r.Cli.Exit);
        Assert.Contains("gaussian_linear.ppl:10:1: error PPL0408: observed 'x' has no value", r.Cli.Err);
        Assert.DoesNotContain("chain", r.Cli.Err);
    }

    [Fact]
    public void TimeLimitWritesWhatWasSampled()
    {
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        var r = SampleRuns.Run("limit", ExampleModels.PathOf("eight_schools"), "--data", data, "--chains", "2", "--warmup", "30",
            "--draws", "1000000", "--time-limit", "1.5", "--seed", "3");
        SampleRuns.Succeeded(r.Cli);
        Assert.Contains("stopped at the time limit", r.Cli.Err);
        foreach (var t in r.Tables(2))
        {
            Assert.True(t.RowCount < 1000000);
            Assert.Contains(t.Comments, c => c.Contains("Stopped early (TimeLimit)", StringComparison.Ordinal));
        }
        Assert.True(File.Exists(Path.Combine(r.Directory, "draws.npz")));
        Assert.True(File.Exists(Path.Combine(r.Directory, "summary.txt")));
    }

    [Fact]
    public void InterruptionWritesWhatWasSampledAndExits130()
    {
        var dir = SampleRuns.NewDirectory("cancel");
        using var cancel = new CancellationTokenSource();
        // Ctrl-C as soon as the first progress report appears: the run is then certainly under way.
        var err = new ProgressWatcher(() => cancel.Cancel());
        var ctx = new CliContext(new StringWriter(), err, interactive: false, cancel.Token);
        var data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");
        int exit = Program.Run(new[] { "sample", ExampleModels.PathOf("eight_schools"), "--data", data, "--chains", "2",
            "--warmup", "20", "--draws", "1000000", "-o", dir }, ctx);
        Assert.Equal(ExitCodes.Interrupted, exit);
        Assert.Contains("interrupted", err.ToString());
        var outcome = new SampleRuns.Outcome(new CliResult(exit, "", err.ToString()), dir);
        Assert.All(outcome.Tables(2), t => Assert.Contains(t.Comments, c => c.Contains("Stopped early (Cancelled)", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(dir, "draws.npz")));
    }

    /// <summary>Standard error that calls back once when a chain's progress line is written.</summary>
    private sealed class ProgressWatcher(Action onProgress) : StringWriter
    {
        private bool _seen;

        public override void Write(string? value)
        {
            base.Write(value);
            if (!_seen && value is not null && value.StartsWith("chain ", StringComparison.Ordinal))
            {
                _seen = true;
                onProgress();
            }
        }

        public override Encoding Encoding => Encoding.UTF8;
    }
}
