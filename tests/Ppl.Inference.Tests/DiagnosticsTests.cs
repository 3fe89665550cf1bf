using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

public class DiagnosticsTests
{
    /// <summary>Fixed input: 4 chains of 200 draws from AR(1) processes x_t = φ x_{t−1} + e_t with different φ, the last
    /// chain shifted, generated from a fixed counter-based stream.</summary>
    private static double[][] FixedChains(double shift = 0.3, int n = 200)
    {
        var phis = new[] { 0.3, 0.5, 0.7, 0.4 };
        return Enumerable.Range(0, 4).Select(c =>
        {
            var e = new CounterRandom(77).Substream((ulong)c).StandardNormals(n);
            var x = new double[n];
            double prev = 0;
            for (int t = 0; t < n; t++) x[t] = prev = phis[c] * prev + e[t];
            if (c == 3) for (int t = 0; t < n; t++) x[t] += shift;
            return x;
        }).ToArray();
    }

    [Fact]
    public void ClassicRHatMatchesAHandComputation()
    {
        // Means 2.5 and 3.5: B = n·var(means) = 4·0.5 = 2; each chain's variance is 5/3 = W;
        // R̂ = √((B/W + n − 1)/n) = √((1.2 + 3)/4) = √1.05.
        double rhat = ConvergenceDiagnostics.RHatBasic(new[] { new double[] { 1, 2, 3, 4 }, new double[] { 2, 3, 4, 5 } });
        Assert.Equal(Math.Sqrt(1.05), rhat, 14);
    }

    [Fact]
    public void RankNormalisedRHatAndEssMatchAnIndependentReference()
    {
        foreach (var shift in new[] { 0.0, 0.3, 2.0 })
        {
            var chains = FixedChains(shift);
            // Tolerance 1e-9: the references use direct O(n²) sums where the library uses an FFT.
            Assert.Equal(Reference.RHat(chains), ConvergenceDiagnostics.RHat(chains), 9);
            Assert.Equal(Reference.EssBulk(chains), ConvergenceDiagnostics.EssBulk(chains), 6);
            Assert.Equal(Reference.EssTail(chains), ConvergenceDiagnostics.EssTail(chains), 6);
            Assert.Equal(Reference.Ess(Reference.Split(chains)), ConvergenceDiagnostics.EssMean(chains), 6);
        }
        // A chain shifted by two standard deviations is flagged; unshifted chains are not.
        Assert.True(ConvergenceDiagnostics.RHat(FixedChains(2.0)) > 1.1);
        Assert.True(ConvergenceDiagnostics.RHat(FixedChains(0.0)) < 1.05);
    }

    [Fact]
    public void EssOfAnAr1ProcessMatchesTheory()
    {
        // For AR(1) with coefficient φ the integrated autocorrelation time is (1 + φ)/(1 − φ), so ESS = S(1 − φ)/(1 + φ).
        const double phi = 0.5;
        const int n = 5000;
        var chains = Enumerable.Range(0, 4).Select(c =>
        {
            var e = new CounterRandom(5).Substream((ulong)c).StandardNormals(n);
            var x = new double[n];
            double prev = e[0] / Math.Sqrt(1 - phi * phi);
            for (int t = 0; t < n; t++) x[t] = prev = phi * prev + e[t];
            return x;
        }).ToArray();
        double expected = 4.0 * n * (1 - phi) / (1 + phi);
        // The ESS estimator's relative error at S = 20000 and τ = 3 is about 3%; 12% is four of them.
        Assert.InRange(ConvergenceDiagnostics.EssMean(chains) / expected, 0.88, 1.12);
        Assert.InRange(ConvergenceDiagnostics.EssBulk(chains) / expected, 0.88, 1.12);
        // MCSE of the mean follows: σ_x/√ESS with σ_x = 1/√(1 − φ²).
        Assert.InRange(ConvergenceDiagnostics.McseMean(chains) / (1 / Math.Sqrt(1 - phi * phi) / Math.Sqrt(expected)), 0.9, 1.1);
    }

    [Fact]
    public void QuantileMcseOfIndependentNormalsMatchesTheAsymptoticFormula()
    {
        const int n = 2500;
        var chains = Enumerable.Range(0, 4).Select(c => new CounterRandom(8).Substream((ulong)c).StandardNormals(n)).ToArray();
        // The sample median of S iid N(0, 1) draws has standard error √(π/2)/√S ≈ 0.0125 here; the order-statistic
        // estimate is discrete and noisy at the 15% level.
        double mcse = ConvergenceDiagnostics.McseQuantile(chains, 0.5);
        Assert.InRange(mcse / (Math.Sqrt(Math.PI / 2) / Math.Sqrt(4 * n)), 0.8, 1.2);
        // The sd of S iid normals has standard error ≈ 1/√(2S).
        Assert.InRange(ConvergenceDiagnostics.McseSd(chains) / (1 / Math.Sqrt(2 * 4 * n)), 0.85, 1.15);
    }

    [Fact]
    public void SpecialFunctionsMatchPublishedValues()
    {
        // Φ⁻¹ values from standard tables (to 15 digits).
        Assert.Equal(1.959963984540054, SpecialFunctions.NormalQuantile(0.975), 13);
        Assert.Equal(-3.090232306167813, SpecialFunctions.NormalQuantile(0.001), 12);
        Assert.Equal(-6.361340902404056, SpecialFunctions.NormalQuantile(1e-10), 10);
        Assert.Equal(0.0, SpecialFunctions.NormalQuantile(0.5), 14);
        Assert.Equal(0.841344746068543, SpecialFunctions.NormalCdf(1), 14);
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 13);
        Assert.Equal(Math.Log(362880), SpecialFunctions.LogGamma(10), 12);
        // Beta(a, 1) has CDF x^a and Beta(1, b) has CDF 1 − (1 − x)^b, so their quantiles are closed-form.
        Assert.Equal(Math.Pow(0.3, 1 / 3.5), SpecialFunctions.BetaQuantile(0.3, 3.5, 1), 12);
        Assert.Equal(1 - Math.Pow(1 - 0.8, 1 / 40.0), SpecialFunctions.BetaQuantile(0.8, 1, 40), 12);
        Assert.Equal(0.5, SpecialFunctions.BetaQuantile(0.5, 7, 7), 12);
    }

    [Fact]
    public void EnergyBfmiFollowsItsDefinition()
    {
        // Energies 1, 3, 2, 4: squared differences 4, 1, 4 → mean 3; variance (ddof 0) 1.25; E-BFMI = 2.4.
        Assert.Equal(2.4, SamplerDiagnostics.EBfmi(new double[] { 1, 3, 2, 4 }), 14);
    }

    [Fact]
    public void SummaryTableRendersEveryColumn()
    {
        var chains = FixedChains();
        var summary = PosteriorSummary.Compute(new[] { "theta" }, _ => chains);
        var row = summary["theta"];
        var pooled = ConvergenceDiagnostics.Pool(chains);
        Assert.Equal(pooled.Average(), row.Mean, 12);
        Assert.Equal(ConvergenceDiagnostics.Quantile(pooled, 0.05), row.Q5, 12);
        string text = summary.Render();
        foreach (var header in new[] { "Mean", "MCSE", "StdDev", "5%", "50%", "95%", "N_Eff(bulk)", "N_Eff(tail)", "R_hat", "theta" })
            Assert.Contains(header, text);
    }

    /// <summary>A direct transcription of the paper's definitions, written independently of the library (O(n²)
    /// autocovariances, counting ranks, explicit loops).</summary>
    private static class Reference
    {
        public static double[][] Split(double[][] chains)
        {
            var result = new List<double[]>();
            foreach (var c in chains)
            {
                int half = c.Length / 2;
                result.Add(c.Take(half).ToArray());
                result.Add(c.Skip(c.Length - half).ToArray());
            }
            return result.ToArray();
        }

        public static double[][] ZScale(double[][] chains)
        {
            var all = chains.SelectMany(c => c).ToArray();
            int s = all.Length;
            return chains.Select(c => c.Select(v =>
            {
                double less = all.Count(u => u < v), equal = all.Count(u => u == v);
                double rank = less + (equal + 1) / 2;
                return SpecialFunctions.NormalQuantile((rank - 3.0 / 8) / (s + 1.0 / 4));
            }).ToArray()).ToArray();
        }

        public static double RHatBasic(double[][] chains)
        {
            int n = chains[0].Length, m = chains.Length;
            var means = chains.Select(c => c.Sum() / n).ToArray();
            double grand = means.Sum() / m;
            double b = n * means.Sum(mu => (mu - grand) * (mu - grand)) / (m - 1);
            double w = chains.Select((c, j) => c.Sum(v => (v - means[j]) * (v - means[j])) / (n - 1)).Sum() / m;
            return Math.Sqrt(((n - 1.0) / n * w + b / n) / w);
        }

        public static double Median(double[] x)
        {
            var s = x.OrderBy(v => v).ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
        }

        public static double RHat(double[][] chains)
        {
            double med = Median(chains.SelectMany(c => c).ToArray());
            var folded = chains.Select(c => c.Select(v => Math.Abs(v - med)).ToArray()).ToArray();
            return Math.Max(RHatBasic(ZScale(Split(chains))), RHatBasic(ZScale(Split(folded))));
        }

        public static double Ess(double[][] chains)
        {
            int n = chains[0].Length, m = chains.Length;
            var means = chains.Select(c => c.Average()).ToArray();
            double Acov(int j, int t)
            {
                double s = 0;
                for (int i = 0; i + t < n; i++) s += (chains[j][i] - means[j]) * (chains[j][i + t] - means[j]);
                return s / n;
            }
            double w = Enumerable.Range(0, m).Average(j => Acov(j, 0)) * n / (n - 1);
            double grand = means.Average();
            double varPlus = w * (n - 1) / n + (m > 1 ? means.Sum(mu => (mu - grand) * (mu - grand)) / (m - 1) : 0);
            double Rho(int t) => 1 - (w - Enumerable.Range(0, m).Average(j => Acov(j, t))) / varPlus;

            // Geyer's initial positive sequence over pairs P_k = ρ_{2k} + ρ_{2k+1}, then the initial monotone
            // sequence, then τ = −1 + 2 Σ ρ_t (the last even term counted once), bounded below by 1/log10(mn).
            var rho = new double[n];
            rho[0] = 1;
            rho[1] = Rho(1);
            int last = 0;
            double even = 1, odd = rho[1];
            while (last < n - 5 && even + odd > 0)
            {
                last += 2;
                even = Rho(last);
                odd = Rho(last + 1);
                if (even + odd >= 0) { rho[last] = even; rho[last + 1] = odd; }
            }
            if (even > 0) rho[last] = even;
            for (int t = 2; t <= last - 2; t += 2)
            {
                double previous = rho[t - 2] + rho[t - 1];
                if (rho[t] + rho[t + 1] > previous) rho[t] = rho[t + 1] = previous / 2;
            }
            double tau = -1 + 2 * rho.Take(Math.Max(last, 1)).Sum() + rho[last];
            tau = Math.Max(tau, 1 / Math.Log10((double)m * n));
            return m * n / tau;
        }

        public static double EssBulk(double[][] chains) => Ess(ZScale(Split(chains)));

        public static double EssTail(double[][] chains)
        {
            var all = chains.SelectMany(c => c).OrderBy(v => v).ToArray();
            double Quantile(double p)
            {
                double h = (all.Length - 1) * p;
                int lo = (int)Math.Floor(h);
                return all[lo] + (h - lo) * (all[Math.Min(lo + 1, all.Length - 1)] - all[lo]);
            }
            double IndicatorEss(double p)
            {
                double q = Quantile(p);
                return Ess(Split(chains.Select(c => c.Select(v => v <= q ? 1.0 : 0.0).ToArray()).ToArray()));
            }
            return Math.Min(IndicatorEss(0.05), IndicatorEss(0.95));
        }
    }
}
