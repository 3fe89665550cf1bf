using Ppl.Tests.Shared;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Mcmc;
using static TorchSharp.torch;

namespace Ppl.Inference.Tests;

public class EightSchoolsTests
{
    private static SamplingOptions Options(int chains, int firstChainId = 1) =>
        new() { Chains = chains, FirstChainId = firstChainId, Seed = 2025, NumWarmup = 1000, NumSamples = 1000, AdaptDelta = 0.9 };

    [Fact]
    public void NonCentredPosteriorMatchesTheReference()
    {
        var run = HamiltonianSampler.Sample(EightSchools.Density(), Options(4), InitialPositions.Uniform(10, 2025)).GetRunOrThrow();

        // Reference posterior (posteriordb eight_schools_noncentered): μ 4.4 ± 3.3, τ 3.6 ± 3.2, quoted to 0.1, so
        // 0.05 of rounding is allowed on top of 4 Monte Carlo standard errors.
        PosteriorMoments.Assert(PosteriorChecks.Column(run, 0), 4.4, 3.3, 4, "mu", slack: 0.05);
        PosteriorMoments.Assert(PosteriorChecks.Column(run, x => Math.Exp(x[1])), 3.6, 3.2, 4, "tau", slack: 0.05);

        var health = SamplerDiagnostics.Assess(run);
        Assert.All(health, c => Assert.Equal(0, c.Divergences));
        Assert.All(health, c => Assert.True(c.EBfmi > 0.3));
        var summary = PosteriorSummary.FromRun(run);
        Assert.All(summary.Rows, r => Assert.True(r.RHat < 1.01, $"{r.Name}: R-hat {r.RHat}"));
        Assert.All(summary.Rows, r => Assert.True(r.EssBulk > 400, $"{r.Name}: bulk ESS {r.EssBulk}"));
    }

    [Fact]
    public void BatchedChainsEqualChainsRunAlone()
    {
        var options = Options(3) with { NumWarmup = 150, NumSamples = 100 };
        // The density is evaluated row by row in both runs, so each chain's density values are the same computation
        // whatever the batch (libtorch may round a [3, 10] and a [1, 10] evaluation differently in the last bit, which
        // NUTS would amplify); what is compared is the sampler's own per-chain arithmetic, which is managed code.
        var batched = HamiltonianSampler.Sample(new RowByRowDensity(EightSchools.Density()), options, InitialPositions.Uniform(10, 9)).GetRunOrThrow();
        for (int k = 0; k < 3; k++)
        {
            var alone = HamiltonianSampler.Sample(new RowByRowDensity(EightSchools.Density()), options with { Chains = 1, FirstChainId = 1 + k },
                InitialPositions.Uniform(10, 9)).GetRunOrThrow();
            var a = batched.Chains[k];
            var b = alone.Chains[0];
            Assert.Equal(a.ChainId, b.ChainId);
            Assert.Equal(a.StepSize, b.StepSize);
            Assert.Equal(a.GradientEvaluations, b.GradientEvaluations);
            Assert.Equal(a.Samples.Count, b.Samples.Count);
            for (int i = 0; i < a.Samples.Count; i++)
            {
                // Exact by construction: the same density values (row by row) and the same managed per-chain arithmetic.
                Assert.Equal(a.Samples[i].Position, b.Samples[i].Position);
                Assert.Equal(a.Samples[i].TreeDepth, b.Samples[i].TreeDepth);
                Assert.Equal(a.Samples[i].Energy, b.Samples[i].Energy);
            }
        }
        // Batching is the point: the batched run needs as many calls as its longest chain, not their sum.
        Assert.True(batched.BatchedCalls < batched.Chains.Sum(c => c.GradientEvaluations));
    }
}

/// <summary>Evaluates each row as a batch of one, so that a row's values do not depend on the other rows' count.</summary>
internal sealed class RowByRowDensity : ILogDensityFunction
{
    private readonly ILogDensityFunction _inner;

    public RowByRowDensity(ILogDensityFunction inner) => _inner = inner;

    public int Dimension => _inner.Dimension;

    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions)
    {
        using var scope = NewDisposeScope();
        var rows = Enumerable.Range(0, (int)positions.shape[0]).Select(i => _inner.Evaluate(positions.narrow(0, i, 1))).ToList();
        var logDensity = cat(rows.Select(r => r.LogDensity).ToList(), 0);
        var gradient = cat(rows.Select(r => r.Gradient).ToList(), 0);
        return (logDensity.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }
}
