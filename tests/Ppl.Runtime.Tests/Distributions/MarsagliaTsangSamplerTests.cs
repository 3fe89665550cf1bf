using Ppl.Runtime.Distributions;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class MarsagliaTsangSamplerTests
{
    /// <summary>
    /// The bound behind the fixed number of proposals: with d = α − ⅓, α ≥ 1 (the boost guarantees it), one proposal is
    /// rejected with probability at most 0.049, so all 12 are rejected with probability below 0.049^12 ≈ 2e-16. Checked
    /// here on the algorithm itself in plain doubles with 10^6 proposals at the worst case α = 1 (the rate there is
    /// 0.0483, standard error 2e-4, so 0.049 is more than three standard errors away) and at α = 1.5, 3.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(3.0)]
    public void OneProposalIsRejectedWithProbabilityBelowFivePercent(double alpha)
    {
        var random = new Random(2024);
        double d = alpha - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        const int n = 1_000_000;
        int rejected = 0;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            double v = Math.Pow(1 + c * x, 3);
            double u = 1 - random.NextDouble();
            if (!(v > 0 && Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))) rejected++;
        }
        Assert.True((double)rejected / n < 0.049, $"rejection rate {(double)rejected / n} at α = {alpha}");
    }

    /// <summary>Extreme shapes in both float types: draws are finite, positive and never NaN; the mean agrees with α/β
    /// within five standard errors where the draws are representable.</summary>
    [Theory]
    [InlineData(1e-3, ScalarType.Float32)]
    [InlineData(1e-3, ScalarType.Float64)]
    [InlineData(0.05, ScalarType.Float32)]
    [InlineData(1.0, ScalarType.Float32)]
    [InlineData(1e4, ScalarType.Float32)]
    [InlineData(1e4, ScalarType.Float64)]
    public void ExtremeShapesGiveFinitePositiveDraws(double alpha, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        const int n = 50_000;
        var stream = new RandomStream(8, 8, 0, [n], dtype, CPU);
        var draws = new Gamma(tensor(alpha, dtype: dtype), tensor(2.0, dtype: dtype)).Sample(stream);
        var x = draws.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.All(x, v => Assert.True(double.IsFinite(v) && v > 0, $"draw {v}"));
        if (alpha >= 0.05)
        {
            double mean = alpha / 2, standardError = Math.Sqrt(alpha / 4 / n);
            Assert.True(Math.Abs(x.Average() - mean) < 5 * standardError, $"mean {x.Average()}, expected {mean} ± {standardError}");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void BetaAndStudentTWithTinyShapesStayFiniteAndInside(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        const int n = 20_000;
        var beta = new Beta(tensor(0.01, dtype: dtype), tensor(0.02, dtype: dtype)).Sample(new RandomStream(1, 1, 0, [n], dtype, CPU));
        var b = beta.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.All(b, v => Assert.True(v > 0 && v < 1, $"beta draw {v}"));
        // Both ends carry mass: P(X > ½) tends to α/(α + β) = ⅓ as the shapes shrink (standard error 0.0033 here).
        double upperShare = b.Count(v => v > 0.5) / (double)n;
        Assert.InRange(upperShare, 0.30, 0.37);

        var t = new StudentT(tensor(0.5, dtype: dtype), tensor(0.0, dtype: dtype), tensor(1.0, dtype: dtype))
            .Sample(new RandomStream(1, 2, 0, [n], dtype, CPU));
        Assert.All(t.to_type(ScalarType.Float64).data<double>().ToArray(), v => Assert.False(double.IsNaN(v)));
    }

    [Fact]
    public void ShapesBelowAndAboveOneCanShareATensor()
    {
        using var scope = NewDisposeScope();
        const int n = 40_000;
        var alpha = tensor(new[] { 0.3, 1.0, 7.5 });
        var draws = new Gamma(alpha, tensor(1.0, dtype: ScalarType.Float64)).Sample(new RandomStream(3, 3, 0, [n, 3], ScalarType.Float64, CPU));
        var means = draws.mean([0]).data<double>().ToArray();
        for (int j = 0; j < 3; j++)
        {
            double a = alpha[j].item<double>();
            Assert.True(Math.Abs(means[j] - a) < 5 * Math.Sqrt(a / n), $"column {j}: mean {means[j]}, expected {a}");
        }
    }

    [Fact]
    public void RejectionSampledDrawsCarryNoGradient()
    {
        using var scope = NewDisposeScope();
        var alpha = tensor(2.0).requires_grad_(true);
        var rate = tensor(1.0).requires_grad_(true);
        var gamma = new Gamma(alpha, rate);
        Assert.False(gamma.IsReparameterized);
        Assert.False(gamma.Sample(new RandomStream(1, 1, 0, [8], ScalarType.Float64, CPU)).requires_grad);
        Assert.False(new Beta(alpha, rate).Sample(new RandomStream(1, 1, 0, [8], ScalarType.Float64, CPU)).requires_grad);
        Assert.False(new StudentT(alpha, rate, rate).Sample(new RandomStream(1, 1, 0, [8], ScalarType.Float64, CPU)).requires_grad);
        Assert.True(new Normal(alpha, rate).Sample(new RandomStream(1, 1, 0, [8], ScalarType.Float64, CPU)).requires_grad);
    }
}
