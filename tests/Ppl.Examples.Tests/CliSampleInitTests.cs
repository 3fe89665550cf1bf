using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Tests.Shared;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>`ppl sample --init FILE` and `--init-set`: given values, latents from .npy files, and the errors for bad ones.</summary>
public class CliSampleInitTests
{
    private static readonly string Data = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.data.json");

    private static string Folder()
    {
        var dir = SampleRuns.NewDirectory("init");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static SampleRuns.Outcome Sample(params string[] extra) => SampleRuns.Run("init-run",
        new[] { ExampleModels.PathOf("eight_schools"), "--data", Data, "--chains", "2", "--warmup", "20", "--draws", "10", "--seed", "8" }
            .Concat(extra).ToArray());

    [Fact]
    public void JsonInitWithALatentFromNpyRuns()
    {
        var dir = Folder();
        NpyWriter.Write(Path.Combine(dir, "eta.npy"), tensor(new double[] { 0.1, -0.2, 0.3, 0, 0, 0.5, -1, 1 }));
        var init = Path.Combine(dir, "init.json");
        File.WriteAllText(init, "{\"mu\": 1.5, \"tau\": [2.0, 3.0], \"eta\": \"@eta.npy\"}");
        var r = Sample("--init", init);
        SampleRuns.Succeeded(r.Cli);
        Assert.Contains(r.Tables(2)[0].Comments, c => c.Trim() == "init = " + init);
    }

    [Fact]
    public void LatentWithTheWrongShapeFromNpyIsALocatedError()
    {
        var dir = Folder();
        NpyWriter.Write(Path.Combine(dir, "eta.npy"), tensor(new double[] { 0.1, -0.2, 0.3 }));
        var init = Path.Combine(dir, "init.json");
        File.WriteAllText(init, "{\"eta\": \"@eta.npy\"}");
        var r = Sample("--init", init);
        Assert.Equal(ExitCodes.ModelError, r.Cli.Exit);
        Assert.Contains("eight_schools.ppl:9:1: error PPL0403: the initial value of 'eta'", r.Cli.Err);
        Assert.Contains("eta.npy", r.Cli.Err);
        Assert.Contains("has shape [3]", r.Cli.Err);
        Assert.Contains("^^^", r.Cli.Err);
    }

    [Fact]
    public void ValueOutsideTheSupportIsALocatedError()
    {
        var r = Sample("--init-set", "tau=-1.5");
        Assert.Equal(ExitCodes.ModelError, r.Cli.Exit);
        Assert.Contains("eight_schools.ppl:8:1: error PPL0409: the initial value of 'tau' (--init-set tau) is outside its support", r.Cli.Err);
        Assert.Contains("-1.5", r.Cli.Err);
        Assert.False(File.Exists(r.Csv(1)));
    }

    [Fact]
    public void UsageErrorsExitWithTwo()
    {
        Assert.Equal(ExitCodes.UsageError, Sample("--init", "/nonexistent/init.json").Cli.Exit);
        Assert.Equal(ExitCodes.UsageError, Sample("--adapt-delta", "1.5").Cli.Exit);
        Assert.Equal(ExitCodes.UsageError, Sample("--init-radius", "1").Cli.Exit); // the radius is for --init uniform
        var r = Sample("--init", "uniform", "--init-radius", "0.5");
        SampleRuns.Succeeded(r.Cli);
        Assert.Contains(r.Tables(2)[0].Comments, c => c.Trim() == "init = 0.5");
    }

    [Fact]
    public void OptimisedStartWithPriorMetricSamplesEightSchools()
    {
        // Latents optimised given the params' prior draws, a prior-scale starting metric and a depth cap until the
        // first metric update: the posterior is still eight schools' (posteriordb: mu 4.4 ± 3.3, tau 3.6 ± 3.2, quoted
        // to 0.1; 4 MCSE + 0.05 of rounding).
        var r = SampleRuns.Run("init-opt", ExampleModels.PathOf("eight_schools"), "--data", Data, "--chains", "4", "--warmup", "300",
            "--draws", "500", "--seed", "31", "--adapt-delta", "0.9", "--init-optimize", "50", "--init-hold-params",
            "--init-metric", "prior", "--early-max-depth", "4");
        SampleRuns.Succeeded(r.Cli);
        var tables = r.Tables(4);
        PosteriorMoments.Assert(SampleRuns.Outcome.Column(tables, "mu"), 4.4, 3.3, 4, "mu", slack: 0.05);
        PosteriorMoments.Assert(SampleRuns.Outcome.Column(tables, "tau"), 3.6, 3.2, 4, "tau", slack: 0.05);
        Assert.Contains("Initial optimisation: log density", r.Cli.Out);
        Assert.Contains(tables[0].Comments, c => c.Trim() == "init = prior, then up to 50 L-BFGS steps over the latents, prior-scale starting metric");
    }

    [Theory]
    [InlineData("--init-optimize", "-1")]
    [InlineData("--init-optimize", "many")]
    [InlineData("--init-metric", "identity")]
    [InlineData("--early-max-depth", "0")]
    public void BadOptimisationOrMetricOptionsAreUsageErrors(string option, string value)
    {
        var r = Sample(option, value);
        Assert.Equal(ExitCodes.UsageError, r.Cli.Exit);
        Assert.Contains(option, r.Cli.Err);
        Assert.False(File.Exists(r.Csv(1)));
    }

    [Fact]
    public void ClearErrorWhenNoAttemptHasAFiniteDensity()
    {
        // log(1 − a) is NaN for every a in (1.5, 2): all 100 attempts of both chains fail. (A failing Cholesky factor
        // would do too, but libtorch's exceptions cost a stack trace each.)
        var model = CliRunner.WriteModel("model NowhereFinite\nparam a ~ Uniform(1.5, 2)\nobserve y ~ Normal(log(1 - a), 1.0)\n");
        var r = SampleRuns.Run("noinit", model, "--set", "y=0.5", "--chains", "2");
        Assert.Equal(ExitCodes.ModelError, r.Cli.Exit);
        Assert.Contains("error PPL0410: No initial position with a finite log density and gradient was found after 100 attempts: " +
            "chain 1 (the log density is NaN), chain 2 (the log density is NaN)", r.Cli.Err);
        Assert.Contains("hint:", r.Cli.Err);
        Assert.False(File.Exists(r.Csv(1)));
    }

    [Fact]
    public void UnknownInitNameIsAWarning()
    {
        var r = Sample("--init-set", "muu=1.0");
        SampleRuns.Succeeded(r.Cli);
        Assert.Contains("warning PPL0405: 'muu' (--init-set muu) is not a param or latent", r.Cli.Err);
        Assert.Contains("did you mean 'mu'?", r.Cli.Err);
    }
}
