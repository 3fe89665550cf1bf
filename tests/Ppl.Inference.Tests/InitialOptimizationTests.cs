using Ppl.Tests.Shared;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

/// <summary>The L-BFGS initial optimisation (<see cref="LbfgsAscent"/>, <see cref="SamplingOptions.InitialOptimizationIterations"/>)
/// and the early tree-depth cap of warm-up (<see cref="SamplingOptions.EarlyMaxTreeDepth"/>).</summary>
public class InitialOptimizationTests
{
    private const int D = 20;

    private static (GaussianDensity Density, double[] Mean, double[,] Covariance, double[,] Precision) Gaussian()
    {
        // Correlation 0.9 and scales 0.5..2: condition number in the hundreds.
        var (covariance, precision) = GaussianFixtures.Ar1(D, 0.9);
        var mean = Enumerable.Range(0, D).Select(i => 3 * Math.Sin(i)).ToArray();
        return (new GaussianDensity(mean, precision), mean, covariance, precision);
    }

    private static DensityEvaluation EvaluateOne(GaussianDensity density, double[] x) =>
        BatchedEvaluation.Evaluate(density, new[] { x })[0];

    [Fact]
    public void AscentReachesTheModeOfAnIllConditionedGaussian()
    {
        var (density, mean, _, _) = Gaussian();
        var start = Enumerable.Repeat(25.0, D).ToArray();
        var outcome = LbfgsAscent.Start(start, EvaluateOne(density, start), maxIterations: 500, relativeTolerance: 1e-14)
            .RunToCompletion(x => EvaluateOne(density, x));

        Assert.NotEqual(LbfgsStop.IterationLimit, outcome.Stop);
        for (int i = 0; i < D; i++) Assert.True(Math.Abs(outcome.Position[i] - mean[i]) < 1e-5, $"x[{i}] = {outcome.Position[i]} vs {mean[i]}");
        // L-BFGS, not gradient ascent: at a condition number of a few thousand, gradient ascent would need thousands
        // of steps to reach this tolerance; L-BFGS with 10 pairs takes about 130.
        Assert.InRange(outcome.Iterations, 1, 200);
        Assert.True(outcome.Evaluations <= 2 * outcome.Iterations + 10, $"{outcome.Evaluations} evaluations for {outcome.Iterations} steps");
        // The outcome's evaluation is the density at its position.
        Assert.Equal(EvaluateOne(density, outcome.Position).LogDensity, outcome.Evaluation.LogDensity, 12);
    }

    [Fact]
    public void HeldCoordinatesStayAndTheRestReachTheConditionalMode()
    {
        const int held = 4;
        var (density, mean, _, precision) = Gaussian();
        var start = Enumerable.Range(0, D).Select(i => 10.0 - i).ToArray();
        var outcome = LbfgsAscent.Start(start, EvaluateOne(density, start), 500, 1e-14, held)
            .RunToCompletion(x => EvaluateOne(density, x));

        for (int i = 0; i < held; i++) Assert.Equal(start[i], outcome.Position[i]);
        // The conditional mode solves P_BB (x_B − m_B) = −P_BA (x_A − m_A): check the gradient in B vanishes instead.
        for (int i = held; i < D; i++)
        {
            double g = 0;
            for (int j = 0; j < D; j++) g -= precision[i, j] * (outcome.Position[j] - mean[j]);
            Assert.True(Math.Abs(g) < 1e-5, $"∂/∂x[{i}] = {g}");
        }
        // The reported gradient is the full one (the held coordinates' components are not zeroed).
        Assert.Contains(outcome.Evaluation.Gradient.Take(held), g => Math.Abs(g) > 1e-3);
    }

    [Fact]
    public void OptimisedStartsSampleTheRightMomentsAndCountTheirEvaluations()
    {
        var (density, mean, covariance, _) = Gaussian();
        // Starts 50 units out, far in the tails.
        InitialPositionSource far = (chain, _) => Enumerable.Repeat(50.0 * chain, D).ToArray();
        var options = new SamplingOptions { Chains = 4, Seed = 3, NumWarmup = 300, NumSamples = 500, InitialOptimizationIterations = 200, InitialOptimizationTolerance = 1e-10 };
        var run = HamiltonianSampler.Sample(density, options, far).GetRunOrThrow();

        for (int i = 0; i < D; i++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, i), mean[i], Math.Sqrt(covariance[i, i]), 4, $"x[{i}]");
        Assert.All(run.Chains, c => Assert.Contains(c.Messages, m => m.StartsWith("Initial optimisation:", StringComparison.Ordinal)));
        // The optimisation's evaluations are counted with the chain's: more than warm-up and sampling alone used.
        var plain = HamiltonianSampler.Sample(density, options with { InitialOptimizationIterations = 0 }, far).GetRunOrThrow();
        Assert.All(run.Chains, c => Assert.True(c.GradientEvaluations > c.Samples.Sum(d => (long)d.LeapfrogSteps)));
        Assert.NotEqual(plain.Chains[0].GradientEvaluations, run.Chains[0].GradientEvaluations);
    }

    [Fact]
    public void EarlyDepthCapHoldsUntilTheFirstMetricUpdate()
    {
        var (density, mean, covariance, _) = Gaussian();
        var options = new SamplingOptions { Chains = 2, Seed = 5, NumWarmup = 400, NumSamples = 500, EarlyMaxTreeDepth = 2, SaveWarmup = true };
        var run = HamiltonianSampler.Sample(density, options, InitialPositions.Uniform(D, 5)).GetRunOrThrow();
        var firstWindowEnd = AdaptationSchedule.Create(400).Windows[0].End;

        Assert.All(run.Chains, c => Assert.All(c.Warmup.Take(firstWindowEnd + 1), d => Assert.True(d.TreeDepth <= 2)));
        // After the first metric update the ordinary limit applies: this target needs deeper trees than 2 at the
        // adapted step size.
        Assert.Contains(run.Chains.SelectMany(c => c.Samples), d => d.TreeDepth > 2);
        for (int i = 0; i < D; i++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, i), mean[i], Math.Sqrt(covariance[i, i]), 4, $"x[{i}]");
    }

    [Fact]
    public void InvalidOptimisationSettingsAreRefused()
    {
        Assert.NotNull(new SamplingOptions { InitialOptimizationIterations = -1 }.Validate(3));
        Assert.NotNull(new SamplingOptions { InitialOptimizationHeld = 4 }.Validate(3));
        Assert.NotNull(new SamplingOptions { EarlyMaxTreeDepth = 0 }.Validate(3));
        Assert.Null(new SamplingOptions { InitialOptimizationIterations = 10, InitialOptimizationHeld = 3, EarlyMaxTreeDepth = 4 }.Validate(3));
    }
}
