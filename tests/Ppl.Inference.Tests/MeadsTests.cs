using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Tests.Shared;
using Xunit.Abstractions;

namespace Ppl.Inference.Tests;

/// <summary>MEADS recovers known posteriors; its pieces (the eigenvalue estimate, the parameters, the generalised HMC
/// step with its persistent slice) do what their formulas say.</summary>
public class MeadsTests(ITestOutputHelper output)
{
    private static SamplingOptions Options(int chains, int warmup, int draws, ulong seed) => new()
    {
        Algorithm = SamplerAlgorithm.Meads, Chains = chains, Superchains = 8, Seed = seed, NumWarmup = warmup, NumSamples = draws,
    };

    private void Describe(SamplingRun run)
    {
        var summary = PosteriorSummary.FromRun(run);
        output.WriteLine($"calls {run.BatchedCalls}, gradients {run.Chains.Sum(x => x.GradientEvaluations)}, {run.Elapsed.TotalSeconds:F2} s; " +
            $"min bulk ESS {summary.Rows.Min(r => r.EssBulk):F0}, max R-hat {summary.Rows.Max(r => r.RHat):F4}, max nR-hat {summary.Rows.Max(r => r.NestedRHat):F4}");
        foreach (var m in run.Chains[0].Messages) output.WriteLine(m);
    }

    [Fact]
    public void CorrelatedGaussianIn100Dimensions()
    {
        const int d = 100;
        var (covariance, precision) = GaussianFixtures.Ar1(d, 0.8);
        var mean = Enumerable.Range(0, d).Select(i => Math.Sin(i)).ToArray();
        var run = HamiltonianSampler.Sample(new GaussianDensity(mean, precision), Options(64, 150, 100, 11), InitialPositions.Uniform(d, 11)).GetRunOrThrow();
        Describe(run);
        // 4 MCSE: over 100 coordinates × 2 moments a correct sampler fails this with probability ~1% (fixed seed).
        for (int i = 0; i < d; i++)
            PosteriorMoments.Assert(PosteriorChecks.Column(run, i), mean[i], Math.Sqrt(covariance[i, i]), 4, $"x[{i}]");
        Assert.Equal(0, run.Chains.Sum(c => c.Samples.Count(x => x.Divergent)));
        Assert.All(PosteriorSummary.FromRun(run).Rows, r => Assert.True(r.NestedRHat < 1.01, $"{r.Name}: nested R-hat {r.NestedRHat}"));
        // One batched call per step: initialisation, then (warm-up + draws) × steps per draw.
        Assert.True(run.BatchedCalls <= 250 * 10 + 10, $"{run.BatchedCalls} calls");
    }

    [Fact]
    public void EightSchoolsNonCentred()
    {
        var run = HamiltonianSampler.Sample(EightSchools.Density(), Options(128, 100, 50, 2025), InitialPositions.Uniform(10, 2025)).GetRunOrThrow();
        Describe(run);
        output.WriteLine($"mu {PosteriorChecks.Column(run, 0).SelectMany(x => x).Average():F3}, tau {PosteriorChecks.Column(run, x => Math.Exp(x[1])).SelectMany(x => x).Average():F3}");
        // posteriordb eight_schools_noncentered: μ 4.4 ± 3.3, τ 3.6 ± 3.2, quoted to 0.1: 0.05 of rounding on top of 4 MCSE.
        PosteriorMoments.Assert(PosteriorChecks.Column(run, 0), 4.4, 3.3, 4, "mu", slack: 0.05);
        PosteriorMoments.Assert(PosteriorChecks.Column(run, x => Math.Exp(x[1])), 3.6, 3.2, 4, "tau", slack: 0.05);
    }

    [Fact]
    public void MaximumEigenvalueEstimateIsTraceOfSquareOverTrace()
    {
        // Rows with E[x xᵀ] = diag(9, 1, 1): tr(Σ²)/tr(Σ) = 83/11 ≈ 7.55 (between the mean eigenvalue 3.7 and the largest, 9).
        var random = CounterRandom.ForChain(5, 1);
        var rows = Enumerable.Range(0, 4000).Select(i =>
        {
            var z = random.Substream((ulong)i).StandardNormals(3);
            return new[] { 3 * z[0], z[1], z[2] };
        }).ToArray();
        Assert.InRange(MeadsParameters.MaximumEigenvalue(rows), 83.0 / 11 * 0.95, 83.0 / 11 * 1.05);
        // Exact on hand-sized input, and the same by both Gram forms (d < n and d ≥ n).
        var small = new[] { new[] { 1.0, 0.0 }, new[] { 1.0, 1.0 }, new[] { 0.0, 2.0 } };
        // Pairs (x_i·x_j)²: (1·1)² = 1, (1·0 + 0·2)² = 0, (0 + 2)² = 4 → twice 5 over n(n−1) = 6; trace (1 + 2 + 4)/3.
        Assert.Equal(10.0 / 6 / (7.0 / 3), MeadsParameters.MaximumEigenvalue(small), 12);
        var wide = small.Take(2).ToArray();
        Assert.Equal(2.0 / 2 / (3.0 / 2), MeadsParameters.MaximumEigenvalue(wide), 12);
    }

    [Fact]
    public void ParametersFollowThePaperFormulas()
    {
        // Positions with sd (2, 1) and unit-Gaussian gradients of a target N(0, diag(4, 1)): in the preconditioned space
        // the curvature is 1, so ε = ½; the damping floor 1/((t + 1) ε) = 2 dominates at step 0 and 1/√λ_q later.
        var random = CounterRandom.ForChain(9, 2);
        var positions = Enumerable.Range(0, 2000).Select(i => random.Substream((ulong)i).StandardNormals(2)).Select(z => new[] { 2 * z[0], z[1] }).ToArray();
        var gradients = positions.Select(q => new[] { -q[0] / 4, -q[1] }).ToArray();
        var early = MeadsParameters.FromFold(positions, gradients, 0)!;
        Assert.InRange(early.StepSize, 0.45, 0.55);
        Assert.Equal(1 / early.StepSize, early.Damping, 12);
        Assert.Equal(1 - Math.Exp(-2 * early.StepSize * early.Damping), early.Refresh, 12);
        Assert.Equal(early.Refresh / 2, early.SliceDrift, 12);
        Assert.InRange(early.Metric.InverseMassDiagonal()[0], 3.6, 4.4);
        var late = MeadsParameters.FromFold(positions, gradients, 10_000)!;
        Assert.InRange(late.Damping, 0.9, 1.1);   // uncorrelated coordinates: the correlation matrix is I, λ_q ≈ 1
    }

    [Fact]
    public void SliceAcceptsBelowExpMinusEnergyErrorAndRejectionNegatesTheMomentum()
    {
        var metric = EuclideanMetric.Unit(1);
        var parameters = new MeadsParameters(0.5, 1, 0.2, 0.1, metric);
        var start = new PhasePoint(new[] { 0.0 }, new[] { 1.0 }, 0.0, new[] { 0.0 });
        var drift = Leapfrog.Drift(start, 0.5, metric);
        // Target log π(q) = −q²/2 (energy error of one step from (0, 1) with ε = 0.5 is small and positive or negative).
        var landing = new DensityEvaluation(-drift.Position[0] * drift.Position[0] / 2, new[] { -drift.Position[0] });
        var proposal = Leapfrog.Land(drift, landing);
        double energyError = metric.Hamiltonian(proposal) - metric.Hamiltonian(start);
        // Slice −0.95 drifts to −0.85: accepted iff 0.85 < exp(−ΔH).
        var outcome = GeneralisedHmcStep.Complete(start, drift, landing, -0.95, parameters, 1000);
        Assert.Equal(Math.Log(0.85) < -energyError, outcome.Accepted);
        // A slice drifting to 0.999… always rejects unless ΔH < 0; with ΔH forced large by a steep landing it rejects.
        var steep = new DensityEvaluation(-50, new[] { 0.0 });
        var rejected = GeneralisedHmcStep.Complete(start, drift, steep, 0.8, parameters, 1000);
        Assert.False(rejected.Accepted);
        Assert.Equal(new[] { -1.0 }, rejected.Point.Momentum);
        Assert.Equal(start.Position, rejected.Point.Position);
        Assert.Equal(0.9, rejected.Slice, 12);
        // Divergent: energy error above the threshold.
        Assert.True(GeneralisedHmcStep.Complete(start, drift, steep, 0.8, parameters, 10).Divergent);
    }

    [Fact]
    public void ChainsStuckWhereTheFoldsStepIsTooLargeAreMovedDuringWarmup()
    {
        // log π = −Σ x⁴ in 2-D: from x = (200, 200) the gradient is ~3·10⁷, so a step size tuned on the other chains
        // diverges there every step (this happened on eight schools: one chain of 512 stayed at μ = 282 for the whole run).
        // From (20, 20) a chain still finds its way in by itself.
        var density = new Ppl.Runtime.Inference.AutogradLogDensityFunction(2,
            x => -Ppl.Runtime.Tensors.TensorArithmetic.Square(Ppl.Runtime.Tensors.TensorArithmetic.Square(x)).sum(1));
        var options = Options(32, 60, 30, 4) with { Superchains = null };
        var run = MeadsSampler.Sample(density, options, (id, attempt) => id == 1 ? new[] { 200.0, 200.0 } : InitialPositions.Uniform(2, 4)(id, attempt)).GetRunOrThrow();
        output.WriteLine(string.Join("\n", run.Chains[0].Messages));
        output.WriteLine(string.Join(" ", run.Chains[0].Samples.Take(5).Select(d => $"({d.Position[0]:G3}, {d.Position[1]:G3}) {d.AcceptStat:G3} {d.Divergent}")));
        Assert.Contains(run.Chains[0].Messages, m => m.Contains("was moved to another chain's position", StringComparison.Ordinal));
        Assert.All(run.Chains, c => Assert.All(c.Samples, d => Assert.True(Math.Abs(d.Position[0]) < 3 && Math.Abs(d.Position[1]) < 3)));
    }

    [Fact]
    public void OptionsAreChecked()
    {
        var density = EightSchools.Density();
        foreach (var bad in new[]
        {
            Options(7, 10, 10, 1) with { Superchains = null },          // fewer than 2 chains per fold
            Options(16, 10, 10, 1) with { MeadsFolds = 1 },
            Options(16, 10, 10, 1) with { MeadsStepsPerDraw = 0 },
            Options(16, 10, 10, 1) with { Metric = MetricKind.Dense },
        })
            Assert.Equal(SamplingErrorKind.InvalidOptions, HamiltonianSampler.Sample(density, bad, InitialPositions.Uniform(10, 1)).Error!.Kind);
    }
}
