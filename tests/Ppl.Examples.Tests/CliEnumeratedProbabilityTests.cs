using Ppl.Cli;
using Ppl.Runtime.IO;

namespace Ppl.Examples.Tests;

/// <summary>
/// `ppl sample --record z` for a summed-out latent z: the CSVs, draws.npz and the summary hold z_prob (per draw, the
/// posterior probabilities of z's values given the draw's params), each row equal to the closed form at that row's
/// params, and their average over the draws recovering P(z_i = 1 | y), known by quadrature.
/// </summary>
public class CliEnumeratedProbabilityTests
{
    [Fact]
    public void RecordedLatentProbabilitiesMatchTheClosedFormAndThePosteriorByQuadrature()
    {
        // mu ~ Normal(0, 2); z_i ~ Bernoulli(0.3), summed out; y_i ~ Normal(mu if z_i = 1 else 0, 1).
        var model = CliRunner.WriteModel("""
            model EnumeratedShift
            param mu ~ Normal(0, 2)
            latent z: int[3] ~ Bernoulli(0.3)
            observe y: real[3] ~ Normal(if z == 1 then mu else 0.0, 1)
            """, "enumerated_probabilities");
        double[] y = [2.5, -0.2, 3.1];
        var r = SampleRuns.Run("enum-prob", model, "--set", "y=[2.5, -0.2, 3.1]", "--record", "z", "--chains", "2", "--warmup", "200", "--draws", "500", "--seed", "9");
        SampleRuns.Succeeded(r.Cli);
        Assert.Contains("z_prob.1.2", r.Cli.Out);
        Assert.DoesNotContain("were sampled but not saved", r.Cli.Out);
        var tables = r.Tables(2);
        var mu = SampleRuns.Outcome.Column(tables, "mu").SelectMany(c => c).ToArray();

        double One(double m, double v) => 0.3 * Math.Exp(-0.5 * (v - m) * (v - m)) / (0.3 * Math.Exp(-0.5 * (v - m) * (v - m)) + 0.7 * Math.Exp(-0.5 * v * v));
        // The density of the posterior of mu, by quadrature (as in CliDiscreteTests).
        double Density(double m) => Math.Exp(-m * m / 8) * y.Aggregate(1.0, (p, v) => p * (0.7 * Math.Exp(-v * v / 2) + 0.3 * Math.Exp(-(v - m) * (v - m) / 2)));
        for (int i = 0; i < 3; i++)
        {
            var one = SampleRuns.Outcome.Column(tables, $"z_prob.{i + 1}.2").SelectMany(c => c).ToArray();
            var zero = SampleRuns.Outcome.Column(tables, $"z_prob.{i + 1}.1").SelectMany(c => c).ToArray();
            // Every draw: the closed form at its mu (the model runs in float32).
            for (int d = 0; d < mu.Length; d++)
            {
                Assert.True(Math.Abs(one[d] - One(mu[d], y[i])) < 1e-5, $"draw {d}: P(z_{i} = 1) {one[d]}, closed form {One(mu[d], y[i])}");
                Assert.True(Math.Abs(one[d] + zero[d] - 1) < 1e-6);
            }
            // Over the draws: P(z_i = 1 | y) = E[P(z_i = 1 | mu, y)] under the posterior, with its sd, by quadrature.
            double z0 = 0, z1 = 0, z2 = 0;
            for (double m = -12; m <= 12; m += 1e-3)
            {
                double p = Density(m), f = One(m, y[i]);
                z0 += p;
                z1 += p * f;
                z2 += p * f * f;
            }
            double expected = z1 / z0, sd = Math.Sqrt(Math.Max(z2 / z0 - expected * expected, 0));
            double sampled = one.Average();
            // 1000 draws; an effective sample size of at least 100 is conservative for this one-dimensional target.
            Assert.True(Math.Abs(sampled - expected) < 5 * sd / Math.Sqrt(100) + 1e-4, $"P(z_{i} = 1 | y): {sampled}, expected {expected} ± {5 * sd / 10}");
        }

        var npz = NpzReader.ReadAllTensors(Path.Combine(r.Directory, "draws.npz")).Value!;
        Assert.Equal(new long[] { 2, 500, 3, 2 }, npz["z_prob"].shape);
        Assert.Contains("z_prob.3.2", File.ReadAllText(Path.Combine(r.Directory, "summary.txt")));
    }

    [Fact]
    public void RecordingASampledLatentOrAClashingNameIsAUsageError()
    {
        var model = CliRunner.WriteModel("""
            model Clash
            param mu ~ Normal(0, 2)
            latent z: int[2] ~ Bernoulli(0.3)
            latent z_prob ~ Normal(0, 1)
            observe y: real[2] ~ Normal(if z == 1 then mu + z_prob else 0.0, 1)
            """, "enumerated_clash");
        var clash = SampleRuns.Run("enum-clash", model, "--set", "y=[1.0, 2.0]", "--record", "z");
        Assert.Equal(ExitCodes.UsageError, clash.Cli.Exit);
        Assert.Contains("would be saved as 'z_prob', which the model already names", clash.Cli.Err);
        var latent = SampleRuns.Run("enum-latent", model, "--set", "y=[1.0, 2.0]", "--record", "z_prob");
        Assert.Equal(ExitCodes.UsageError, latent.Cli.Exit);
        Assert.Contains("'z_prob' is not a let", latent.Cli.Err);
    }
}
