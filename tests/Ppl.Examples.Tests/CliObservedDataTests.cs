using Ppl.Cli;
using Ppl.Runtime.IO;

namespace Ppl.Examples.Tests;

/// <summary>
/// Data reused as an observation through the CLI: an AR(2) model that reads y as covariates and observes y[2:N] samples
/// from the data alone and is refused by `ppl simulate` at the observation, naming the cycle; a whole observation of data
/// simulates (y given as data is not a conditioning value, and need not be given) with its later lets reading the draws.
/// </summary>
public class CliObservedDataTests
{
    private const string Ar2 = """
        model Ar2
        data N: int
        data y: real[N]
        param alpha ~ Normal(0, 10)
        param beta: real[2] ~ Normal(0, 10)
        param sigma ~ HalfCauchy(2.5)
        let mu = alpha + beta[0] * y[1:N - 1] + beta[1] * y[0:N - 2]
        observe y[2:N] ~ Normal(mu, sigma)
        """;

    private static string Series()
    {
        var rng = new Random(3);
        var y = new List<double> { 0.0, 0.0 };
        for (int t = 0; t < 80; t++) y.Add(0.5 + 0.6 * y[^1] - 0.3 * y[^2] + 0.5 * (rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5) * 2);
        return "[" + string.Join(", ", y.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
    }

    [Fact]
    public void AutoregressionSamplesFromDataAndSimulationIsRefusedAtTheObservation()
    {
        var model = CliRunner.WriteModel(Ar2, "ar2");
        var y = Series();
        var check = CliRunner.Run("check", model);
        Assert.Equal(ExitCodes.Ok, check.Exit);
        Assert.Contains("observe  y            real[N - 2]", check.Out);
        Assert.Contains("data     y            real[N]            (observed: required to infer)", check.Out);
        Assert.Contains("implicit: no (observe y at 8:1 depends on y itself (through let mu at 7:5)", check.Out);

        var simulate = CliRunner.Run("simulate", model, "--set", "N=82", "--set", $"y={y}", "-n", "4", "-o", SampleRuns.NewDirectory("ar2.npz"));
        Assert.Equal(ExitCodes.ModelError, simulate.Exit);
        Assert.Contains(":8:1: error PPL0303: model Ar2 cannot be simulated: observe y at 8:1 depends on y itself", simulate.Err);
        Assert.Contains("write the recursion as a loop", simulate.Err);

        var r = SampleRuns.Run("ar2", model, "--set", "N=82", "--set", $"y={y}", "--chains", "2", "--warmup", "150", "--draws", "150", "--seed", "4", "--no-plots");
        SampleRuns.Succeeded(r.Cli);
        var beta1 = SampleRuns.Outcome.Column(r.Tables(2), "beta.1").SelectMany(c => c).Average();
        // 80 steps of an AR(2) with beta_1 = 0.6 and noise sd ≈ 0.5: the posterior sd of beta_1 is about 0.1.
        Assert.True(Math.Abs(beta1 - 0.6) < 0.35, $"posterior mean of beta_1 {beta1}");
    }

    [Fact]
    public void WholeObservationOfDataSimulatesWithLaterLetsReadingTheDraws()
    {
        var model = CliRunner.WriteModel("""
            model Whole
            data N: int = 3
            data y: real[N]
            param a ~ Normal(0, 1)
            observe y ~ Normal(a, 1)
            let resid = y - a
            """, "whole_observed_data");
        var output = SampleRuns.NewDirectory("whole.npz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var r = CliRunner.Run("simulate", model, "--set", "y=[0.1, 0.2, 0.3]", "-n", "20", "--seed", "2", "-o", output);
        Assert.True(r.Exit == ExitCodes.Ok, r.Err);
        var arrays = NpzReader.ReadAllTensors(output).Value!;
        var drawn = arrays["y"].to_type(TorchSharp.torch.ScalarType.Float64);
        Assert.Equal(new long[] { 20, 3 }, drawn.shape);
        var expected = drawn - arrays["a"].to_type(TorchSharp.torch.ScalarType.Float64).unsqueeze(1);
        Assert.True(arrays["resid"].to_type(TorchSharp.torch.ScalarType.Float64).allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.True(drawn.std().item<double>() > 0.3, "y was drawn, not taken from the data");

        // The data are not read by a simulation, so they need not be given; inference then misses the observation.
        var without = CliRunner.Run("simulate", model, "-n", "5", "--seed", "2", "-o", SampleRuns.NewDirectory("without.npz"));
        Assert.True(without.Exit == ExitCodes.Ok, without.Err);
        var sample = SampleRuns.Run("whole-missing", model);
        Assert.Equal(ExitCodes.ModelError, sample.Cli.Exit);
        Assert.Contains("error PPL0408: observed 'y' has no value", sample.Cli.Err);
    }
}
