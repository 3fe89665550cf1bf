using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// The discrete distributions and mixtures with fixed parameters, each with a reference probability mass (or density)
/// computed here without the library's formulas (products and recurrences, no log-gamma), its mean and variance, and the
/// range of counts that holds all but a negligible part of the mass.
/// </summary>
public sealed record DiscreteCase(
    string Id,
    Func<Distribution> Create,
    Func<long, double> Pmf,
    double Mean,
    double Variance,
    long MaxCount)
{
    public override string ToString() => Id;

    private static Tensor T(double v) => tensor(v, ScalarType.Float64);

    private static Tensor T(double[] v) => tensor(v, ScalarType.Float64);

    private static double Choose(long n, long k)
    {
        double c = 1;
        for (long i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }

    private static double PoissonPmf(double rate, long k)
    {
        double p = Math.Exp(-rate);
        for (long i = 1; i <= k; i++) p *= rate / i;
        return p;
    }

    /// <summary>Γ(k + φ)/(k! Γ(φ)) (φ/(μ+φ))^φ (μ/(μ+φ))^k by the recurrence p(k+1) = p(k)·(k + φ)/(k + 1)·μ/(μ + φ).</summary>
    private static double NegativeBinomialPmf(double mean, double concentration, long k)
    {
        double p = Math.Pow(concentration / (mean + concentration), concentration);
        for (long i = 0; i < k; i++) p *= (i + concentration) / (i + 1) * mean / (mean + concentration);
        return p;
    }

    public static IReadOnlyList<DiscreteCase> All { get; } =
    [
        new("Bernoulli(0.3)", () => new Bernoulli(T(0.3), null), k => k switch { 0 => 0.7, 1 => 0.3, _ => 0 }, 0.3, 0.21, 1),
        new("Bernoulli(logits=-1.2)", () => new Bernoulli(null, T(-1.2)),
            k => k switch { 0 => 1 - 1 / (1 + Math.Exp(1.2)), 1 => 1 / (1 + Math.Exp(1.2)), _ => 0 },
            1 / (1 + Math.Exp(1.2)), 1 / (1 + Math.Exp(1.2)) * (1 - 1 / (1 + Math.Exp(1.2))), 1),
        new("Binomial(20, 0.35)", () => new Binomial(T(20), T(0.35), null),
            k => k > 20 ? 0 : Choose(20, k) * Math.Pow(0.35, k) * Math.Pow(0.65, 20 - k), 7, 4.55, 20),
        new("Binomial(12, logits=0.8)", () => new Binomial(T(12), null, T(0.8)),
            k => k > 12 ? 0 : Choose(12, k) * Math.Pow(Sigmoid(0.8), k) * Math.Pow(1 - Sigmoid(0.8), 12 - k),
            12 * Sigmoid(0.8), 12 * Sigmoid(0.8) * (1 - Sigmoid(0.8)), 12),
        new("Binomial(2000, 0.2)", () => new Binomial(T(2000), T(0.2), null),
            k => k > 2000 ? 0 : Math.Exp(LogChoose(2000, k) + k * Math.Log(0.2) + (2000 - k) * Math.Log(0.8)), 400, 320, 2000),
        new("Poisson(0.7)", () => new Poisson(T(0.7)), k => PoissonPmf(0.7, k), 0.7, 0.7, 30),
        new("Poisson(13.5)", () => new Poisson(T(13.5)), k => PoissonPmf(13.5, k), 13.5, 13.5, 80),
        new("Poisson(640)", () => new Poisson(T(640)), k => Math.Exp(-640 + k * Math.Log(640) - LogFactorial(k)), 640, 640, 1000),
        new("NegativeBinomial(4, 2.5)", () => new NegativeBinomial(T(4), T(2.5)), k => NegativeBinomialPmf(4, 2.5, k), 4, 4 + 16 / 2.5, 200),
        new("NegativeBinomial(30, 0.6)", () => new NegativeBinomial(T(30), T(0.6)), k => NegativeBinomialPmf(30, 0.6, k), 30, 30 + 900 / 0.6, 6000),
        new("Categorical([0.2, 0.3, 0.5])", () => new Categorical(T([0.2, 0.3, 0.5]), null),
            k => k switch { 0 => 0.2, 1 => 0.3, 2 => 0.5, _ => 0 }, 1.3, 0.2 * 1.69 + 0.3 * 0.09 + 0.5 * 0.49, 2),
        new("Categorical(logits=[1, 2, 0.5, -1])", () => new Categorical(null, T([1, 2, 0.5, -1])),
            k => k is >= 0 and <= 3 ? Math.Exp(new[] { 1, 2, 0.5, -1 }[k]) / new[] { 1, 2, 0.5, -1 }.Sum(Math.Exp) : 0,
            Enumerable.Range(0, 4).Sum(k => k * Math.Exp(new[] { 1, 2, 0.5, -1 }[k])) / new[] { 1, 2, 0.5, -1 }.Sum(Math.Exp),
            CategoricalVariance([1, 2, 0.5, -1]), 3),
        new("Mixture(Poisson(2), Poisson(9))", () => new Mixture(T([0.4, 0.6]), [new Poisson(T(2)), new Poisson(T(9))]),
            k => 0.4 * PoissonPmf(2, k) + 0.6 * PoissonPmf(9, k), 0.4 * 2 + 0.6 * 9, 0.4 * (2 + 4) + 0.6 * (9 + 81) - Math.Pow(0.4 * 2 + 0.6 * 9, 2), 60),
    ];

    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in All) data.Add(c.Id);
            return data;
        }
    }

    public static DiscreteCase Get(string id) => All.Single(c => c.Id == id);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double LogFactorial(long k)
    {
        double s = 0;
        for (long i = 2; i <= k; i++) s += Math.Log(i);
        return s;
    }

    private static double LogChoose(long n, long k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double CategoricalVariance(double[] logits)
    {
        double z = logits.Sum(Math.Exp);
        double mean = Enumerable.Range(0, logits.Length).Sum(k => k * Math.Exp(logits[k]) / z);
        return Enumerable.Range(0, logits.Length).Sum(k => (k - mean) * (k - mean) * Math.Exp(logits[k]) / z);
    }
}
