using Ppl.Tests.Shared;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests;

public class GaussianPosteriorTests
{
    // With a fixed seed each run is deterministic; the 4-MCSE bound is what a correct sampler meets for all but
    // ~6e-5 of coordinates, so over 100 coordinates × 2 moments a false failure would have probability ~1%.
    private const double Tolerance = 4;

    [Theory]
    [InlineData(MetricKind.Diagonal)]
    [InlineData(MetricKind.Dense)]
    public void CorrelatedGaussianIn100Dimensions(MetricKind metric)
    {
        const int d = 100;
        var (covariance, precision) = GaussianFixtures.Ar1(d, 0.8);
        var mean = Enumerable.Range(0, d).Select(i => Math.Sin(i)).ToArray();
        var density = new GaussianDensity(mean, precision);
        // A dense metric estimated from fewer draws than dimensions is singular up to its 1e-3 regularisation, which
        // forces tiny steps and maximal trees (as in Stan); a first window of 150 > D draws avoids that, giving windows
        // [75, 224] and [225, 549] of the 600 warm-up iterations.
        var options = new SamplingOptions { Chains = 4, Seed = 11, NumWarmup = 600, NumSamples = 600, Metric = metric };
        if (metric == MetricKind.Dense) options = options with { BaseWindow = 150 };
        var run = HamiltonianSampler.Sample(density, options, InitialPositions.Uniform(d, 11)).GetRunOrThrow();

        for (int i = 0; i < d; i++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, i), mean[i], Math.Sqrt(covariance[i, i]), Tolerance, $"x[{i}]");
        Assert.All(SamplerDiagnostics.Assess(run), c => Assert.Equal(0, c.Divergences));
        if (metric == MetricKind.Dense)
        {
            // The adapted dense metric should approximate the covariance: check one off-diagonal element to 15%
            // (the last window has 325 correlated draws per chain; a correlation of 0.8 is estimated to about ±0.04).
            var m = ((DenseMetric)run.Chains[0].Metric).InverseMass();
            Assert.InRange(m[10, 11] / covariance[10, 11], 0.85, 1.15);
        }
    }

    [Fact]
    public void GaussianLinearRegressionPosterior()
    {
        // y = Xθ + ε, ε ~ N(0, σ²I), θ ~ N(0, s₀²I): the posterior is N(m, S) with S⁻¹ = XᵀX/σ² + I/s₀², m = S Xᵀy/σ².
        const int n = 20, d = 10;
        const double sigma = 0.5, priorScale = 2.0;
        var random = new CounterRandom(2024);
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            var z = random.Substream((ulong)i).StandardNormals(d);
            for (int j = 0; j < d; j++) x[i, j] = z[j];
        }
        var thetaTrue = Enumerable.Range(0, d).Select(j => 1.0 - 0.2 * j).ToArray();
        var noise = random.Substream(999).StandardNormals(n);
        var y = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Sum(j => x[i, j] * thetaTrue[j]) + sigma * noise[i]).ToArray();

        var X = tensor(x, ScalarType.Float64);
        var Y = tensor(y, ScalarType.Float64);
        var density = new TensorDensity(d, theta =>
        {
            var residual = Y - theta.matmul(X.t());
            var lp = TensorArithmetic.Div(TensorArithmetic.Mul(-0.5, TensorArithmetic.Square(residual).sum(1)), (sigma * sigma)) - TensorArithmetic.Div(TensorArithmetic.Mul(0.5, TensorArithmetic.Square(theta).sum(1)), (priorScale * priorScale));
            var grad = TensorArithmetic.Div(residual.matmul(X), (sigma * sigma)) - TensorArithmetic.Div(theta, (priorScale * priorScale));
            return (lp, grad);
        });

        using var posteriorPrecision = TensorArithmetic.Add(TensorArithmetic.Div(X.t().matmul(X), (sigma * sigma)), TensorArithmetic.Div(eye(d, dtype: ScalarType.Float64), (priorScale * priorScale)));
        using var posteriorCovariance = linalg.inv(posteriorPrecision);
        using var posteriorMean = TensorArithmetic.Div(posteriorCovariance.matmul(X.t().matmul(Y)), (sigma * sigma));

        var run = HamiltonianSampler.Sample(density, new SamplingOptions { Chains = 4, Seed = 5, NumWarmup = 500, NumSamples = 1000 },
            InitialPositions.Uniform(d, 5)).GetRunOrThrow();
        for (int j = 0; j < d; j++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, j), posteriorMean[j].item<double>(),
                Math.Sqrt(posteriorCovariance[j, j].item<double>()), Tolerance, $"theta[{j}]");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StaticHmcSamplesAGaussian(bool fixedIntegrationTime)
    {
        const int d = 10;
        var (covariance, precision) = GaussianFixtures.Ar1(d, 0.5);
        var density = new GaussianDensity(new double[d], precision);
        var options = new SamplingOptions
        {
            Chains = 4, Seed = 3, NumWarmup = 500, NumSamples = 1000, Algorithm = SamplerAlgorithm.StaticHmc,
            StaticSteps = 8, StaticIntegrationTime = fixedIntegrationTime ? 2.0 : null,
        };
        var run = HamiltonianSampler.Sample(density, options, InitialPositions.Uniform(d, 3)).GetRunOrThrow();
        for (int i = 0; i < d; i++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, i), 0, Math.Sqrt(covariance[i, i]), Tolerance, $"x[{i}]");
        var draws = run.Chains.SelectMany(c => c.Samples).ToArray();
        if (fixedIntegrationTime)
            Assert.All(draws, dr => Assert.Equal(StaticHmcTransition.StepsForLength(2.0, dr.StepSize), dr.LeapfrogSteps));
        else
            Assert.All(draws, dr => Assert.Equal(8, dr.LeapfrogSteps));
    }
}

/// <summary>A log density given as a function returning the value and gradient tensors.</summary>
internal sealed class TensorDensity : Ppl.Runtime.Inference.ILogDensityFunction
{
    private readonly Func<Tensor, (Tensor, Tensor)> _f;

    public TensorDensity(int dimension, Func<Tensor, (Tensor, Tensor)> f)
    {
        Dimension = dimension;
        _f = f;
    }

    public int Dimension { get; }

    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions) => _f(positions);
}
