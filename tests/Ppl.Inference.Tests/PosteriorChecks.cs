using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

/// <summary>Compares sampled moments with known ones, in units of their Monte Carlo standard errors.</summary>
internal static class PosteriorChecks
{
    public static double[][] Column(SamplingRun run, int coordinate) =>
        run.Chains.Select(c => c.Samples.Select(d => d.Position[coordinate]).ToArray()).ToArray();

    public static double[][] Column(SamplingRun run, Func<double[], double> f) =>
        run.Chains.Select(c => c.Samples.Select(d => f(d.Position)).ToArray()).ToArray();

    /// <summary>Asserts |mean − expected| ≤ k·MCSE(mean) + slack and |sd − expected| ≤ k·MCSE(sd) + slack.</summary>
    public static void AssertMoments(double[][] chains, double expectedMean, double expectedSd, double k, string what, double slack = 0)
    {
        var pooled = ConvergenceDiagnostics.Pool(chains);
        double mean = pooled.Average();
        double sd = ConvergenceDiagnostics.StandardDeviation(pooled);
        double mcseMean = ConvergenceDiagnostics.McseMean(chains);
        double mcseSd = ConvergenceDiagnostics.McseSd(chains);
        Assert.True(Math.Abs(mean - expectedMean) <= k * mcseMean + slack,
            $"{what}: mean {mean:G5} vs {expectedMean:G5} (MCSE {mcseMean:G3})");
        Assert.True(Math.Abs(sd - expectedSd) <= k * mcseSd + slack,
            $"{what}: sd {sd:G5} vs {expectedSd:G5} (MCSE {mcseSd:G3})");
    }
}
