using static Ppl.Runtime.Tests.Distributions.ReferenceMath;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// The table of distributions shared by the log-density, normalisation, gradient, sampling, broadcasting and support
/// tests. Each family appears with at least two parameter settings (the batching tests mix them in one tensor).
/// </summary>
public static class DistributionCases
{
    private const double Inf = double.PositiveInfinity;

    public static IReadOnlyList<DistributionCase> All { get; } =
    [
        Normal(0.3, 1.7), Normal(-2, 0.05),
        LogNormal(0.2, 0.6), LogNormal(-1, 0.9),
        Uniform(-1, 2), Uniform(0.5, 0.75),
        TruncatedNormal(0.27, 0.2, lower: 0), TruncatedNormal(0, 1, lower: 1.5),
        TruncatedNormal(-1, 0.9, lower: -2, upper: -0.3), TruncatedNormal(0.5, 1.2, lower: -1.5, upper: 3),
        TruncatedNormal(1, 2, upper: 0.5), TruncatedNormal(0, 1, upper: -1),
        TruncatedNormal(0, 1, lower: 2, upper: 2.2), TruncatedNormal(1, 0.5, lower: -1, upper: -0.95),
        HalfNormal(1.3), HalfNormal(0.2),
        HalfCauchy(5), HalfCauchy(0.5),
        Exponential(0.7), Exponential(3),
        Gamma(2.5, 1.5), Gamma(0.4, 2), Gamma(30, 0.5),
        Beta(2, 5), Beta(0.5, 0.5), Beta(0.3, 3),
        Cauchy(1, 2), Cauchy(-3, 0.1),
        StudentT(3, 0.5, 2), StudentT(10, -1, 0.5), StudentT(1.5, 0, 1),
    ];

    /// <summary>Case ids for xUnit theories.</summary>
    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in All) data.Add(c.Id);
            return data;
        }
    }

    /// <summary>Ids of the cases whose support is bounded on some side.</summary>
    public static TheoryData<string> BoundedIds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in All.Where(c => c.IsBounded)) data.Add(c.Id);
            return data;
        }
    }

    public static DistributionCase Get(string id) => All.Single(c => c.Id == id);

    private static DistributionCase Normal(double mu, double sigma) => new(
        "Normal", [mu, sigma], [],
        x => LogNormalPdf((x - mu) / sigma) - Math.Log(sigma),
        x => NormalCdf((x - mu) / sigma),
        -Inf, Inf, mu, sigma,
        [mu - 2.5 * sigma, mu - 0.3 * sigma, mu, mu + sigma, mu + 4 * sigma], [],
        mu, sigma * sigma, MomentCheck.MeanAndVariance);

    private static DistributionCase LogNormal(double mu, double sigma) => new(
        "LogNormal", [mu, sigma], [],
        x => LogNormalPdf((Math.Log(x) - mu) / sigma) - Math.Log(sigma) - Math.Log(x),
        x => x <= 0 ? 0 : NormalCdf((Math.Log(x) - mu) / sigma),
        0, Inf, 0, Math.Exp(mu),
        [Math.Exp(mu - 2 * sigma), Math.Exp(mu) * 0.9, Math.Exp(mu + sigma), Math.Exp(mu + 3 * sigma)], [-1, 0],
        Math.Exp(mu + sigma * sigma / 2), (Math.Exp(sigma * sigma) - 1) * Math.Exp(2 * mu + sigma * sigma),
        MomentCheck.MeanAndVariance);

    private static DistributionCase Uniform(double a, double b) => new(
        "Uniform", [a, b], [],
        _ => -Math.Log(b - a),
        x => Math.Clamp((x - a) / (b - a), 0, 1),
        a, b, 0, 1,
        [a + 0.01 * (b - a), a + 0.4 * (b - a), a + 0.99 * (b - a)], [a - 0.1, b + 1e-3],
        (a + b) / 2, (b - a) * (b - a) / 12, MomentCheck.MeanAndVariance);

    private static DistributionCase TruncatedNormal(double mu, double sigma, double? lower = null, double? upper = null)
    {
        double lo = lower ?? -Inf, hi = upper ?? Inf;
        double alpha = (lo - mu) / sigma, beta = (hi - mu) / sigma;
        double cdfAlpha = lower is null ? 0 : NormalCdf(alpha);
        double z = (upper is null ? 1 : NormalCdf(beta)) - cdfAlpha;
        double LogDensity(double x) => LogNormalPdf((x - mu) / sigma) - Math.Log(sigma) - Math.Log(z);
        // Reference moments by quadrature of the closed-form density, independent of the library's formulas.
        var (nodes, weights) = DoubleExponentialQuadrature.Rule(lo, hi, mu, sigma, 1.0 / 64);
        double mean = 0, second = 0;
        for (int i = 0; i < nodes.Length; i++)
        {
            double p = Math.Exp(LogDensity(nodes[i])) * weights[i];
            mean += nodes[i] * p;
            second += nodes[i] * nodes[i] * p;
        }
        double inLo = double.IsInfinity(lo) ? mu - 3 * sigma : lo, inHi = double.IsInfinity(hi) ? mu + 3 * sigma : hi;
        double[] points = [inLo + 0.02 * (inHi - inLo), inLo + 0.3 * (inHi - inLo), inLo + 0.7 * (inHi - inLo), inLo + 0.97 * (inHi - inLo)];
        var outside = new List<double>();
        if (lower is not null) outside.Add(lo - 0.5 * sigma);
        if (upper is not null) outside.Add(hi + 1e-3);
        var named = new List<(string, double)>();
        if (lower is not null) named.Add(("lower", lo));
        if (upper is not null) named.Add(("upper", hi));
        return new(
            "TruncatedNormal", [mu, sigma], named.ToArray(),
            LogDensity,
            x => Math.Clamp(((x - mu) / sigma <= alpha ? 0 : NormalCdf((x - mu) / sigma) - cdfAlpha) / z, 0, 1),
            lo, hi, mu, sigma, points, outside.ToArray(),
            mean, second - mean * mean, MomentCheck.MeanAndVariance);
    }

    private static DistributionCase HalfNormal(double sigma) => new(
        "HalfNormal", [sigma], [],
        x => 0.5 * Math.Log(2 / Math.PI) - Math.Log(sigma) - x * x / (2 * sigma * sigma),
        x => x <= 0 ? 0 : Erf(x / (sigma * SqrtTwo)),
        0, Inf, 0, sigma,
        [0.01 * sigma, 0.5 * sigma, 2 * sigma, 3.5 * sigma], [-0.1, -5],
        sigma * Math.Sqrt(2 / Math.PI), sigma * sigma * (1 - 2 / Math.PI), MomentCheck.MeanAndVariance);

    private static DistributionCase HalfCauchy(double sigma) => new(
        "HalfCauchy", [sigma], [],
        x => Math.Log(2 / Math.PI) - Math.Log(sigma) - Math.Log(1 + x / sigma * (x / sigma)),
        x => x <= 0 ? 0 : 2 / Math.PI * Math.Atan(x / sigma),
        0, Inf, 0, sigma,
        [0.05 * sigma, sigma, 10 * sigma, 300 * sigma], [-0.1, -100],
        double.NaN, double.NaN, MomentCheck.Quantiles);

    private static DistributionCase Exponential(double rate) => new(
        "Exponential", [rate], [],
        x => Math.Log(rate) - rate * x,
        x => x <= 0 ? 0 : 1 - Math.Exp(-rate * x),
        0, Inf, 0, 1 / rate,
        [0.02 / rate, 0.7 / rate, 3 / rate, 12 / rate], [-1e-3, -2],
        1 / rate, 1 / (rate * rate), MomentCheck.MeanAndVariance);

    private static DistributionCase Gamma(double alpha, double rate) => new(
        "Gamma", [alpha, rate], [],
        x => alpha * Math.Log(rate) - LogGamma(alpha) + (alpha - 1) * Math.Log(x) - rate * x,
        x => GammaP(alpha, rate * x),
        0, Inf, 0, Math.Max(alpha, 1) / rate,
        [0.05 * alpha / rate, 0.6 * alpha / rate, alpha / rate, (alpha + 3 * Math.Sqrt(alpha)) / rate], [-1, 0],
        alpha / rate, alpha / (rate * rate), MomentCheck.MeanAndVariance);

    private static DistributionCase Beta(double a, double b) => new(
        "Beta", [a, b], [],
        x => (a - 1) * Math.Log(x) + (b - 1) * Math.Log(1 - x) - (LogGamma(a) + LogGamma(b) - LogGamma(a + b)),
        x => BetaI(a, b, x),
        0, 1, 0, 1,
        [0.003, 0.2, 0.5, 0.93], [-0.1, 0, 1, 1.5],
        a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)), MomentCheck.MeanAndVariance);

    private static DistributionCase Cauchy(double mu, double sigma) => new(
        "Cauchy", [mu, sigma], [],
        x => -Math.Log(Math.PI) - Math.Log(sigma) - Math.Log(1 + (x - mu) / sigma * ((x - mu) / sigma)),
        x => 0.5 + Math.Atan((x - mu) / sigma) / Math.PI,
        -Inf, Inf, mu, sigma,
        [mu - 50 * sigma, mu - sigma, mu + 0.2 * sigma, mu + 3 * sigma], [],
        double.NaN, double.NaN, MomentCheck.Quantiles);

    private static DistributionCase StudentT(double nu, double mu, double sigma) => new(
        "StudentT", [nu, mu, sigma], [],
        x =>
        {
            double z = (x - mu) / sigma;
            return LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI) - Math.Log(sigma)
                - (nu + 1) / 2 * Math.Log(1 + z * z / nu);
        },
        x => StudentTCdf(nu, (x - mu) / sigma),
        -Inf, Inf, mu, sigma,
        [mu - 8 * sigma, mu - 0.5 * sigma, mu + sigma, mu + 2.5 * sigma], [],
        nu > 1 ? mu : double.NaN, nu > 2 ? sigma * sigma * nu / (nu - 2) : double.NaN,
        nu > 4 ? MomentCheck.MeanAndVariance : nu > 2 ? MomentCheck.MeanOnly : MomentCheck.Quantiles);
}
