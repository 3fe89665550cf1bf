using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

public class SmokeTests
{
    [Fact]
    public void NutsRunsOnAGaussian()
    {
        var (cov, prec) = GaussianFixtures.Ar1(10, 0.5);
        var density = new GaussianDensity(new double[10], prec);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var run = HamiltonianSampler.Sample(density, new SamplingOptions { Chains = 4, Seed = 1, NumWarmup = 500, NumSamples = 500 },
            InitialPositions.Uniform(10, 1)).GetRunOrThrow();
        var draws = run.Chains.SelectMany(c => c.Samples).ToArray();
        var mean0 = draws.Average(d => d.Position[0]);
        var var0 = draws.Average(d => d.Position[0] * d.Position[0]) - mean0 * mean0;
        Console.WriteLine($"calls {density.Calls} elapsed {sw.Elapsed} mean0 {mean0} var0 {var0} vs {cov[0,0]} eps {run.Chains[0].StepSize} accept {draws.Average(d => d.AcceptStat)} depth {draws.Average(d => d.TreeDepth)}");
        Assert.Equal(2000, draws.Length);
    }
}
