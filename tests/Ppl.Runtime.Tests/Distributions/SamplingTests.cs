using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class SamplingTests
{
    private const int Draws = 100_000;

    /// <summary>10^5 float64 draws per case with a fixed seed (the site key is the case id, so each case has its own
    /// numbers). Bounds are five standard errors: a correct sampler fails one with probability below 6e-7.</summary>
    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void DrawsFollowTheDistribution(string id)
    {
        var c = DistributionCases.Get(id);
        double[] x = Draw(c, ScalarType.Float64, Draws);
        Assert.All(x, v => Assert.True(double.IsFinite(v) && v >= c.Lower && v <= c.Upper, $"{id}: draw {v} outside the support"));

        if (c.Moments != MomentCheck.Quantiles)
        {
            double mean = x.Average();
            double meanError = Math.Sqrt(c.Variance / Draws);
            Assert.True(Math.Abs(mean - c.Mean) < 5 * meanError, $"{id}: mean {mean}, expected {c.Mean} ± {meanError}");
        }
        if (c.Moments == MomentCheck.MeanAndVariance)
        {
            double mean = x.Average();
            double variance = x.Sum(v => (v - mean) * (v - mean)) / (Draws - 1);
            // Standard error of a sample variance: √((μ₄ − σ⁴)/n), with μ₄ estimated from the draws (finite fourth
            // moment for every case marked MeanAndVariance).
            double fourth = x.Sum(v => Math.Pow(v - mean, 4)) / Draws;
            double varianceError = Math.Sqrt((fourth - variance * variance) / Draws);
            Assert.True(Math.Abs(variance - c.Variance) < 5 * varianceError,
                $"{id}: variance {variance}, expected {c.Variance} ± {varianceError}");
        }

        Array.Sort(x);
        if (c.Moments == MomentCheck.Quantiles)
        {
            foreach (double p in new[] { 0.05, 0.25, 0.5, 0.75, 0.95 })
            {
                double expected = ReferenceMath.Quantile(c.Cdf, p, -1e12, 1e12);
                double empirical = x[(int)(p * Draws)];
                // An empirical quantile has standard error √(p(1 − p)/n)/f(q).
                double error = Math.Sqrt(p * (1 - p) / Draws) / Math.Exp(c.LogDensity(expected));
                Assert.True(Math.Abs(empirical - expected) < 5 * error, $"{id}: {p}-quantile {empirical}, expected {expected} ± {error}");
            }
        }

        // Kolmogorov–Smirnov: P(√n·D > t) ≈ 2·exp(−2t²), so D < 2.7/√n fails a correct sampler with probability ≈ 1e-6.
        double distance = KolmogorovSmirnovDistance(x, c.Cdf);
        Assert.True(distance < 2.7 / Math.Sqrt(Draws), $"{id}: KS distance {distance}");
    }

    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void Float32DrawsAreFiniteInsideTheSupportAndCentred(string id)
    {
        var c = DistributionCases.Get(id);
        const int n = 20_000;
        double[] x = Draw(c, ScalarType.Float32, n);
        Assert.All(x, v => Assert.True(double.IsFinite(v) && v >= (float)c.Lower && v <= (float)c.Upper, $"{id}: float32 draw {v}"));
        Array.Sort(x);
        // The same KS bound as in float64 for the smaller sample; float32 rounding moves the CDF by ~1e-7, negligible.
        double distance = KolmogorovSmirnovDistance(x, c.Cdf);
        Assert.True(distance < 2.7 / Math.Sqrt(n), $"{id}: float32 KS distance {distance}");
    }

    [Fact]
    public void DrawsOfAnElementDoNotDependOnTheBatchSize()
    {
        using var scope = NewDisposeScope();
        foreach (var c in DistributionCases.All)
        {
            var distribution = c.Build(ScalarType.Float64);
            var whole = distribution.Sample(new RandomStream(7, 3, 0, [64, 5], ScalarType.Float64, CPU));
            var part = distribution.Sample(new RandomStream(7, 3, 40, [3, 5], ScalarType.Float64, CPU));
            double difference = whole[TensorIndex.Slice(40, 43)].sub(part).abs().div(part.abs().add(ConstantScalars.Of(1e-300), TensorArithmetic.One)).max().item<double>();
            // The stream's uniforms are bit-identical; libtorch's vectorised and scalar kernels for log, cos and pow
            // may round the last bit differently depending on an element's position, which the gamma sampler's
            // transformations can amplify a little, hence a relative tolerance rather than equality.
            Assert.True(difference < 1e-12, $"{c.Id}: simulation 40 changed with the batch (relative difference {difference})");
        }
    }

    internal static double[] Draw(DistributionCase c, ScalarType dtype, int n)
    {
        using var scope = NewDisposeScope();
        var stream = new RandomStream(20240611, RandomStream.SiteKey(c.Id), 0, [n], dtype, CPU);
        var draws = c.Build(dtype).Sample(stream);
        Assert.Equal(new long[] { n }, draws.shape);
        Assert.Equal(dtype, draws.dtype);
        return draws.to_type(ScalarType.Float64).data<double>().ToArray();
    }

    internal static double KolmogorovSmirnovDistance(double[] sorted, Func<double, double> cdf)
    {
        double distance = 0;
        int n = sorted.Length;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(sorted[i]);
            distance = Math.Max(distance, Math.Max(f - (double)i / n, (double)(i + 1) / n - f));
        }
        return distance;
    }
}
