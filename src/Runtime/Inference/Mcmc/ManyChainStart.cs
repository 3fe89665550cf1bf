using System.Diagnostics;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// How the many-chain samplers (ChEES, MEADS) start: chains of a superchain share their first chain's initial point
/// (for nested R̂), every chain's start is retried until its density and gradient are finite, and the optional L-BFGS
/// ascent then moves each start toward the typical set.
/// </summary>
/// <param name="ChainIds">The chains' ids, in order.</param>
/// <param name="Points">The chains' starting points.</param>
/// <param name="OptimisationEvaluations">Density evaluations each chain spent in the initial optimisation.</param>
/// <param name="Messages">Messages of the initialisation to report once.</param>
/// <param name="Calls">Batched density calls made so far.</param>
public sealed record ManyChainStart(int[] ChainIds, PhasePoint[] Points, long[] OptimisationEvaluations, IReadOnlyList<string> Messages, long Calls)
{
    /// <summary>The chains' starting points, or the error that prevents sampling.</summary>
    public static (ManyChainStart? Start, SamplingError? Error) Create(ILogDensityFunction density, SamplingOptions options,
        InitialPositionSource initialPositions, Stopwatch clock, CancellationToken cancellationToken)
    {
        long calls = 0;
        var chainIds = Enumerable.Range(options.FirstChainId, options.Chains).ToArray();
        int perGroup = options.ChainsPerSuperchain, first = options.FirstChainId;
        InitialPositionSource grouped = (id, attempt) => initialPositions(first + (id - first) / perGroup * perGroup, attempt);

        var initial = HamiltonianSampler.Initialise(density, options, chainIds, grouped, ref calls, out var initError);
        if (initError is not null) return (null, initError);
        var optimisation = new (long Evaluations, string? Message)[chainIds.Length];
        if (options.InitialOptimizationIterations > 0)
            initial = HamiltonianSampler.Optimise(density, options, initial!, optimisation, clock, ref calls, cancellationToken);
        var messages = optimisation.Take(1).Select(o => o.Message).OfType<string>().ToArray();
        return (new ManyChainStart(chainIds, initial!, optimisation.Select(o => o.Evaluations).ToArray(), messages, calls), null);
    }
}
