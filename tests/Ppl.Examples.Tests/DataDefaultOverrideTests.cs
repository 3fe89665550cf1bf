using Ppl.Cli;
using Ppl.Compiler;
using Ppl.Runtime.Models;
using Ppl.Tests.Shared;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// A data default is a default: when data override it (eight schools at J = 10 with ten sigmas), it is neither evaluated
/// nor checked against the overridden sizes; when it is used at a size it does not have, the mismatch is reported once.
/// </summary>
public class DataDefaultOverrideTests
{
    private static readonly string EightSchools = Path.Combine(ReferenceData.RepositoryRoot, "examples", "eight_schools.ppl");
    private static readonly double[] TenSigmas = { 15, 10, 16, 11, 9, 11, 10, 18, 10, 12 };

    [Fact]
    public void OverriddenDefaultBindsAtAnotherSize()
    {
        var c = Driver.CompileFile(EightSchools);
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        var data = new Dictionary<string, DataInput>
        {
            ["J"] = DataInput.Scalar(10L, "test"),
            ["sigma"] = new DataInput(tensor(TenSigmas), "test"),
        };
        var binding = Model.Bind(c.Factory!(), data, ModelOptions.Float64);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        var sim = binding.Model!.Simulate(new SimulationRequest(3, 7));
        Assert.Equal(new long[] { 3, 10 }, sim.Values["y"].shape);
    }

    [Fact]
    public void UsedDefaultAtAnotherSizeIsOneLocatedError()
    {
        var c = Driver.CompileFile(EightSchools);
        var binding = Model.Bind(c.Factory!(), new Dictionary<string, DataInput> { ["J"] = DataInput.Scalar(10L, "test") }, ModelOptions.Float64);
        Assert.False(binding.Succeeded);
        var error = Assert.Single(binding.Errors);
        Assert.Equal("PPL0201", error.Code);
        Assert.Contains("the default of data 'sigma': size 8 must equal the declared J (8 vs 10)", error.Message);
        Assert.Equal(5, error.Location.Line);
        Assert.Equal(23, error.Location.Column);
    }

    [Fact]
    public void CliSimulateAndCheckWithOverriddenSizes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var output = Path.Combine(dir, "sims.npz");
        var sigma = "sigma=[" + string.Join(", ", TenSigmas) + "]";
        var r = CliRunner.Run("simulate", EightSchools, "-n", "4", "--seed", "3", "-o", output, "--set", "J=10", "--set", sigma);
        Assert.True(r.Exit == ExitCodes.Ok, r.ToString());
        Assert.Contains("y            [4, 10]", r.Out);
        var check = CliRunner.Run("check", EightSchools, "--set", "J=10", "--set", sigma);
        Assert.True(check.Exit == ExitCodes.Ok, check.ToString());
        Assert.Contains("eta          [10]", check.Out);
        var missing = CliRunner.Run("check", EightSchools, "--set", "J=10");
        Assert.Equal(ExitCodes.ModelError, missing.Exit);
        Assert.Contains("eight_schools.ppl:5:23: error PPL0201: the default of data 'sigma': size 8 must equal the declared J (8 vs 10)", missing.Err);
    }
}
