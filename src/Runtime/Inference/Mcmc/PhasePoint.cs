namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// A point of phase space with what the sampler knows about it: position q, momentum p, the log density log π(q)
/// (the negative potential energy) and its gradient. Arrays are never modified once a point is built.
/// </summary>
public sealed record PhasePoint(double[] Position, double[] Momentum, double LogDensity, double[] Gradient)
{
    /// <summary>The potential energy V(q) = −log π(q).</summary>
    public double PotentialEnergy => -LogDensity;

    /// <summary>True when the log density and every gradient element are finite.</summary>
    public bool IsFinite => DensityEvaluation.AllFinite(LogDensity, Gradient);

    /// <summary>A point at a position whose density has been evaluated, with zero momentum.</summary>
    public static PhasePoint AtRest(double[] position, DensityEvaluation evaluation) =>
        new(position, new double[position.Length], evaluation.LogDensity, evaluation.Gradient);

    /// <summary>The same point with another momentum.</summary>
    public PhasePoint WithMomentum(double[] momentum) => this with { Momentum = momentum };
}

/// <summary>The log density and its gradient at one position, as returned by a batched evaluation.</summary>
public readonly record struct DensityEvaluation(double LogDensity, double[] Gradient)
{
    /// <summary>True when the log density and every gradient element are finite.</summary>
    public bool IsFinite => AllFinite(LogDensity, Gradient);

    internal static bool AllFinite(double logDensity, double[] gradient)
    {
        if (!double.IsFinite(logDensity)) return false;
        foreach (var g in gradient)
            if (!double.IsFinite(g)) return false;
        return true;
    }
}
