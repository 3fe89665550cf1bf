using Ppl.Tests.Shared;
using Ppl.Cli;

namespace Ppl.Examples.Tests;

/// <summary>Bad input never crashes: each case gives a located message and exit code 1 (model/data) or 2 (usage).</summary>
public class CliBadInputTests
{
    private static void NoStackTrace(CliResult r)
    {
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("internal error", r.Err);
    }

    [Fact]
    public void MalformedModel()
    {
        var path = CliRunner.WriteModel("model M\nparam x ~ Normal(0, \nlet y = x +* 2\n");
        var r = CliRunner.Run("check", path);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Matches(@"model\.ppl:\d+:\d+: error PPL00\d\d", r.Err);
        Assert.Contains("^", r.Err);
        NoStackTrace(r);
    }

    [Fact]
    public void WrongShapes()
    {
        var path = CliRunner.WriteModel("model M\nparam theta: real[8] ~ Normal(0, 1)\nlet s = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]\nobserve y: real[8] ~ Normal(theta, s)\n");
        var r = CliRunner.Run("check", path);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:4:", r.Err);
        Assert.Contains("PPL0201", r.Err);
        Assert.Contains("theta is real[8] but s is real[7]", r.Err);
        NoStackTrace(r);
    }

    [Fact]
    public void UnknownName()
    {
        var path = CliRunner.WriteModel("model M\nparam mu ~ Normal(0, 1)\nobserve y ~ Normal(mue, 1)\n");
        var r = CliRunner.Run("check", path);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:3:20: error PPL0101: unknown name 'mue'", r.Err);
        Assert.Contains("did you mean 'mu'?", r.Err);
    }

    [Fact]
    public void MissingData()
    {
        var path = CliRunner.WriteModel("model M\ndata J: int\ndata sigma: real[J]\nparam mu ~ Normal(0, 1)\nobserve y: real[J] ~ Normal(mu, sigma)\n");
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out.npz");
        var r = CliRunner.Run("simulate", path, "-n", "10", "-o", output, "--set", "J=3");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:3:1: error PPL0401: data 'sigma' (real[J]) has no value and no default", r.Err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void WrongDataShape()
    {
        var path = CliRunner.WriteModel("model M\ndata J: int = 3\ndata sigma: real[J]\nparam mu ~ Normal(0, 1)\nobserve y: real[J] ~ Normal(mu, sigma)\n");
        var r = CliRunner.Run("check", path, "--set", "sigma=[1.0, 2.0]");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:3:1: error PPL0403: 'sigma' is declared real[J] (shape [3]) but --set sigma gives shape [2]", r.Err);
    }

    [Fact]
    public void NaNData()
    {
        var path = CliRunner.WriteModel("model M\ndata sigma: real[3]\nparam mu ~ Normal(0, 1)\nobserve y: real[3] ~ Normal(mu, sigma)\n");
        var json = Path.Combine(Path.GetDirectoryName(path)!, "data.json");
        File.WriteAllText(json, "{ \"sigma\": [1.0, \"NaN\", 2.0] }");
        var r = CliRunner.Run("check", path, "--data", json);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("error PPL0402: 'sigma' from", r.Err);
        Assert.Contains("is not finite at index [1]", r.Err);
    }

    [Fact]
    public void MissingModelFile()
    {
        var r = CliRunner.Run("check", "/nonexistent/model.ppl");
        Assert.Equal(ExitCodes.UsageError, r.Exit);
        Assert.Contains("model file '/nonexistent/model.ppl' not found", r.Err);
    }

    [Fact]
    public void MissingDataFile()
    {
        var r = CliRunner.Run("check", ExampleModels.PathOf("eight_schools"), "--data", "/nonexistent/data.json");
        Assert.Equal(ExitCodes.UsageError, r.Exit);
        Assert.Contains("data file '/nonexistent/data.json' not found", r.Err);
    }

    [Fact]
    public void UsageErrors()
    {
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "-n", "ten", "-o", "x.npz").Exit);
        var unknown = CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "--seeed", "3");
        Assert.Equal(ExitCodes.UsageError, unknown.Exit);
        Assert.Contains("did you mean '--seed'?", unknown.Err);
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "-n", "3").Exit);
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run("frobnicate").Exit);
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run("check", ExampleModels.PathOf("two_moons"), "--set", "theta").Exit);
    }

    [Fact]
    public void ScoreOfAModelWithoutDensityIsRefusedWithTheReason()
    {
        var output = Path.Combine(Path.GetTempPath(), "ppl-score-refusal.npz");
        var r = CliRunner.Run("simulate", ExampleModels.PathOf("two_moons"), "-n", "5", "--score", "-o", output);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("PPL0302", r.Err);
        Assert.Contains("observe x at 10:1 has no density", r.Err);
    }
}
