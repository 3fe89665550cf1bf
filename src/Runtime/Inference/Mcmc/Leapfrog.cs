namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// The leapfrog (velocity Verlet) integrator, split at the one point where it needs the model: <see cref="Drift"/>
/// takes the first half kick and the full drift and says where the gradient is needed; <see cref="Land"/> takes the
/// second half kick once the gradient there is known. With V = −log π: p ← p + ε/2 ∇log π(q); q ← q + ε M⁻¹p;
/// p ← p + ε/2 ∇log π(q). A negative ε integrates backwards in time.
/// </summary>
public static class Leapfrog
{
    /// <summary>The first half kick and the drift from <paramref name="from"/>.</summary>
    public static LeapfrogDrift Drift(PhasePoint from, double stepSize, EuclideanMetric metric)
    {
        var halfMomentum = VectorMath.AddScaled(from.Momentum, 0.5 * stepSize, from.Gradient);
        var position = VectorMath.AddScaled(from.Position, stepSize, metric.Velocity(halfMomentum));
        return new LeapfrogDrift(position, halfMomentum, stepSize);
    }

    /// <summary>The second half kick, given the density at the drifted position.</summary>
    public static PhasePoint Land(LeapfrogDrift drift, DensityEvaluation evaluation)
    {
        var momentum = VectorMath.AddScaled(drift.HalfMomentum, 0.5 * drift.StepSize, evaluation.Gradient);
        return new PhasePoint(drift.Position, momentum, evaluation.LogDensity, evaluation.Gradient);
    }
}

/// <summary>A leapfrog step waiting for the gradient at its new position.</summary>
/// <param name="Position">The position after the drift, where the density is needed.</param>
/// <param name="HalfMomentum">The momentum after the first half kick.</param>
/// <param name="StepSize">The signed step size.</param>
public sealed record LeapfrogDrift(double[] Position, double[] HalfMomentum, double StepSize);
