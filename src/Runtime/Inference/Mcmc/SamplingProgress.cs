namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Where one chain stands.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="Iteration">Iterations completed (warm-up included).</param>
/// <param name="TotalIterations">Iterations planned (warm-up included).</param>
/// <param name="InWarmup">True while the chain is still warming up.</param>
/// <param name="Divergences">Divergent transitions so far (warm-up included).</param>
/// <param name="StepSize">The step size of the latest iteration.</param>
/// <param name="TreeDepth">The tree depth of the latest iteration.</param>
/// <param name="GradientEvaluations">Gradient evaluations so far.</param>
public sealed record ChainProgress(int ChainId, int Iteration, int TotalIterations, bool InWarmup, int Divergences, double StepSize, int TreeDepth, long GradientEvaluations);

/// <summary>A snapshot of a run, reported through <see cref="IProgress{T}"/> at most once per progress interval and once at the end.</summary>
/// <param name="Chains">Every chain's state.</param>
/// <param name="Elapsed">Wall-clock time since the run started.</param>
public sealed record SamplingProgress(IReadOnlyList<ChainProgress> Chains, TimeSpan Elapsed);
