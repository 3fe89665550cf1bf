using System.Diagnostics;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// Runs C chains of NUTS or static HMC (or hands a ChEES or MEADS run to <see cref="CheesSampler"/>, <see cref="MeadsSampler"/>) over an <see cref="ILogDensityFunction"/>, batching the chains' gradient
/// requests: at every step each chain that still needs a gradient contributes one row to a single
/// <see cref="ILogDensityFunction.Evaluate"/> call, and chains whose work for the moment is done simply wait. Because a
/// chain's computation depends only on its own random stream and the rows it asked for, the draws are identical to
/// running each chain alone.
/// </summary>
public static class HamiltonianSampler
{
    /// <summary>Samples the density.</summary>
    /// <param name="density">The log density over the unconstrained space.</param>
    /// <param name="options">Chains, iterations, kernel, adaptation and limits.</param>
    /// <param name="initialPositions">Initial positions per (chain id, attempt); retried while the density or gradient is not finite.</param>
    /// <param name="progress">Receives snapshots at most once per <see cref="SamplingOptions.ProgressInterval"/> and once at the end.</param>
    /// <param name="observer">Sees every saved draw as it is made (for incremental output).</param>
    /// <param name="cancellationToken">Stops the run cleanly; what was sampled so far is returned.</param>
    /// <returns>The run, or an error value when the options are invalid or no chain could be initialised.</returns>
    public static SamplingResult Sample(
        ILogDensityFunction density,
        SamplingOptions options,
        InitialPositionSource initialPositions,
        IProgress<SamplingProgress>? progress = null,
        IDrawObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        int dimension = density.Dimension;
        if (options.Validate(dimension) is { } invalid) return SamplingResult.Failure(SamplingErrorKind.InvalidOptions, invalid);
        if (options.Algorithm == SamplerAlgorithm.Chees) return CheesSampler.Sample(density, options, initialPositions, progress, observer, cancellationToken);
        if (options.Algorithm == SamplerAlgorithm.Meads) return MeadsSampler.Sample(density, options, initialPositions, progress, observer, cancellationToken);

        var clock = Stopwatch.StartNew();
        long calls = 0;
        var chainIds = Enumerable.Range(options.FirstChainId, options.Chains).ToArray();

        var initial = Initialise(density, options, chainIds, initialPositions, ref calls, out var initError);
        if (initError is not null) return SamplingResult.Failure(initError.Kind, initError.Message);

        var optimisation = new (long Evaluations, string? Message)[chainIds.Length];
        if (options.InitialOptimizationIterations > 0)
            initial = Optimise(density, options, initial!, optimisation, clock, ref calls, cancellationToken);

        var programs = chainIds.Select((id, i) => new ChainProgram(id, options, initial![i], clock, observer, optimisation[i].Evaluations, optimisation[i].Message)).ToArray();
        var requests = programs.Select(p => p.Run().GetEnumerator()).ToArray();
        var active = new List<int>();
        for (int i = 0; i < programs.Length; i++)
            if (requests[i].MoveNext()) active.Add(i);

        var reason = StopReason.Completed;
        var lastReport = TimeSpan.Zero;
        var positions = new List<double[]>(programs.Length);
        while (active.Count > 0)
        {
            if (cancellationToken.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            if (options.TimeLimit is { } limit && clock.Elapsed >= limit) { reason = StopReason.TimeLimit; break; }

            positions.Clear();
            foreach (int i in active) positions.Add(requests[i].Current);
            var evaluations = BatchedEvaluation.Evaluate(density, positions);
            calls++;

            var stillActive = new List<int>(active.Count);
            for (int k = 0; k < active.Count; k++)
            {
                int i = active[k];
                programs[i].Evaluation = evaluations[k];
                if (requests[i].MoveNext()) stillActive.Add(i);
            }
            active = stillActive;

            if (progress is not null && clock.Elapsed - lastReport >= options.ProgressInterval)
            {
                lastReport = clock.Elapsed;
                progress.Report(Snapshot(programs, clock));
            }
        }
        foreach (var r in requests) r.Dispose();
        progress?.Report(Snapshot(programs, clock));

        var run = new SamplingRun(options, dimension, programs.Select(p => p.Result()).ToArray(), reason, clock.Elapsed, calls);
        return SamplingResult.Success(run);
    }

    private static SamplingProgress Snapshot(ChainProgram[] programs, Stopwatch clock) =>
        new(programs.Select(p => p.Progress()).ToArray(), clock.Elapsed);

    /// <summary>
    /// L-BFGS ascent from every chain's initial point, the chains' trial points batched into one call per step. A chain
    /// keeps its best point; the time limit and cancellation end the phase early (sampling then stops at once too).
    /// </summary>
    internal static PhasePoint[] Optimise(ILogDensityFunction density, SamplingOptions options, PhasePoint[] initial,
        (long Evaluations, string? Message)[] report, Stopwatch clock, ref long calls, CancellationToken cancellationToken)
    {
        var states = initial.Select(p => (IGradientRequester<LbfgsOutcome>)LbfgsAscent.Start(p.Position,
            new DensityEvaluation(p.LogDensity, p.Gradient), options.InitialOptimizationIterations, options.InitialOptimizationTolerance, options.InitialOptimizationHeld)).ToArray();
        var positions = new List<double[]>(states.Length);
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) break;
            if (options.TimeLimit is { } limit && clock.Elapsed >= limit) break;
            var active = Enumerable.Range(0, states.Length).Where(i => !states[i].IsComplete).ToArray();
            if (active.Length == 0) break;
            positions.Clear();
            foreach (int i in active) positions.Add(states[i].RequestedPosition);
            var evaluations = BatchedEvaluation.Evaluate(density, positions);
            calls++;
            for (int k = 0; k < active.Length; k++) states[active[k]] = states[active[k]].Advance(evaluations[k]);
        }
        var result = new PhasePoint[initial.Length];
        for (int i = 0; i < states.Length; i++)
        {
            if (!states[i].IsComplete)
            {
                result[i] = initial[i];
                report[i] = (0, "The initial optimisation was stopped before it finished; the chain starts from its initial value.");
                continue;
            }
            var outcome = states[i].Result;
            result[i] = PhasePoint.AtRest(outcome.Position, outcome.Evaluation);
            string why = outcome.Stop switch
            {
                LbfgsStop.Converged => "converged",
                LbfgsStop.NoProgress => "no further ascent",
                _ => "iteration limit",
            };
            report[i] = (outcome.Evaluations, FormattableString.Invariant(
                $"Initial optimisation: log density {initial[i].LogDensity:G6} -> {outcome.Evaluation.LogDensity:G6} in {outcome.Iterations} L-BFGS steps ({outcome.Evaluations} evaluations, {why})."));
        }
        return result;
    }

    /// <summary>Stan's initialisation: try positions until the log density and its gradient are finite, all pending chains in one batch per attempt.</summary>
    internal static PhasePoint[]? Initialise(ILogDensityFunction density, SamplingOptions options, int[] chainIds,
        InitialPositionSource source, ref long calls, out SamplingError? error)
    {
        error = null;
        int dimension = density.Dimension;
        var points = new PhasePoint?[chainIds.Length];
        var lastProblem = new string[chainIds.Length];
        for (int attempt = 0; attempt < options.MaxInitialisationAttempts; attempt++)
        {
            var pending = Enumerable.Range(0, chainIds.Length).Where(i => points[i] is null).ToArray();
            if (pending.Length == 0) break;
            var positions = new List<double[]>(pending.Length);
            foreach (int i in pending)
            {
                var x = source(chainIds[i], attempt);
                if (x is null || x.Length != dimension)
                {
                    error = new SamplingError(SamplingErrorKind.InvalidInitialPosition,
                        $"Chain {chainIds[i]}: the initial position has {x?.Length ?? 0} coordinates; the log density has {dimension}.");
                    return null;
                }
                positions.Add((double[])x.Clone());
            }
            var evaluations = BatchedEvaluation.Evaluate(density, positions);
            calls++;
            for (int k = 0; k < pending.Length; k++)
            {
                int i = pending[k];
                var e = evaluations[k];
                if (e.IsFinite) points[i] = PhasePoint.AtRest(positions[k], e);
                else lastProblem[i] = double.IsFinite(e.LogDensity)
                    ? "the gradient is not finite"
                    : $"the log density is {e.LogDensity}";
            }
        }
        var failed = Enumerable.Range(0, chainIds.Length).Where(i => points[i] is null).ToArray();
        if (failed.Length > 0)
        {
            string which = string.Join(", ", failed.Select(i => $"chain {chainIds[i]} ({lastProblem[i]})"));
            error = new SamplingError(SamplingErrorKind.InitialisationFailed,
                $"No initial position with a finite log density and gradient was found after {options.MaxInitialisationAttempts} attempts: {which}.");
            return null;
        }
        return points.Select(p => p!).ToArray();
    }
}
