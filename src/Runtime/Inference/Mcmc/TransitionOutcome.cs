namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>The result of one Markov transition, with the sampler statistics Stan reports per draw.</summary>
/// <param name="Point">The new state (its momentum is the one it was sampled with).</param>
/// <param name="AcceptStat">NUTS: the mean Metropolis acceptance probability over the trajectory; static HMC: min(1, e^{−ΔH}).</param>
/// <param name="StepSize">The step size used.</param>
/// <param name="TreeDepth">The number of trajectory doublings accepted (0 for static HMC).</param>
/// <param name="LeapfrogSteps">The number of leapfrog steps (gradient evaluations) taken.</param>
/// <param name="Divergent">True when the energy error exceeded the limit or became non-finite.</param>
/// <param name="Energy">The Hamiltonian at the returned point.</param>
/// <param name="Proposal">Static HMC: the end point of the trajectory, accepted or not, with its final momentum (null
/// when the trajectory diverged); the many-chain adaptation learns from it.</param>
public sealed record TransitionOutcome(
    PhasePoint Point,
    double AcceptStat,
    double StepSize,
    int TreeDepth,
    int LeapfrogSteps,
    bool Divergent,
    double Energy,
    PhasePoint? Proposal = null);
