using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Metrics;

/// <summary>
/// Expected coverage of highest-density credible regions: for each test simulation, the credibility
/// level α at which θ* sits on the region's boundary is the fraction of posterior samples with a higher
/// density than θ*. A calibrated posterior covers θ* at level γ in a fraction γ of the simulations.
/// </summary>
public static class ExpectedCoverage
{
    /// <summary>Credibility levels [m] of the truths: truthLogProb [m] against sampleLogProbs [m, L].</summary>
    public static Tensor CredibilityOfTruth(Tensor truthLogProb, Tensor sampleLogProbs) =>
        sampleLogProbs.gt(truthLogProb.unsqueeze(1)).to_type(ScalarType.Float64).mean([1]);

    /// <summary>Empirical coverage at each nominal level: the fraction of truths whose credibility level is at most it.</summary>
    public static double[] Curve(Tensor credibilityOfTruth, IReadOnlyList<double> levels)
    {
        using var scope = NewDisposeScope();
        var alpha = credibilityOfTruth.to_type(ScalarType.Float64);
        return levels.Select(level => LevelCoverage(alpha, level)).ToArray();
    }

    private static double LevelCoverage(Tensor alpha, double level)
    {
        using var bound = level.ToScalar();
        return alpha.le(bound).to_type(ScalarType.Float64).mean().item<double>();
    }
}
