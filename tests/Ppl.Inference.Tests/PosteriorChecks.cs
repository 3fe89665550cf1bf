using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

/// <summary>Compares sampled moments with known ones, in units of their Monte Carlo standard errors.</summary>
internal static class PosteriorChecks
{
    public static double[][] Column(SamplingRun run, int coordinate) =>
        run.Chains.Select(c => c.Samples.Select(d => d.Position[coordinate]).ToArray()).ToArray();

    public static double[][] Column(SamplingRun run, Func<double[], double> f) =>
        run.Chains.Select(c => c.Samples.Select(d => f(d.Position)).ToArray()).ToArray();

}
