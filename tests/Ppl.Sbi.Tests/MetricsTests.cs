using Ppl.Runtime.Metrics;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Sbi.Tests;

public class MetricsTests
{
    private readonly ITestOutputHelper _output;

    public MetricsTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void C2stIsAboutOneHalfForOneDistribution()
    {
        using var scope = NewDisposeScope();
        var a = TestData.Normal(1, "a", 1000, 2);
        var b = TestData.Normal(2, "b", 1000, 2);
        var result = ClassifierTwoSampleTest.Compute(a, b, seed: 1);
        _output.WriteLine($"same: {result.Accuracy:F3}, folds {string.Join(", ", result.FoldAccuracies.Select(f => f.ToString("F3")))}, epochs {string.Join(", ", result.EpochsPerFold)}");
        // 2,000 held-out predictions in all: a chance-level classifier's accuracy has standard deviation
        // 0.5/√2000 ≈ 0.011; overfitting can only push a same-distribution C2ST below or around 0.5, never far above.
        Assert.InRange(result.Accuracy, 0.44, 0.56);
        Assert.Equal(5, result.FoldAccuracies.Count);
    }

    [Fact]
    public void C2stIsAboutOneForSeparatedDistributions()
    {
        using var scope = NewDisposeScope();
        var a = TestData.Normal(1, "a", 500, 3);
        var b = TensorArithmetic.Add(TestData.Normal(2, "b", 500, 3), 6.0);
        var result = ClassifierTwoSampleTest.Compute(a, b, seed: 1);
        _output.WriteLine($"separated: {result.Accuracy:F3}");
        // Means 6σ apart along each axis (10σ in 3-D): the Bayes error is below 1e-9.
        Assert.True(result.Accuracy > 0.99);
    }

    [Fact]
    public void C2stDetectsAModestShiftAndIsSeeded()
    {
        using var scope = NewDisposeScope();
        var a = TestData.Normal(1, "a", 1000, 2);
        var b = TensorArithmetic.Add(TestData.Normal(2, "b", 1000, 2), tensor(new float[] { 1.0f, 0f }));
        var first = ClassifierTwoSampleTest.Compute(a, b, seed: 3);
        var second = ClassifierTwoSampleTest.Compute(a, b, seed: 3);
        _output.WriteLine($"shift 1σ: {first.Accuracy:F3}");
        // A 1σ mean shift: the Bayes accuracy is Φ(0.5) ≈ 0.691; a trained MLP gets within a few points.
        Assert.InRange(first.Accuracy, 0.64, 0.71);
        // Exact by construction: the same seed and data repeat the same training and counting.
        Assert.Equal(first.FoldAccuracies, second.FoldAccuracies);
    }

    [Fact]
    public void SbcRanksAreUniformForExactPosteriors()
    {
        using var scope = NewDisposeScope();
        // Conjugate Gaussian: θ ~ N(0,1), x ~ N(θ, 1) ⇒ θ | x ~ N(x/2, 1/2). Exact posterior draws give uniform ranks.
        long m = 2000, l = 99;
        var theta = TestData.Normal(1, "theta", m, 2);
        var x = TensorArithmetic.Add(theta, TestData.Normal(1, "noise", m, 2));
        var samples = TensorArithmetic.Add(TensorArithmetic.Div(x.unsqueeze(1), 2), TensorArithmetic.Mul(TestData.Normal(1, "post", m, l, 2), Math.Sqrt(0.5)));
        var ranks = SimulationBasedCalibration.Ranks(theta, samples);
        Assert.Equal(new long[] { m, 2 }, ranks.shape);
        Assert.True(ranks.min().item<long>() >= 0 && ranks.max().item<long>() <= l);
        var histogram = SimulationBasedCalibration.Histogram(ranks, l, 10);
        Assert.Equal(m, histogram.sum(0, keepdim: false)[0].item<long>());
        var chi2 = SimulationBasedCalibration.UniformityChiSquare(histogram);
        // χ²(9): the 99.9% quantile is 27.9.
        Assert.True(chi2.max().item<double>() < 27.9, $"χ² {chi2.max().item<double>():F1}");

        // An overconfident posterior (half the width) piles ranks at the ends.
        var narrow = TensorArithmetic.Add(TensorArithmetic.Div(x.unsqueeze(1), 2), TensorArithmetic.Mul(TensorArithmetic.Mul(TestData.Normal(1, "post", m, l, 2), Math.Sqrt(0.5)), 0.5));
        var badChi2 = SimulationBasedCalibration.UniformityChiSquare(SimulationBasedCalibration.Histogram(SimulationBasedCalibration.Ranks(theta, narrow), l, 10));
        Assert.True(badChi2.min().item<double>() > 100);
    }

    [Fact]
    public void ExpectedCoverageIsDiagonalForExactPosteriors()
    {
        using var scope = NewDisposeScope();
        long m = 2000, l = 200;
        var theta = TestData.Normal(3, "theta", m, 1);
        var x = TensorArithmetic.Add(theta, TestData.Normal(3, "noise", m, 1));
        var samples = TensorArithmetic.Add(TensorArithmetic.Div(x.unsqueeze(1), 2), TensorArithmetic.Mul(TestData.Normal(3, "post", m, l, 1), Math.Sqrt(0.5)));
        Tensor LogProb(Tensor t, Tensor mean) => -TensorArithmetic.Square((t - mean)).sum(-1);
        var credibility = ExpectedCoverage.CredibilityOfTruth(LogProb(theta, TensorArithmetic.Div(x, 2)), LogProb(samples, TensorArithmetic.Div(x.unsqueeze(1), 2)));
        var levels = new[] { 0.1, 0.5, 0.9 };
        var coverage = ExpectedCoverage.Curve(credibility, levels);
        // Binomial standard error ≤ 0.011 for 2,000 simulations, plus 1/200 from the sample discreteness.
        for (int i = 0; i < levels.Length; i++) Assert.InRange(coverage[i], levels[i] - 0.04, levels[i] + 0.04);
    }

    [Fact]
    public void FigureOfMeritMatchesTheCovariance()
    {
        using var scope = NewDisposeScope();
        // Samples with std (0.1, 0.2) and correlation −0.5: det = 0.01·0.04·(1 − 0.25) = 3e-4, FoM = 57.7.
        var z = TestData.Normal(5, "z", 200000, 2).to(ScalarType.Float64);
        var a = TensorArithmetic.Mul(z.select(1, 0), 0.1);
        var b = TensorArithmetic.Mul((TensorArithmetic.Add(TensorArithmetic.Mul(z.select(1, 0), -0.5), TensorArithmetic.Mul(z.select(1, 1), Math.Sqrt(0.75)))), 0.2);
        var samples = stack([a, b, z.select(1, 1)], 1);
        double fom = FigureOfMerit.FromSamples(samples, 0, 1);
        // The determinant's relative sampling error at n = 2e5 is ~0.5%, so FoM is within 1%.
        Assert.InRange(fom, 57.7 * 0.99, 57.7 * 1.01);
        Assert.Equal(1 / Math.Sqrt(3e-4), FigureOfMerit.FromCovariance(0.01, -0.01, 0.04), 9);
    }
}
