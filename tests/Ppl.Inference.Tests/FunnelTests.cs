using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

public class FunnelTests
{
    [Fact]
    public void NealsFunnelDivergesAndTheDivergencesAreReported()
    {
        var run = HamiltonianSampler.Sample(new FunnelDensity(10),
            new SamplingOptions { Chains = 4, Seed = 31, NumWarmup = 300, NumSamples = 300, MaxTreeDepth = 8 },
            InitialPositions.Uniform(10, 31)).GetRunOrThrow();

        var health = SamplerDiagnostics.Assess(run);
        int divergent = health.Sum(c => c.Divergences);
        // The funnel's neck has curvature e^{-v}, which no single step size resolves: every chain that reaches it
        // diverges. Hundreds of draws per chain make zero divergences essentially impossible.
        Assert.True(divergent > 0, "no divergences reported on the funnel");
        for (int k = 0; k < run.Chains.Count; k++)
        {
            Assert.Equal(run.Chains[k].Samples.Count(d => d.Divergent), health[k].Divergences);
            // Every divergent draw is a real state: finite position and log density.
            Assert.All(run.Chains[k].Samples, d => Assert.True(double.IsFinite(d.LogDensity) && d.Position.All(double.IsFinite)));
        }
        string report = SamplerDiagnostics.Render(health, 8);
        Assert.Contains("ended with a divergence", report);
    }
}
