using Ppl.Cli;

namespace Ppl.Examples.Tests;

/// <summary>Inputs that used to be accepted silently with a wrong meaning now stop with an error naming the cause.</summary>
public class CliSilentAnswerTests
{
    private const string Model = """
        model Simple

        param mu ~ Normal(0, 1)
        latent z ~ Normal(mu, 1)
        observe y ~ Normal(z, 1)
        """;

    [Theory]
    [InlineData("mu", "param")]
    [InlineData("z", "latent")]
    public void ARandomVariableGivenAsDataIsAnErrorPointingToInitSet(string name, string role)
    {
        var model = CliRunner.WriteModel(Model);
        var r = SampleRuns.Run("given", model, "--set", "y=1.0", "--set", $"{name}=100", "--chains", "1", "--warmup", "10", "--draws", "10");
        Assert.True(r.Cli.Exit == ExitCodes.ModelError, r.Cli.ToString());
        Assert.Contains($"error PPL0413: '{name}' (--set {name}) is a {role} of model Simple", r.Cli.Err);
        Assert.Contains($"--init-set {name}=", r.Cli.Err);
        Assert.Matches(@"model\.ppl:\d+:\d+", r.Cli.Err);
        Assert.False(File.Exists(r.Csv(1)));
    }

    [Fact]
    public void AParamInADataFileIsAnErrorToo()
    {
        var model = CliRunner.WriteModel(Model);
        var data = Path.Combine(Path.GetDirectoryName(model)!, "data.json");
        File.WriteAllText(data, """{"y": 1.0, "mu": 100}""");
        var r = SampleRuns.Run("given", model, "--data", data, "--chains", "1", "--warmup", "10", "--draws", "10");
        Assert.True(r.Cli.Exit == ExitCodes.ModelError, r.Cli.ToString());
        Assert.Contains("PPL0413: 'mu'", r.Cli.Err);
    }

    [Fact]
    public void TwoDataFilesGivingTheSameNameAreAnErrorNamingBoth()
    {
        var model = CliRunner.WriteModel(Model);
        var dir = Path.GetDirectoryName(model)!;
        var first = Path.Combine(dir, "first.json");
        var second = Path.Combine(dir, "second.json");
        File.WriteAllText(first, """{"y": 1.0}""");
        File.WriteAllText(second, """{"y": 2.0}""");
        var r = SampleRuns.Run("twice", model, "--data", first, "--data", second, "--chains", "1", "--warmup", "10", "--draws", "10");
        Assert.True(r.Cli.Exit == ExitCodes.UsageError, r.Cli.ToString());
        Assert.Contains($"'y' is given by two data files, '{first}' and '{second}'", r.Cli.Err);
        // --set still overrides a file: that is one explicit choice.
        var set = SampleRuns.Run("override", model, "--data", first, "--set", "y=2.0", "--chains", "1", "--warmup", "10", "--draws", "10");
        SampleRuns.Succeeded(set.Cli);
    }
}
