namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// One step of generalised HMC with a persistent, non-reversible slice variable (Neal 2020), the kernel MEADS tunes:
/// the momentum is partly refreshed, p ← √(1 − α) p + √α ξ with ξ ~ N(0, M); one leapfrog step proposes (q', p');
/// the slice variable u ∈ (−1, 1) drifts, u ← ((u + 1 + δ) mod 2) − 1, and the proposal is accepted when
/// |u| &lt; exp(−ΔH) (then u ← u·exp(ΔH), which keeps |u| uniform); a rejection negates the momentum. Small δ makes
/// accepts and rejects come in runs, so a chain keeps its direction over many steps.
/// Split where the model is needed: <see cref="Start"/> says where the gradient is needed, <see cref="Complete"/> decides.
/// </summary>
public static class GeneralisedHmcStep
{
    /// <summary>The momentum refresh and leapfrog drift from <paramref name="from"/>; <paramref name="standardNormals"/>
    /// are D fresh standard normals.</summary>
    public static (PhasePoint Refreshed, LeapfrogDrift Drift) Start(PhasePoint from, MeadsParameters parameters, double[] standardNormals)
    {
        var fresh = parameters.Metric.MomentumFromStandardNormals(standardNormals);
        double keep = Math.Sqrt(1 - parameters.Refresh), mix = Math.Sqrt(parameters.Refresh);
        var momentum = new double[fresh.Length];
        for (int i = 0; i < momentum.Length; i++) momentum[i] = keep * from.Momentum[i] + mix * fresh[i];
        var refreshed = from.WithMomentum(momentum);
        return (refreshed, Leapfrog.Drift(refreshed, parameters.StepSize, parameters.Metric));
    }

    /// <summary>The accept/reject decision once the density at the drifted position is known.</summary>
    /// <param name="refreshed">The point after the momentum refresh (the start of the leapfrog step).</param>
    /// <param name="drift">The drift returned by <see cref="Start"/>.</param>
    /// <param name="evaluation">The density and gradient at the drifted position.</param>
    /// <param name="slice">The slice variable before this step.</param>
    /// <param name="parameters">The kernel's parameters.</param>
    /// <param name="maxEnergyError">Energy errors above this (or non-finite) are divergent.</param>
    public static GeneralisedHmcOutcome Complete(PhasePoint refreshed, LeapfrogDrift drift, DensityEvaluation evaluation, double slice,
        MeadsParameters parameters, double maxEnergyError)
    {
        var proposal = Leapfrog.Land(drift, evaluation);
        double h0 = parameters.Metric.Hamiltonian(refreshed), h1 = parameters.Metric.Hamiltonian(proposal);
        double energyError = h1 - h0;
        bool divergent = !double.IsFinite(energyError) || energyError > maxEnergyError;
        double u = (slice + 1 + parameters.SliceDrift) % 2.0 - 1;
        double acceptProbability = divergent ? 0 : Math.Min(1, Math.Exp(-energyError));
        if (!divergent && Math.Log(Math.Abs(u)) < -energyError)
            return new GeneralisedHmcOutcome(proposal, u * Math.Exp(energyError), true, acceptProbability, false, h1);
        var negated = refreshed.Momentum.Select(p => -p).ToArray();
        return new GeneralisedHmcOutcome(refreshed.WithMomentum(negated), u, false, acceptProbability, divergent, h0);
    }
}

/// <summary>The result of one generalised HMC step.</summary>
/// <param name="Point">The chain's new point (the proposal, or the old position with its momentum negated).</param>
/// <param name="Slice">The slice variable after the step.</param>
/// <param name="Accepted">Whether the proposal was accepted.</param>
/// <param name="AcceptProbability">min(1, exp(−ΔH)), 0 when divergent.</param>
/// <param name="Divergent">Whether the energy error was non-finite or above the threshold.</param>
/// <param name="Energy">The Hamiltonian at the new point.</param>
public sealed record GeneralisedHmcOutcome(PhasePoint Point, double Slice, bool Accepted, double AcceptProbability, bool Divergent, double Energy);
