using Ppl.Cli;

namespace Ppl.Examples.Tests;

/// <summary>`ppl check` and `ppl compile` as a user runs them.</summary>
public class CliCompileTests
{
    [Fact]
    public void CompileWritesTheGeneratedCodeAndUsesTheCache()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8]);
        var model = CliRunner.WriteModel("model Tiny\nparam mu ~ Normal(0, 1)\nobserve y ~ Normal(mu, 1)\n", "tiny");
        var first = CliRunner.Run("compile", model, "--emit-cs", dir, "--dump-ir");
        Assert.Equal(ExitCodes.Ok, first.Exit);
        var cs = File.ReadAllText(Path.Combine(dir, "tiny.g.cs"));
        Assert.Contains("public sealed class Model_Tiny : IGeneratedModel", cs);
        Assert.Contains("param mu: real@B ~ Normal(0, 1)", first.Out);
        var second = CliRunner.Run("compile", model);
        Assert.Equal(ExitCodes.Ok, second.Exit);
        Assert.Contains("(cached)", second.Out);
    }

    [Fact]
    public void CheckReportsCapabilitiesAndSupports()
    {
        var r = CliRunner.Run("check", ExampleModels.PathOf("eight_schools"));
        Assert.Equal(ExitCodes.Ok, r.Exit);
        Assert.Contains("tau", r.Out);
        Assert.Contains("positive", r.Out);
        Assert.Contains("explicit: yes", r.Out);
        Assert.Contains("implicit: yes (score: yes", r.Out);
        var moons = CliRunner.Run("check", ExampleModels.PathOf("two_moons"));
        Assert.Contains("explicit: no (observe x at 10:1 is deterministic", moons.Out);
        Assert.Contains("interval(-pi / 2, pi / 2)", moons.Out);
    }

    [Fact]
    public void DumpAstPrintsTheCanonicalModel()
    {
        var r = CliRunner.Run("check", ExampleModels.PathOf("gaussian_linear"), "--dump-ast");
        Assert.Equal(ExitCodes.Ok, r.Exit);
        Assert.Contains("param theta: real[D] ~ Normal(0, sqrt(prior_variance))", r.Out);
    }

    [Fact]
    public void NegativeSizeIsALocatedError()
    {
        var r = CliRunner.Run("check", ExampleModels.PathOf("gaussian_linear"), "--set", "D=-5");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("gaussian_linear.ppl:9:1: error PPL0409: the size D must not be negative (it is -5)", r.Err);
    }
}
