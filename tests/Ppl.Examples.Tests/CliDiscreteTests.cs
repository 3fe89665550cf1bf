using Ppl.Cli;
using Ppl.Runtime.IO;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// Discrete distributions, enumeration and flat priors through the CLI: int counts in simulation outputs, the reasons
/// `ppl check` gives, the located refusals of `ppl sample` (a discrete param) and `ppl simulate` (a flat prior), and NUTS
/// recovering posteriors known by quadrature (an enumerated mixture) and in closed form (flat priors).
/// </summary>
public class CliDiscreteTests
{
    private static string Output(string name) => Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8] + "-" + name);

    [Fact]
    public void SimulatedCountsAreIntegers()
    {
        var output = Output("counts.npz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var r = CliRunner.Run("simulate", ExampleModels.PathOf("cluster_counts"), "-n", "40", "--seed", "3", "-o", output);
        Assert.True(r.Exit == ExitCodes.Ok, r.Err);
        var counts = NpzReader.ReadAllTensors(output).Value!["counts"];
        Assert.Equal(new long[] { 40, 8 }, counts.shape);
        var values = counts.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.All(values, v => Assert.True(v >= 0 && v == Math.Floor(v), $"count {v}"));
        Assert.True(values.Max() > 0);
    }

    [Fact]
    public void DiscreteParamIsRefusedBySampleWithItsLocation()
    {
        var model = CliRunner.WriteModel("model Change\nparam k ~ Poisson(3.0)\nobserve y ~ Normal(to_real(k), 1)\n", "discrete_param");
        var check = CliRunner.Run("check", model);
        Assert.Equal(ExitCodes.Ok, check.Exit);
        Assert.Contains("explicit: no (param k at 2:1 is discrete (Poisson), and HMC moves only continuous params)", check.Out);
        var sample = CliRunner.Run("sample", model, "--set", "y=1.5", "-o", Output("refused"));
        Assert.Equal(ExitCodes.ModelError, sample.Exit);
        Assert.Contains("PPL0301", sample.Err);
        Assert.Contains("param k at 2:1 is discrete", sample.Err);
        Assert.DoesNotContain("   at ", sample.Err);
    }

    [Fact]
    public void FlatPriorIsRefusedBySimulateAndSampledByNuts()
    {
        // y_i ~ Normal(alpha + beta x_i, 0.5) with flat priors: the posterior is Gaussian around the least-squares fit,
        // with covariance 0.25 (XᵀX)⁻¹.
        var model = CliRunner.WriteModel("""
            model FlatRegression
            data N: int = 6
            data x: real[N] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
            param alpha ~ Flat()
            param beta ~ Flat()
            observe y: real[N] ~ Normal(alpha + beta * x, 0.5)
            """, "flat_regression");
        var check = CliRunner.Run("check", model);
        Assert.Contains("implicit: no (param alpha at 4:1 has an improper flat prior, which cannot be simulated)", check.Out);
        var simulate = CliRunner.Run("simulate", model, "-n", "3", "-o", Output("flat.npz"));
        Assert.Equal(ExitCodes.ModelError, simulate.Exit);
        Assert.Contains("PPL0303", simulate.Err);
        Assert.Contains("improper flat prior", simulate.Err);

        double[] y = [0.9, 2.2, 2.8, 4.4, 4.9, 6.3];
        var r = SampleRuns.Run("flat", model, "--set", $"y=[{string.Join(", ", y.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]",
            "--chains", "2", "--warmup", "200", "--draws", "400", "--seed", "5");
        SampleRuns.Succeeded(r.Cli);
        var tables = r.Tables(2);
        double n = 6, sx = 15, sxx = 55, sy = y.Sum(), sxy = y.Select((v, i) => v * i).Sum();
        double beta = (n * sxy - sx * sy) / (n * sxx - sx * sx), alpha = (sy - beta * sx) / n;
        double det = n * sxx - sx * sx;
        double sdAlpha = Math.Sqrt(0.25 * sxx / det), sdBeta = Math.Sqrt(0.25 * n / det);
        // 800 draws of a near-Gaussian target: an effective sample size of at least 100 is conservative for NUTS.
        foreach (var (name, expected, sd) in new[] { ("alpha", alpha, sdAlpha), ("beta", beta, sdBeta) })
        {
            var draws = SampleRuns.Outcome.Column(tables, name).SelectMany(c => c).ToArray();
            double mean = draws.Average();
            Assert.True(Math.Abs(mean - expected) < 5 * sd / Math.Sqrt(100), $"{name}: posterior mean {mean}, expected {expected} ± {5 * sd / 10}");
            double std = Math.Sqrt(draws.Sum(v => (v - mean) * (v - mean)) / (draws.Length - 1));
            Assert.True(Math.Abs(std / sd - 1) < 0.3, $"{name}: posterior sd {std}, expected {sd}");
        }
    }

    [Fact]
    public void NutsOnAnEnumeratedMixtureRecoversThePosteriorByQuadrature()
    {
        // mu ~ Normal(0, 2); three indicators z_i ~ Bernoulli(0.3), summed out; y_i ~ Normal(mu if z_i = 1 else 0, 1).
        var model = CliRunner.WriteModel("""
            model EnumeratedShift
            param mu ~ Normal(0, 2)
            latent z: int[3] ~ Bernoulli(0.3)
            observe y: real[3] ~ Normal(if z == 1 then mu else 0.0, 1)
            """, "enumerated_shift");
        double[] y = [2.5, -0.2, 3.1];
        var r = SampleRuns.Run("enum", model, "--set", "y=[2.5, -0.2, 3.1]", "--chains", "2", "--warmup", "200", "--draws", "500", "--seed", "9");
        SampleRuns.Succeeded(r.Cli);
        var draws = SampleRuns.Outcome.Column(r.Tables(2), "mu").SelectMany(c => c).ToArray();
        Assert.DoesNotContain(r.Tables(2)[0].Names, n => n.StartsWith('z'));

        // The posterior of mu by quadrature of p(mu) Π_i (0.7 N(y_i; 0, 1) + 0.3 N(y_i; mu, 1)) on a fine grid.
        double Density(double mu) => Math.Exp(-mu * mu / 8) * y.Aggregate(1.0, (p, v) => p * (0.7 * Math.Exp(-v * v / 2) + 0.3 * Math.Exp(-(v - mu) * (v - mu) / 2)));
        double z0 = 0, z1 = 0, z2 = 0;
        for (double mu = -12; mu <= 12; mu += 1e-3)
        {
            double p = Density(mu);
            z0 += p;
            z1 += p * mu;
            z2 += p * mu * mu;
        }
        double mean = z1 / z0, sd = Math.Sqrt(z2 / z0 - mean * mean);
        double sampled = draws.Average();
        // 1000 draws; an effective sample size of at least 100 is conservative for this one-dimensional target.
        Assert.True(Math.Abs(sampled - mean) < 5 * sd / Math.Sqrt(100), $"posterior mean {sampled}, expected {mean} ± {5 * sd / 10}");
        double sampledSd = Math.Sqrt(draws.Sum(v => (v - sampled) * (v - sampled)) / (draws.Length - 1));
        Assert.True(Math.Abs(sampledSd / sd - 1) < 0.3, $"posterior sd {sampledSd}, expected {sd}");
    }
}
