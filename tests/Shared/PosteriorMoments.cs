using Ppl.Runtime.Inference.Diagnostics;

namespace Ppl.Tests.Shared;

/// <summary>Moment checks of MCMC draws against known values, with tolerances in Monte Carlo standard errors.</summary>
public static class PosteriorMoments
{
    /// <summary>Asserts |mean − expected| ≤ k·MCSE(mean) + slack and |sd − expected| ≤ k·MCSE(sd) + slack.</summary>
    public static void Assert(double[][] chains, double expectedMean, double expectedSd, double k, string what, double slack = 0)
    {
        var pooled = ConvergenceDiagnostics.Pool(chains);
        double mean = pooled.Average();
        double sd = ConvergenceDiagnostics.StandardDeviation(pooled);
        double mcseMean = ConvergenceDiagnostics.McseMean(chains);
        double mcseSd = ConvergenceDiagnostics.McseSd(chains);
        Xunit.Assert.True(Math.Abs(mean - expectedMean) <= k * mcseMean + slack,
            $"{what}: mean {mean:G5} vs {expectedMean:G5} (MCSE {mcseMean:G3})");
        Xunit.Assert.True(Math.Abs(sd - expectedSd) <= k * mcseSd + slack,
            $"{what}: sd {sd:G5} vs {expectedSd:G5} (MCSE {mcseSd:G3})");
    }
}
