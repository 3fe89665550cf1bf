using Ppl.Cli;

namespace Ppl.Examples.Tests;

/// <summary>
/// Data the model cannot use is reported when the data are bound, located and naming the value (as Stan does), before
/// any sampling: a data-only distribution argument outside its parameter's domain (PPL0411) and an observed value outside
/// its distribution's support (PPL0412).
/// </summary>
public class CliDataDomainTests
{
    private static string WriteJson(string model, string json)
    {
        var path = Path.Combine(Path.GetDirectoryName(model)!, "data.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void NegativeScaleInDataStopsSampleBeforeAnyDraw()
    {
        var model = CliRunner.WriteModel(File.ReadAllText(ExampleModels.PathOf("eight_schools")));
        var data = WriteJson(model, "{ \"y\": [28, 8, -3, 7, -1, 1, 18, 12], \"sigma\": [15, 10, 16, 11, -9, 11, 10, 18] }");
        var output = Path.Combine(Path.GetDirectoryName(model)!, "out");
        var r = CliRunner.Run("sample", model, "--data", data, "-o", output, "--chains", "1", "--warmup", "10", "--draws", "10");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:12:36: error PPL0411: the scale of Normal must be positive, but sigma[4] is -9", r.Err);
        Assert.DoesNotContain("PPL0410", r.Err);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output, "*.csv").Any(), "no draws may be written");
    }

    [Fact]
    public void ZeroScaleComputedFromDataNamesTheLet()
    {
        var model = CliRunner.WriteModel("model M\ndata s: real[3]\nlet scale = 2.0 * s\nparam mu ~ Normal(0, 1)\nobserve y: real[3] ~ Normal(mu, scale)\n");
        var r = CliRunner.Run("check", model, "--set", "s=[1.0, 0.0, 2.0]");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:5:33: error PPL0411: the scale of Normal must be positive, but scale[1] is 0", r.Err);
    }

    [Fact]
    public void ValidDataPassesTheChecks()
    {
        var model = CliRunner.WriteModel("model M\ndata s: real[3]\nparam mu ~ Normal(0, 1)\nobserve y: real[3] ~ LogNormal(mu, s)\nobserve z: real[3] ~ Exponential(1.5)\n");
        var r = CliRunner.Run("check", model, "--set", "s=[1.0, 0.5, 2.0]", "--set", "y=[0.1, 1.0, 7.0]", "--set", "z=[0.0, 1.0, 2.0]");
        Assert.Equal(ExitCodes.Ok, r.Exit);
    }

    [Fact]
    public void ObservationsOutsideTheSupportAreLocated()
    {
        var model = CliRunner.WriteModel("model M\nparam mu ~ Normal(0, 1)\nparam s ~ HalfNormal(1)\nobserve y: real[4] ~ LogNormal(mu, s)\nobserve z: real[4] ~ Exponential(s)\nobserve w: real[2, 2] ~ Uniform(0, 10)\n");
        var r = CliRunner.Run("check", model, "--set", "y=[1.0, 2.0, 0.0, 3.0]", "--set", "z=[0.0, 1.0, -2.0, 3.0]", "--set", "w=[[1.0, 2.0], [11.0, 3.0]]");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        // LogNormal's density is zero at 0; Exponential's is not (its support is [0, ∞)).
        Assert.Contains("model.ppl:4:1: error PPL0412: observed 'y' must be positive (the support of LogNormal), but y[2] is 0", r.Err);
        Assert.Contains("model.ppl:5:1: error PPL0412: observed 'z' must be non-negative (the support of Exponential), but z[2] is -2", r.Err);
        Assert.Contains("model.ppl:6:1: error PPL0412: observed 'w' must be in [0, 10] (the support of Uniform), but w[1, 0] is 11", r.Err);
    }

    [Fact]
    public void BoundsFromDataInTheWrongOrderStopSampleBeforeAnyDraw()
    {
        var model = CliRunner.WriteModel("model M\ndata a: real[2]\ndata b: real[2]\nparam x: real[2] ~ Uniform(a, b)\nobserve y: real[2] ~ Normal(x, 1)\n");
        var data = WriteJson(model, "{ \"a\": [0.0, 1.0], \"b\": [2.0, 0.5], \"y\": [1.0, 1.0] }");
        var output = Path.Combine(Path.GetDirectoryName(model)!, "out");
        var r = CliRunner.Run("sample", model, "--data", data, "-o", output, "--chains", "1", "--warmup", "10", "--draws", "10");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:4:20: error PPL0411: the lower bound of Uniform must be below its upper bound, but a[1] is 1 and b[1] is 0.5", r.Err);
        Assert.DoesNotContain("PPL0410", r.Err);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output, "*.csv").Any(), "no draws may be written");

        var ordered = CliRunner.Run("check", model, "--set", "a=[0.0, 1.0]", "--set", "b=[2.0, 1.5]", "--set", "y=[1.0, 1.0]");
        Assert.Equal(ExitCodes.Ok, ordered.Exit);
    }
}
