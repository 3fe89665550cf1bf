using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Tests.Shared;
using Xunit.Abstractions;

namespace Ppl.Inference.Tests;

/// <summary>ChEES-HMC recovers known posteriors; its pieces (Halton jitter, harmonic mean, ChEES gradient, Adam) do what
/// their formulas say.</summary>
public class CheesTests(ITestOutputHelper output)
{
    private static SamplingOptions Options(int chains, int warmup, int draws, ulong seed) => new()
    {
        Algorithm = SamplerAlgorithm.Chees, Chains = chains, Superchains = 8, Seed = seed, NumWarmup = warmup, NumSamples = draws,
        AdaptDelta = CheesSampler.DefaultTargetAcceptance,
    };

    private void Describe(SamplingRun run)
    {
        var c = run.Chains[0];
        output.WriteLine($"step {c.StepSize:G4}, T {c.TrajectoryLength:G4}, calls {run.BatchedCalls}, gradients {run.Chains.Sum(x => x.GradientEvaluations)}, {run.Elapsed.TotalSeconds:F2} s");
        foreach (var m in c.Messages) output.WriteLine(m);
    }

    [Fact]
    public void CorrelatedGaussianIn100Dimensions()
    {
        const int d = 100;
        var (covariance, precision) = GaussianFixtures.Ar1(d, 0.8);
        var mean = Enumerable.Range(0, d).Select(i => Math.Sin(i)).ToArray();
        var run = HamiltonianSampler.Sample(new GaussianDensity(mean, precision), Options(64, 200, 50, 11), InitialPositions.Uniform(d, 11)).GetRunOrThrow();
        Describe(run);
        var summary = PosteriorSummary.FromRun(run);
        output.WriteLine($"min bulk ESS {summary.Rows.Min(r => r.EssBulk):F0}, max R-hat {summary.Rows.Max(r => r.RHat):F4}, max nR-hat {summary.Rows.Max(r => r.NestedRHat):F4}");
        // 4 MCSE: over 100 coordinates × 2 moments a correct sampler fails this with probability ~1% (fixed seed).
        for (int i = 0; i < d; i++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, i), mean[i], Math.Sqrt(covariance[i, i]), 4, $"x[{i}]");
        Assert.True(SamplerDiagnostics.Assess(run).Sum(c => c.Divergences) == 0);
        Assert.All(summary.Rows, r => Assert.True(r.NestedRHat < 1.01, $"{r.Name}: nested R-hat {r.NestedRHat}"));
    }

    [Fact]
    public void EightSchoolsNonCentred()
    {
        var run = HamiltonianSampler.Sample(EightSchools.Density(), Options(128, 200, 50, 2025), InitialPositions.Uniform(10, 2025)).GetRunOrThrow();
        Describe(run);
        var summary = PosteriorSummary.FromRun(run);
        output.WriteLine($"min bulk ESS {summary.Rows.Min(r => r.EssBulk):F0}, max R-hat {summary.Rows.Max(r => r.RHat):F4}, max nR-hat {summary.Rows.Max(r => r.NestedRHat):F4}");
        output.WriteLine($"mu {PosteriorChecks.Column(run, 0).SelectMany(x => x).Average():F3}, tau {PosteriorChecks.Column(run, x => Math.Exp(x[1])).SelectMany(x => x).Average():F3}");
        // posteriordb eight_schools_noncentered: μ 4.4 ± 3.3, τ 3.6 ± 3.2, quoted to 0.1: 0.05 of rounding on top of 4 MCSE.
        PosteriorMoments.Assert(PosteriorChecks.Column(run, 0), 4.4, 3.3, 4, "mu", slack: 0.05);
        PosteriorMoments.Assert(PosteriorChecks.Column(run, x => Math.Exp(x[1])), 3.6, 3.2, 4, "tau", slack: 0.05);
    }

    [Fact]
    public void DenseCrossChainMetricLearnsTheCovarianceOfAStronglyCorrelatedGaussian()
    {
        // AR(1) with ρ = 0.99: neighbours correlate at 0.99, so a diagonal metric leaves a condition number of ~200.
        const int d = 10;
        var (covariance, precision) = GaussianFixtures.Ar1(d, 0.99);
        var mean = Enumerable.Range(0, d).Select(i => 0.5 * i).ToArray();
        var options = Options(64, 200, 50, 7) with { Metric = MetricKind.Dense };
        var run = HamiltonianSampler.Sample(new GaussianDensity(mean, precision), options, InitialPositions.Uniform(d, 7)).GetRunOrThrow();
        Describe(run);
        var metric = Assert.IsType<DenseMetric>(run.Chains[0].Metric);
        var learned = metric.InverseMass();
        // The learned M⁻¹ is the covariance up to the sampling error of 64 chains: correlations within 0.05 and
        // variances within 50 %.
        for (int i = 0; i + 1 < d; i++)
            Assert.InRange(learned[i, i + 1] / Math.Sqrt(learned[i, i] * learned[i + 1, i + 1]), 0.94, 1.0);
        for (int i = 0; i < d; i++) Assert.InRange(learned[i, i] / covariance[i, i], 0.5, 1.5);
        for (int i = 0; i < d; i++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, i), mean[i], Math.Sqrt(covariance[i, i]), 4, $"x[{i}]");
        // With the covariance learned the shared step is of the order of the largest scale (√(1 + ρ) ≈ 1.4 in the
        // whitened space, ~0.1 along the narrowest direction with a diagonal metric).
        Assert.True(run.Chains[0].StepSize > 0.3, $"step size {run.Chains[0].StepSize}");
    }

    [Fact]
    public void HaltonJitterIsTheBase2VanDerCorputSequence()
    {
        Assert.Equal(new[] { 0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875 }, Enumerable.Range(1, 7).Select(i => ChainEnsembleStatistics.Halton(i)).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => ChainEnsembleStatistics.Halton(0));
    }

    [Fact]
    public void HarmonicMeanSkipsDivergentChainsAndIsZeroForACertainRejection()
    {
        Assert.Equal(0.75, ChainEnsembleStatistics.HarmonicMeanAcceptance(new[] { 0.5, 1, 1 }, new[] { false, false, false }), 14);
        Assert.Equal(0.5, ChainEnsembleStatistics.HarmonicMeanAcceptance(new[] { 0.5, 0, 1.7 }, new[] { false, true, true }), 14);
        Assert.Equal(0, ChainEnsembleStatistics.HarmonicMeanAcceptance(new[] { 0.5, 0.0 }, new[] { false, false }));
        Assert.Equal(0, ChainEnsembleStatistics.HarmonicMeanAcceptance(new[] { 0.5 }, new[] { true }));
    }

    [Fact]
    public void CheesGradientMatchesAHandComputedValue()
    {
        // Starts 0, 2 (mean 1); proposals 1, 5 with acceptance 1, 0.5 (weighted mean 3.5/1.5); velocities 1, −1; t = 2:
        // g_i = t (‖q′_i − q̄′‖² − ‖q_i − q̄‖²)(q′_i − q̄′)·v_i, weighted by acceptance: −12.246913580246913.
        double g = ChainEnsembleStatistics.CheesGradient(new[] { new[] { 0.0 }, new[] { 2.0 } }, new[] { new[] { 1.0 }, new[] { 5.0 } },
            new[] { new[] { 1.0 }, new[] { -1.0 } }, new[] { 1.0, 0.5 }, 2);
        Assert.Equal(-12.246913580246913, g, 12);
        // A diverged chain (no proposal) has no weight; with none left the estimate is NaN.
        Assert.True(double.IsNaN(ChainEnsembleStatistics.CheesGradient(new[] { new[] { 0.0 } }, new double[]?[] { null }, new double[]?[] { null }, new[] { 0.0 }, 1)));
    }

    [Fact]
    public void CheesGradientIsTheDerivativeOfTheCriterionInLogT()
    {
        // Exact Hamiltonian flow of N(0, I₃) with unit metric: q(t) = q₀ cos t + p₀ sin t, v(t) = −q₀ sin t + p₀ cos t. With
        // the centres held at their values at t₀ (the estimator treats them as constants), the estimate at t₀ equals the
        // derivative of ¼ mean((‖q(t) − q̄′‖² − ‖q₀ − q̄‖²)²) with respect to log t, checked by central differences.
        const int chains = 500, d = 3;
        const double t0 = 1.3, h = 1e-5;
        var random = new CounterRandom(5);
        var q0 = Enumerable.Range(0, chains).Select(i => random.Substream((ulong)i).StandardNormals(d)).ToArray();
        var p0 = Enumerable.Range(0, chains).Select(i => random.Substream((ulong)(chains + i)).StandardNormals(d)).ToArray();
        double[] At(int i, double t) => Enumerable.Range(0, d).Select(j => q0[i][j] * Math.Cos(t) + p0[i][j] * Math.Sin(t)).ToArray();
        double[] Velocity(int i, double t) => Enumerable.Range(0, d).Select(j => -q0[i][j] * Math.Sin(t) + p0[i][j] * Math.Cos(t)).ToArray();
        double[] Mean(IEnumerable<double[]> xs) { var a = xs.ToArray(); return Enumerable.Range(0, d).Select(j => a.Average(x => x[j])).ToArray(); }
        var startMean = Mean(q0);
        var endMean = Mean(Enumerable.Range(0, chains).Select(i => At(i, t0)));
        double Square(double[] x, double[] m) => x.Select((v, j) => (v - m[j]) * (v - m[j])).Sum();
        double Criterion(double t) => Enumerable.Range(0, chains).Average(i =>
        {
            double diff = Square(At(i, t), endMean) - Square(q0[i], startMean);
            return 0.25 * diff * diff;
        });
        double numeric = (Criterion(t0 * Math.Exp(h)) - Criterion(t0 * Math.Exp(-h))) / (2 * h);
        double estimate = ChainEnsembleStatistics.CheesGradient(q0, Enumerable.Range(0, chains).Select(i => At(i, t0)).ToArray(),
            Enumerable.Range(0, chains).Select(i => Velocity(i, t0)).ToArray(), Enumerable.Repeat(1.0, chains).ToArray(), t0);
        Assert.Equal(numeric, estimate, 1e-6 * Math.Max(1, Math.Abs(numeric)));
    }

    [Fact]
    public void AdamStepsByTheLearningRateFirstAndIsClipped()
    {
        // β₁ = 0: the first bias-corrected step is α·g/|g|.
        var a = TrajectoryLengthAdaptation.Start(1, 0.025);
        Assert.Equal(0.025, a.Update(3.7).LogLength, 8);
        Assert.Equal(-0.025, a.Update(-0.5).LogLength, 8);
        Assert.Equal(0, a.Update(double.NaN).LogLength);
        Assert.Equal(TrajectoryLengthAdaptation.MaxLogUpdate, TrajectoryLengthAdaptation.Start(1, 5).Update(1).LogLength, 12);
        // The average is exp(mean log T) over accumulated iterations; the clamp keeps T within [ε, steps·ε].
        var averaged = a.Accumulate().Update(1).Accumulate();
        Assert.Equal(Math.Exp(0.0125), averaged.AveragedLength, 8);
        Assert.Equal(0.8, a.Clamp(0.5, 0.8).Length, 12);
        Assert.Equal(2, a.Clamp(2, 100).Length, 12);
    }

    [Fact]
    public void SuperchainsStartTogetherAndOptionsAreChecked()
    {
        var options = Options(16, 0, 2, 3) with { Superchains = 4, AdaptEngaged = false, InitialTrajectoryLength = 0.5, InitialStepSize = 0.1 };
        var starts = new List<int>();
        var run = CheesSampler.Sample(EightSchools.Density(), options, (id, attempt) =>
        {
            starts.Add(id);
            return InitialPositions.Uniform(10, 3)(id, attempt);
        }).GetRunOrThrow();
        // Chains 1–4 start from chain 1's point, 5–8 from chain 5's, ...
        Assert.Equal(new[] { 1, 5, 9, 13 }, starts.Distinct().OrderBy(i => i).ToArray());
        Assert.Equal(16, run.Chains.Count);
        Assert.All(run.Chains, c => Assert.Equal(2, c.Samples.Count));
        // All chains advance together: one batched call per leapfrog step (5 steps of 0.1 per iteration at most).
        Assert.True(run.BatchedCalls <= 1 + 2 * 5, $"{run.BatchedCalls} calls");

        Assert.Equal(SamplingErrorKind.InvalidOptions, CheesSampler.Sample(EightSchools.Density(), options with { Superchains = 3 }, InitialPositions.Uniform(10, 3)).Error!.Kind);
        Assert.Equal(SamplingErrorKind.InvalidOptions, CheesSampler.Sample(EightSchools.Density(), options with { Chains = 1, Superchains = null }, InitialPositions.Uniform(10, 3)).Error!.Kind);
        const int tooMany = SamplingOptions.MaxCheesDenseDimension + 1;
        var wide = new GaussianDensity(new double[tooMany], GaussianFixtures.Ar1(tooMany, 0.5).Precision);
        var refused = CheesSampler.Sample(wide, options with { Metric = MetricKind.Dense }, InitialPositions.Uniform(tooMany, 3)).Error!;
        Assert.Equal(SamplingErrorKind.InvalidOptions, refused.Kind);
        Assert.Contains("dense metric", refused.Message);
    }

    [Fact]
    public void ChainsStuckWhereTheSharedStepIsTooLargeAreMovedDuringWarmup()
    {
        // log π = −Σ x⁴ in 2-D: from x = (20, 20) the gradient is ~32,000, so a step size fitted to the other chains (~0.5)
        // diverges there every iteration. Without the rescue the first superchain (8 chains) would never move.
        var density = new Ppl.Runtime.Inference.AutogradLogDensityFunction(2,
            x => -Ppl.Runtime.Tensors.TensorArithmetic.Square(Ppl.Runtime.Tensors.TensorArithmetic.Square(x)).sum(1));
        var options = Options(32, 100, 50, 4) with { Superchains = 4 };
        var run = CheesSampler.Sample(density, options, (id, attempt) => id == 1 ? new[] { 20.0, 20.0 } : InitialPositions.Uniform(2, 4)(id, attempt)).GetRunOrThrow();
        Assert.Contains(run.Chains[0].Messages, m => m.Contains("was moved to another chain's position", StringComparison.Ordinal));
        Assert.All(run.Chains, c => Assert.All(c.Samples, d => Assert.True(Math.Abs(d.Position[0]) < 3 && Math.Abs(d.Position[1]) < 3)));
        Assert.Equal(0, run.Chains.Sum(c => c.Samples.Count(d => d.Divergent)));
    }
}
