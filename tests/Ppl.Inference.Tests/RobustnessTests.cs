using Ppl.Runtime.Inference.Mcmc;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests;

public class RobustnessTests
{
    /// <summary>A standard normal in D dimensions that is −∞ (or NaN) outside a region, to exercise non-finite values.</summary>
    private static TensorDensity Restricted(int d, Func<Tensor, Tensor> outside, double value) => new(d, x =>
    {
        var lp = TensorArithmetic.Mul(-0.5, TensorArithmetic.Square(x).sum(1));
        var grad = -x;
        var mask = outside(x);
        using var keptScalar1 = value.ToScalar();
        using var keptScalar2 = value.ToScalar();
        return (lp.masked_fill(mask, keptScalar2), grad.masked_fill(mask.unsqueeze(1), keptScalar1));
    });

    private sealed class SynchronousProgress : IProgress<SamplingProgress>
    {
        private readonly Action<SamplingProgress> _onReport;
        public SynchronousProgress(Action<SamplingProgress> onReport) => _onReport = onReport;
        public List<SamplingProgress> Reports { get; } = new();
        public void Report(SamplingProgress value)
        {
            Reports.Add(value);
            _onReport(value);
        }
    }

    [Fact]
    public void InitialisationRetriesUntilTheDensityIsFinite()
    {
        // −∞ unless x₀ > 1: a uniform(−2, 2) draw lands there a quarter of the time, so retries are needed.
        var density = Restricted(3, x => x[.., 0] <= ConstantScalars.Of(1), double.NegativeInfinity);
        var result = HamiltonianSampler.Sample(density, new SamplingOptions { Chains = 4, Seed = 1, NumWarmup = 50, NumSamples = 50 },
            InitialPositions.Uniform(3, 1));
        var run = result.GetRunOrThrow();
        Assert.All(run.Chains, c => Assert.All(c.Samples, d => Assert.True(d.Position[0] > 1)));
    }

    [Fact]
    public void InitialisationFailureIsAnErrorValue()
    {
        var density = Restricted(2, x => x[.., 0] < ConstantScalars.Of(100), double.NaN);
        var result = HamiltonianSampler.Sample(density, new SamplingOptions { Chains = 2, Seed = 1 }, InitialPositions.Uniform(2, 1));
        Assert.False(result.IsSuccess);
        Assert.Equal(SamplingErrorKind.InitialisationFailed, result.Error!.Kind);
        Assert.Contains("100 attempts", result.Error.Message);
        Assert.Contains("chain 1", result.Error.Message);

        var wrongLength = HamiltonianSampler.Sample(density, new SamplingOptions(), (_, _) => new double[5]);
        Assert.Equal(SamplingErrorKind.InvalidInitialPosition, wrongLength.Error!.Kind);
        var invalid = HamiltonianSampler.Sample(density, new SamplingOptions { AdaptDelta = 1.5 }, InitialPositions.Uniform(2, 1));
        Assert.Equal(SamplingErrorKind.InvalidOptions, invalid.Error!.Kind);
    }

    [Fact]
    public void NonFiniteDensityDuringSamplingIsADivergenceNotACrash()
    {
        // NaN beyond |x₀| > 1.5: trajectories that cross the edge hit NaN values and gradients.
        var density = Restricted(2, x => x[.., 0].abs() > ConstantScalars.Of(1.5), double.NaN);
        var run = HamiltonianSampler.Sample(density, new SamplingOptions { Chains = 2, Seed = 4, NumWarmup = 200, NumSamples = 200 },
            (_, _) => new[] { 0.1, 0.2 }).GetRunOrThrow();
        var draws = run.Chains.SelectMany(c => c.Samples).ToArray();
        Assert.Contains(draws, d => d.Divergent);
        Assert.All(draws, d => Assert.True(Math.Abs(d.Position[0]) <= 1.5 && double.IsFinite(d.LogDensity)));
    }

    [Fact]
    public void CancellationStopsCleanlyWithTheDrawsSoFar()
    {
        var (_, precision) = GaussianFixtures.Ar1(5, 0.3);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Chains.Min(c => c.Iteration) >= 60) cts.Cancel();
        });
        var run = HamiltonianSampler.Sample(new GaussianDensity(new double[5], precision),
            new SamplingOptions { Chains = 2, Seed = 2, NumWarmup = 50, NumSamples = 100000, ProgressInterval = TimeSpan.Zero },
            InitialPositions.Uniform(5, 2), progress, cancellationToken: cts.Token).GetRunOrThrow();
        Assert.Equal(StopReason.Cancelled, run.StopReason);
        Assert.All(run.Chains, c =>
        {
            Assert.InRange(c.IterationsCompleted, 60, 100);
            Assert.Equal(c.IterationsCompleted - 50, c.Samples.Count);
        });
        var last = progress.Reports[^1];
        Assert.Equal(run.Chains.Select(c => c.IterationsCompleted), last.Chains.Select(c => c.Iteration));
        Assert.All(last.Chains, c => Assert.False(c.InWarmup));
    }

    [Fact]
    public void TimeLimitStopsCleanly()
    {
        var (_, precision) = GaussianFixtures.Ar1(5, 0.3);
        var run = HamiltonianSampler.Sample(new GaussianDensity(new double[5], precision),
            new SamplingOptions { Chains = 2, Seed = 2, NumWarmup = 100, NumSamples = 10_000_000, TimeLimit = TimeSpan.FromMilliseconds(800) },
            InitialPositions.Uniform(5, 2)).GetRunOrThrow();
        Assert.Equal(StopReason.TimeLimit, run.StopReason);
        // One batched evaluation takes well under a second even on a loaded machine, so the run ends soon after the limit.
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(10));
        Assert.All(run.Chains, c => Assert.True(c.Samples.Count > 0));
    }

    [Fact]
    public void ProgressReportsEveryChain()
    {
        var (_, precision) = GaussianFixtures.Ar1(3, 0.3);
        var progress = new SynchronousProgress(_ => { });
        var run = HamiltonianSampler.Sample(new GaussianDensity(new double[3], precision),
            new SamplingOptions { Chains = 3, Seed = 2, NumWarmup = 30, NumSamples = 30, ProgressInterval = TimeSpan.Zero },
            InitialPositions.Uniform(3, 2), progress).GetRunOrThrow();
        var final = progress.Reports[^1];
        Assert.Equal(new[] { 1, 2, 3 }, final.Chains.Select(c => c.ChainId));
        Assert.All(final.Chains, c => Assert.Equal(60, c.Iteration));
        Assert.All(final.Chains, c => Assert.True(c.StepSize > 0 && c.GradientEvaluations > 60));
        Assert.True(progress.Reports.Count > 10);
        Assert.Equal(StopReason.Completed, run.StopReason);
    }

    [Fact]
    public void AutogradGradientMatchesFiniteDifferences()
    {
        // Float64 central differences with h = 1e-6 have truncation error ~h² and round-off ~1e-16/h: below 1e-7.
        var density = EightSchools.Density();
        var x = new[] { 1.2, 0.4, 0.3, -0.5, 1.1, 0.0, -1.3, 0.7, 0.2, -0.9 };
        var at = Ppl.Runtime.Inference.Mcmc.BatchedEvaluation.Evaluate(density, new[] { x })[0];
        const double h = 1e-6;
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            var e = Ppl.Runtime.Inference.Mcmc.BatchedEvaluation.Evaluate(density, new[] { plus, minus });
            double fd = (e[0].LogDensity - e[1].LogDensity) / (2 * h);
            Assert.True(Math.Abs(fd - at.Gradient[i]) < 1e-7, $"coordinate {i}: {fd} vs {at.Gradient[i]}");
        }
        var funnel = new FunnelDensity(4);
        var y = new[] { 0.7, -0.2, 0.5, 1.4 };
        var g = Ppl.Runtime.Inference.Mcmc.BatchedEvaluation.Evaluate(funnel, new[] { y })[0];
        for (int i = 0; i < y.Length; i++)
        {
            var plus = (double[])y.Clone();
            var minus = (double[])y.Clone();
            plus[i] += h;
            minus[i] -= h;
            var e = Ppl.Runtime.Inference.Mcmc.BatchedEvaluation.Evaluate(funnel, new[] { plus, minus });
            Assert.True(Math.Abs((e[0].LogDensity - e[1].LogDensity) / (2 * h) - g.Gradient[i]) < 1e-7);
        }
    }
}
