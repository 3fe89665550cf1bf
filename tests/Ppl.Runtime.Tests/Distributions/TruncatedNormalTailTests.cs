using Ppl.Runtime.Distributions;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Distributions.ReferenceMath;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>Truncations far in a tail, where naive Φ(b) − Φ(a) and Φ⁻¹ underflow or cancel.</summary>
public class TruncatedNormalTailTests
{
    public static TheoryData<double?, double?, ScalarType> FarTails
    {
        get
        {
            var data = new TheoryData<double?, double?, ScalarType>();
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                data.Add(5, null, dtype);
                data.Add(10, null, dtype);
                data.Add(40, null, dtype);
                data.Add(null, -25, dtype);
                data.Add(12, 12.5, dtype);
                data.Add(-40, -39, dtype);
                data.Add(-9.9, -9.8, dtype);
                data.Add(-3, -2.9, dtype);
                data.Add(5, 5.05, dtype);
                data.Add(-0.001, 0.001, dtype);
            }
            return data;
        }
    }

    /// <summary>The log-normaliser log Z for standardised bounds, from the reference functions.</summary>
    private static double LogZ(double? a, double? b)
    {
        if (a is null) return LogNormalCdf(b!.Value);
        if (b is null) return LogNormalCdf(-a.Value);
        if (b <= 0) return LogNormalCdf(b.Value) + Math.Log(-Expm1(LogNormalCdf(a.Value) - LogNormalCdf(b.Value)));
        if (a >= 0) return LogNormalCdf(-a.Value) + Math.Log(-Expm1(LogNormalCdf(-b.Value) - LogNormalCdf(-a.Value)));
        return Math.Log(0.5 * (Erf(b.Value / SqrtTwo) - Erf(a.Value / SqrtTwo)));
    }

    /// <summary>exp(d) − 1, accurate for small |d| (Taylor series below 1e-5).</summary>
    private static double Expm1(double d) => Math.Abs(d) < 1e-5 ? d + d * d / 2 + d * d * d / 6 : Math.Exp(d) - 1;

    [Theory]
    [MemberData(nameof(FarTails))]
    public void LogDensityIsAccurateFarInTheTails(double? lower, double? upper, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        double lo = lower ?? upper!.Value - 3, hi = upper ?? lower!.Value + 3;
        var points = new[] { 0.1, 0.5, 0.9 }.Select(f => (double)(float)(lo + f * (hi - lo))).ToArray();
        var distribution = new TruncatedNormal(tensor(0.0, dtype: dtype), tensor(1.0, dtype: dtype),
            lower is null ? null : tensor(lower.Value, dtype: dtype), upper is null ? null : tensor(upper.Value, dtype: dtype));
        var result = distribution.LogProb(tensor(points, dtype: ScalarType.Float64).to_type(dtype)).to_type(ScalarType.Float64).data<double>().ToArray();
        double aRounded = lower is null ? 0 : dtype == ScalarType.Float32 ? (float)lower.Value : lower.Value;
        double bRounded = upper is null ? 0 : dtype == ScalarType.Float32 ? (float)upper.Value : upper.Value;
        double logZ = LogZ(lower is null ? null : aRounded, upper is null ? null : bRounded);
        for (int i = 0; i < points.Length; i++)
        {
            double expected = LogNormalPdf(points[i]) - logZ;
            // float64: the reference is good to ~1e-13 relative; float32: log-densities up to ~800 in magnitude, with
            // ~1e-7 relative error in each of the few terms, and narrow intervals losing a few more digits to the
            // difference of bounds.
            double tolerance = dtype == ScalarType.Float64 ? 1e-9 * (1 + Math.Abs(expected)) : 3e-5 * (1 + Math.Abs(expected)) + 2e-3;
            Assert.True(Math.Abs(result[i] - expected) <= tolerance, $"[{lower}, {upper}] {dtype} at {points[i]}: {result[i]} vs {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(FarTails))]
    public void DrawsStayInsideAndHaveTheRightMean(double? lower, double? upper, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        const int n = 50_000;
        var distribution = new TruncatedNormal(tensor(0.0, dtype: dtype), tensor(1.0, dtype: dtype),
            lower is null ? null : tensor(lower.Value, dtype: dtype), upper is null ? null : tensor(upper.Value, dtype: dtype));
        var stream = new RandomStream(5, RandomStream.SiteKey($"{lower}/{upper}"), 0, [n], dtype, CPU);
        var draws = distribution.Sample(stream).to_type(ScalarType.Float64).data<double>().ToArray();
        double lo = lower is null ? double.NegativeInfinity : dtype == ScalarType.Float32 ? (float)lower.Value : lower.Value;
        double hi = upper is null ? double.PositiveInfinity : dtype == ScalarType.Float32 ? (float)upper.Value : upper.Value;
        Assert.All(draws, x => Assert.True(double.IsFinite(x) && x >= lo && x <= hi, $"draw {x} outside [{lo}, {hi}]"));

        // Reference mean and variance by quadrature of the reference density (normalised numerically, so far-tail
        // underflow of Z does not matter): with the mode-relative weights exp(log φ(x) − log φ(x*)).
        double qlo = lower ?? upper!.Value - 40, qhi = upper ?? lower!.Value + 40;
        var (nodes, weights) = DoubleExponentialQuadrature.Rule(qlo, qhi, 0, 1, 1.0 / 64);
        double peak = nodes.Max(x => LogNormalPdf(x));
        double mass = 0, first = 0, second = 0;
        for (int i = 0; i < nodes.Length; i++)
        {
            double w = Math.Exp(LogNormalPdf(nodes[i]) - peak) * weights[i];
            mass += w;
            first += w * nodes[i];
            second += w * nodes[i] * nodes[i];
        }
        double mean = first / mass, variance = second / mass - mean * mean;
        double sampleMean = draws.Average();
        // Five standard errors of the mean; in float32 the draws are also rounded to ~6e-8 relative, i.e. up to 2.4e-6
        // at |x| = 40, which is added to the bound.
        double bound = 5 * Math.Sqrt(variance / n) + (dtype == ScalarType.Float32 ? 3e-6 * Math.Abs(mean) : 0);
        Assert.True(Math.Abs(sampleMean - mean) < bound, $"[{lower}, {upper}] {dtype}: mean {sampleMean}, expected {mean} ± {bound}");
    }

    /// <summary>
    /// Draws are reparameterised: d draw/d θ from autograd equals the central difference of draws with the same stream
    /// (same uniforms) at θ ± h, in float64, for loc, scale and both bounds.
    /// </summary>
    [Theory]
    [InlineData(0.3, 1.5, -1.0, 2.0)]
    [InlineData(0.0, 1.0, 10.0, null)]
    [InlineData(1.0, 2.0, null, -30.0)]
    [InlineData(0.0, 1.0, 12.0, 12.5)]
    public void DrawsAreDifferentiableInEveryParameter(double loc, double scale, double? lower, double? upper)
    {
        using var scope = NewDisposeScope();
        var theta = new List<double> { loc, scale };
        if (lower is not null) theta.Add(lower.Value);
        if (upper is not null) theta.Add(upper.Value);

        Tensor DrawAt(Tensor[] p)
        {
            int k = 2;
            var l = lower is null ? null : p[k++];
            var u = upper is null ? null : p[k];
            var stream = new RandomStream(11, 4, 0, [64], ScalarType.Float64, CPU);
            return new TruncatedNormal(p[0], p[1], l, u).Sample(stream);
        }

        var parameters = theta.Select(v => tensor(v, dtype: ScalarType.Float64, requires_grad: true)).ToArray();
        var draws = DrawAt(parameters);
        for (int k = 0; k < theta.Count; k++)
        {
            var gradient = autograd.grad([draws.sum()], [parameters[k]], retain_graph: true)[0].item<double>();
            double h = 1e-6 * Math.Max(1, Math.Abs(theta[k]));
            var plus = theta.Select((v, i) => tensor(i == k ? v + h : v, dtype: ScalarType.Float64)).ToArray();
            var minus = theta.Select((v, i) => tensor(i == k ? v - h : v, dtype: ScalarType.Float64)).ToArray();
            double numeric = (DrawAt(plus).sum().item<double>() - DrawAt(minus).sum().item<double>()) / (2 * h);
            // Draws are smooth in θ (the inverse CDF is exact to ~1e-15 after its Newton steps, so the differences
            // carry ~1e-15/h = 1e-9 noise); 1e-6 relative leaves room for that and the O(h²) truncation.
            Assert.True(Math.Abs(gradient - numeric) <= 1e-6 * (1 + Math.Abs(numeric)), $"parameter {k}: autograd {gradient}, central difference {numeric}");
        }
    }

    [Fact]
    public void WithoutBoundsItIsTheNormal()
    {
        using var scope = NewDisposeScope();
        var loc = tensor(0.4);
        var scale = tensor(1.3);
        var x = tensor(new[] { -3.0, 0.0, 2.5 });
        Assert.True(new TruncatedNormal(loc, scale).LogProb(x).allclose(new Normal(loc, scale).LogProb(x), rtol: 1e-14, atol: 1e-14));
        var truncated = new TruncatedNormal(loc, scale).Sample(new RandomStream(1, 2, 0, [16], ScalarType.Float64, CPU));
        var normal = new Normal(loc, scale).Sample(new RandomStream(1, 2, 0, [16], ScalarType.Float64, CPU));
        // Exact by construction: without bounds TruncatedNormal samples with Normal's formula from the same stream.
        Assert.True(truncated.eq(normal).all().item<bool>());
        Assert.Equal(0.4, ((IDistributionMoments)new TruncatedNormal(loc, scale)).Mean.item<double>(), 14);
        Assert.Equal(1.69, ((IDistributionMoments)new TruncatedNormal(loc, scale)).Variance.item<double>(), 14);
    }

    [Fact]
    public void LogDensityGradientIsFiniteFarInTheTail()
    {
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var loc = tensor(0.0, dtype: dtype).requires_grad_(true);
            var scale = tensor(1.0, dtype: dtype).requires_grad_(true);
            var lower = tensor(40.0, dtype: dtype).requires_grad_(true);
            var value = tensor(new[] { 40.01, 40.5 }, dtype: ScalarType.Float64).to_type(dtype).requires_grad_(true);
            new TruncatedNormal(loc, scale, lower).LogProb(value).sum().backward();
            foreach (var (name, g) in new[] { ("loc", loc.grad), ("scale", scale.grad), ("lower", lower.grad), ("value", value.grad) })
                Assert.All((g ?? throw new Xunit.Sdk.XunitException($"{dtype}: no gradient for {name}")).to_type(ScalarType.Float64).data<double>().ToArray(), v => Assert.True(double.IsFinite(v)));
            // d/dx log p = −x exactly, whatever the normaliser.
            var dx = value.grad!.to_type(ScalarType.Float64).data<double>().ToArray();
            Assert.Equal(-40.01, dx[0], dtype == ScalarType.Float64 ? 1e-9 : 1e-4);
        }
    }
}
