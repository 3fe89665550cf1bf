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
    public void LognormalLensing()
    {
        // 1,000 simulations in float32 (each computes the C_ell of its cosmology, ~4 ms); the tolerances scale with 1/√n
        // as above, and float32 round-off (1e-7) is far below them. Truncated normals have kurtosis below 3, so κ = 3 in
        // the variance's standard error is conservative.
        const int n = 1000;
        var m = ExampleModels.Bind("lognormal_lensing");
        var sim = m.Simulate(new SimulationRequest(n, 99) { ChunkSize = 1000, RecordLets = new HashSet<string>() });
        Tensor Site(string name) => sim.Values[name].to(ScalarType.Float64).reshape(n, 1);
        var (omegaCMean, omegaCVariance) = TruncatedNormalMoments(0.2664, 0.2, 0.0, double.PositiveInfinity);
        Moments(Site("omega_c"), omegaCMean, omegaCVariance, 3, "omega_c");
        Moments(Site("omega_b"), 0.0492, 0.006 * 0.006, 3, "omega_b");
        Moments(Site("sigma_8"), 0.831, 0.14 * 0.14, 3, "sigma_8");
        Moments(Site("h_0"), 0.6727, 0.063 * 0.063, 3, "h_0");
        Moments(Site("n_s"), 0.9645, 0.08 * 0.08, 3, "n_s");
        var (w0Mean, w0Variance) = TruncatedNormalMoments(-1.0, 0.9, -2.0, -0.3);
        Moments(Site("w_0"), w0Mean, w0Variance, 3, "w_0");
        Moments(sim.Values["z"].to(ScalarType.Float64).reshape(n, -1)[.., ..8], 0, 1, 3, "z");
    }

    /// <summary>Mean and variance of N(μ, σ²) truncated to [a, b]: with α, β the standardised bounds and Z = Φ(β) − Φ(α),
    /// mean μ + σ (φ(α) − φ(β))/Z and variance σ² [1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²].</summary>
    private static (double Mean, double Variance) TruncatedNormalMoments(double mu, double sigma, double a, double b)
    {
        double alpha = (a - mu) / sigma, beta = (b - mu) / sigma;
        double Pdf(double x) => double.IsInfinity(x) ? 0 : Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
        double Cdf(double x) => double.IsPositiveInfinity(x) ? 1 : 0.5 * special.erfc(tensor(-x / Math.Sqrt(2), ScalarType.Float64)).item<double>();
        double z = Cdf(beta) - Cdf(alpha);
        double d = (Pdf(alpha) - Pdf(beta)) / z;
        double aPhi = double.IsInfinity(alpha) ? 0 : alpha * Pdf(alpha), bPhi = double.IsInfinity(beta) ? 0 : beta * Pdf(beta);
        return (mu + sigma * d, sigma * sigma * (1 + (aPhi - bPhi) / z - d * d));
    }

    [Fact]
    public void GaussianRandomField()
    {
        var extra = new Dictionary<string, DataInput> { ["N"] = ExampleModels.Int(4) };
        LogNormalMoments(Draws("gaussian_random_field", "amplitude", extra), new[] { 0.0 }, 0.5, "amplitude");
        Moments(Draws("gaussian_random_field", "slope", extra), -2.5, 9.0 / 12, 1.8, "slope");
        Moments(Draws("gaussian_random_field", "z", extra), 0, 1, 3, "z");
    }

    /// <summary>For each step t, the fraction of draws below <paramref name="centre"/>, which is 1/2 when the step's prior is
    /// symmetric about it: within 5 standard errors, 5·√(1/4n) = 0.025.</summary>
    private static void SymmetricAbout(Tensor x, double centre, long[] steps, string what)
    {
        var c = tensor(centre, ScalarType.Float64);
        foreach (long t in steps)
        {
            double below = x[TensorIndex.Colon, t].lt(c).to_type(ScalarType.Float64).mean().item<double>();
            Assert.True(Math.Abs(below - 0.5) < 5 * Math.Sqrt(0.25 / N), $"{what}[{t}]: {below:P1} of the draws below {centre}, expected 50%");
        }
    }

    /// <summary>Stochastic volatility: mu by its moments; every h_t drawn step by step is symmetric about −1 (mu ~
    /// Normal(−1, 1), the stationary start and the AR(1) steps symmetric about mu), and every y_t about 0.</summary>
    [Fact]
    public void StochasticVolatility()
    {
        Moments(Draws("stochastic_volatility", "mu"), -1, 1, 3, "mu");
        SymmetricAbout(Draws("stochastic_volatility", "h"), -1, new long[] { 0, 1, 24, 49 }, "h");
        SymmetricAbout(Draws("stochastic_volatility", "y"), 0, new long[] { 0, 49 }, "y");
    }

    /// <summary>GARCH(1,1): mu by its moments, and every return y_t (drawn step by step, its variance fed by the earlier
    /// returns) symmetric about 0.</summary>
    [Fact]
    public void Garch()
    {
        Moments(Draws("garch", "mu"), 0, 1, 3, "mu");
        SymmetricAbout(Draws("garch", "y"), 0, new long[] { 0, 1, 20, 39 }, "y");
    }
}
