using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// Prior moments from 10⁴ simulations (float64) against the priors' analytic moments. Means are checked within 5 standard
/// errors (σ/√n) and variances within 5 standard errors of the sample variance (σ²·√(2/(n−1)) plus the kurtosis term,
/// taken conservatively as σ²·√(κ−1)/√n with the prior's kurtosis κ); heavy-tailed priors are checked by quantiles.
/// </summary>
public class PriorMomentTests
{
    private const int N = 10_000;

    private static Tensor Draws(string model, string site, Dictionary<string, DataInput>? extra = null)
    {
        var m = ExampleModels.Bind(model, ModelOptions.Float64, ExampleModels.Data(model, extra));
        var sim = m.Simulate(new SimulationRequest(N, 99) { ChunkSize = 5000 });
        return sim.Values[site].reshape(N, -1);
    }

    private static void Moments(Tensor x, double mean, double variance, double kurtosis, string what)
    {
        double n = x.shape[0];
        var m = x.mean(new long[] { 0 });
        var v = x.var(new long[] { 0 });
        double seMean = Math.Sqrt(variance / n);
        double seVar = variance * Math.Sqrt((kurtosis - 1) / n);
        for (int j = 0; j < x.shape[1]; j++)
        {
            double mj = m[j].item<double>(), vj = v[j].item<double>();
            Assert.True(Math.Abs(mj - mean) < 5 * seMean, $"{what}[{j}]: mean {mj:G5}, expected {mean:G5} ± {5 * seMean:G3}");
            Assert.True(Math.Abs(vj - variance) < 5 * seVar, $"{what}[{j}]: variance {vj:G5}, expected {variance:G5} ± {5 * seVar:G3}");
        }
    }

    private static void LogNormalMoments(Tensor x, double[] mu, double sigma, string what)
    {
        // Test the log: normal with mean mu and variance sigma² (kurtosis 3).
        var logs = x.log();
        for (int j = 0; j < mu.Length; j++)
            Moments(logs[.., j..(j + 1)], mu[j], sigma * sigma, 3, $"log {what}");
    }

    private static void Quantile(Tensor x, double q, double expected, double density, string what)
    {
        // The sample q-quantile has standard error sqrt(q(1-q)/n)/f(x_q).
        var sorted = x.reshape(-1).sort().Values;
        double value = sorted[(long)(q * (sorted.shape[0] - 1))].item<double>();
        double se = Math.Sqrt(q * (1 - q) / sorted.shape[0]) / density;
        Assert.True(Math.Abs(value - expected) < 5 * se, $"{what}: {q:P0} quantile {value:G5}, expected {expected:G5} ± {5 * se:G3}");
    }

    [Fact]
    public void TwoMoons()
    {
        Moments(Draws("two_moons", "theta"), 0, 1.0 / 3, 1.8, "theta");                 // Uniform(-1, 1): kurtosis 1.8
        Moments(Draws("two_moons", "a"), 0, Math.PI * Math.PI / 12, 1.8, "a");
        Moments(Draws("two_moons", "r"), 0.1, 1e-4, 3, "r");
    }

    [Fact]
    public void GaussianLinear() => Moments(Draws("gaussian_linear", "theta"), 0, 0.1, 3, "theta");

    [Fact]
    public void EightSchools()
    {
        Moments(Draws("eight_schools", "mu"), 0, 25, 3, "mu");
        Moments(Draws("eight_schools", "eta"), 0, 1, 3, "eta");
        var tau = Draws("eight_schools", "tau");
        // HalfCauchy(5): median 5, quartiles 5·tan(π/8) and 5·tan(3π/8); density 2/(π·5·(1 + (x/5)²)).
        foreach (var (q, xq) in new[] { (0.25, 5 * Math.Tan(Math.PI / 8)), (0.5, 5.0), (0.75, 5 * Math.Tan(3 * Math.PI / 8)) })
            Quantile(tau, q, xq, 2 / (Math.PI * 5 * (1 + xq * xq / 25)), "tau");
    }

    [Fact]
    public void LotkaVolterra()
    {
        LogNormalMoments(Draws("lotka_volterra", "theta"), new[] { -0.125, -3.0, -0.125, -3.0 }, 0.5, "theta");
        LogNormalMoments(Draws("lotka_volterra", "z0"), new[] { Math.Log(3.0), Math.Log(3.0) }, 0.5, "z0");
    }

    [Fact]
    public void GaussianRandomField()
    {
        var extra = new Dictionary<string, DataInput> { ["N"] = ExampleModels.Int(4) };
        LogNormalMoments(Draws("gaussian_random_field", "amplitude", extra), new[] { 0.0 }, 0.5, "amplitude");
        Moments(Draws("gaussian_random_field", "slope", extra), -2.5, 9.0 / 12, 1.8, "slope");
        Moments(Draws("gaussian_random_field", "z", extra), 0, 1, 3, "z");
    }
}
