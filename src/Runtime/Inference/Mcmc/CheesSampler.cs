using System.Diagnostics;
using System.Globalization;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// ChEES-HMC (Hoffman, Radul and Sountsov 2021, "An adaptive MCMC scheme for setting trajectory lengths in Hamiltonian
/// Monte Carlo"): C chains share one step size ε, one diagonal metric and one trajectory length T, and every iteration
/// integrates all of them for the same jittered time t = h·T (h from the base-2 Halton sequence), so every leapfrog step
/// of every chain is one row of a single batched density call. Each chain then accepts or rejects its own end point.
/// During warm-up, adaptation is cross-chain:
/// <list type="bullet">
/// <item>ε by dual averaging (as in Stan) of the harmonic mean of the chains' acceptance probabilities toward δ
/// (0.651 by default, the optimum of Beskos et al. 2013 for HMC);</item>
/// <item>T by Adam (β₁ = 0, β₂ = 0.95) ascending the ChEES criterion in log T (<see cref="TrajectoryLengthAdaptation"/>,
/// <see cref="ChainEnsembleStatistics.CheesGradient"/>), capped at <see cref="SamplingOptions.MaxLeapfrogSteps"/> steps;</item>
/// <item>the inverse metric = the chains' regularised cross-chain variance (or, with a dense metric, their cross-chain
/// covariance matrix), recomputed every iteration during the first <see cref="SamplingOptions.MetricAdaptationFraction"/>
/// of the warm-up and then held.</item>
/// </list>
/// Sampling uses exp(mean log ε) and exp(mean log T) over the warm-up iterations after the metric was fixed. Chains in a
/// superchain (<see cref="SamplingOptions.Superchains"/>) start from the same point, for nested R̂. A chain's momenta and
/// accept/reject draws come from its own counter-based stream, so a run is reproducible from its seed; unlike NUTS, a
/// chain's draws depend on the other chains through the shared adaptation.
/// </summary>
public static class CheesSampler
{
    /// <summary>The target of the harmonic-mean acceptance probability when none is given.</summary>
    public const double DefaultTargetAcceptance = 0.651;

    private const ulong StepSizeSearchTag = 3;
    private const ulong IterationTag = 4;
    private const ulong RescueTag = 5;

    /// <summary>During the first half of the warm-up, a chain that has not moved for this many iterations in a row is
    /// moved to the position of a chain that is moving (<see cref="StuckChainRescue"/>).</summary>
    public const int StuckIterations = StuckChainRescue.StuckIterations;

    /// <summary>Samples the density; the options' algorithm is taken to be ChEES.</summary>
    /// <param name="density">The log density over the unconstrained space.</param>
    /// <param name="options">Chains, iterations, adaptation and limits.</param>
    /// <param name="initialPositions">Initial positions per (chain id, attempt); chains of a superchain all use its first chain's.</param>
    /// <param name="progress">Receives one aggregated entry (chain id 0) per snapshot.</param>
    /// <param name="observer">Sees every saved draw as it is made.</param>
    /// <param name="cancellationToken">Stops the run cleanly after the current leapfrog step.</param>
    public static SamplingResult Sample(
        ILogDensityFunction density,
        SamplingOptions options,
        InitialPositionSource initialPositions,
        IProgress<SamplingProgress>? progress = null,
        IDrawObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        options = options with { Algorithm = SamplerAlgorithm.Chees };
        int dimension = density.Dimension;
        if (options.Validate(dimension) is { } invalid) return SamplingResult.Failure(SamplingErrorKind.InvalidOptions, invalid);

        var clock = Stopwatch.StartNew();
        var (start, error) = ManyChainStart.Create(density, options, initialPositions, clock, cancellationToken);
        if (error is not null) return SamplingResult.Failure(error.Kind, error.Message);
        var run = new CheesRun(density, options, start!.ChainIds, start.Points, clock, observer, progress, start.Calls, cancellationToken);
        for (int i = 0; i < start.ChainIds.Length; i++) run.Evaluations[i] += start.OptimisationEvaluations[i];
        run.Messages.AddRange(start.Messages);
        return SamplingResult.Success(run.Execute());
    }

    /// <summary>The state of one run: the chains' points and records, the shared ε, T and metric.</summary>
    private sealed class CheesRun(ILogDensityFunction density, SamplingOptions options, int[] chainIds, PhasePoint[] points,
        Stopwatch clock, IDrawObserver? observer, IProgress<SamplingProgress>? progress, long calls, CancellationToken cancellation)
    {
        private readonly ManyChainRecord _record = new(options, chainIds, clock, observer, progress, new long[chainIds.Length]);
        private readonly StuckChainRescue _rescue = new(options.Seed, chainIds, RescueTag);
        private long _calls = calls;
        private EuclideanMetric _metric = options.InitialMetric ?? EuclideanMetric.Unit(points[0].Position.Length);
        private double _stepSize = options.InitialStepSize;
        private int _lastSteps;
        public long[] Evaluations => _record.Evaluations;

        public List<string> Messages { get; } = new();

        public SamplingRun Execute()
        {
            var o = options;
            bool adapt = o.AdaptEngaged && o.NumWarmup > 0;
            var reason = StopReason.Completed;
            if (adapt && !SearchStepSize()) reason = Stopped();

            var trajectory = TrajectoryLengthAdaptation.Start(o.InitialTrajectoryLength ?? (adapt ? _stepSize : o.StaticSteps * _stepSize), o.TrajectoryLearningRate);
            double length = trajectory.Length;
            var averaging = DualAveraging.Start(_stepSize, o.AdaptDelta, o.AdaptGamma, o.AdaptKappa, o.AdaptT0);
            int metricEnd = adapt && o.Metric != MetricKind.Unit ? (int)Math.Floor(o.MetricAdaptationFraction * o.NumWarmup) : 0;
            double sumLogStep = 0, sumHarmonic = 0;
            int averagedSteps = 0;
            if (o.NumWarmup == 0) EndWarmup();

            for (int iteration = 0; iteration < o.TotalIterations && reason == StopReason.Completed; iteration++)
            {
                bool warmup = iteration < o.NumWarmup;
                double jittered = ChainEnsembleStatistics.Halton(iteration + 1) * length;
                int steps = (int)Math.Clamp(Math.Ceiling(jittered / _stepSize), 1, o.MaxLeapfrogSteps);
                var starts = points.Select(p => p.Position).ToArray();
                var outcomes = Transition(iteration, steps);
                if (outcomes is null) { reason = Stopped(); break; }
                Record(outcomes, warmup);
                // An accepted proposal is the same object as the new point (StaticHmcTransition).
                if (warmup && adapt && iteration < o.NumWarmup / 2)
                    _rescue.Apply(points, outcomes.Select(r => ReferenceEquals(r.Point, r.Proposal)).ToArray(), iteration);

                if (warmup && adapt)
                {
                    var accept = outcomes.Select(r => r.AcceptStat).ToArray();
                    var divergent = outcomes.Select(r => r.Divergent).ToArray();
                    double harmonic = ChainEnsembleStatistics.HarmonicMeanAcceptance(accept, divergent);
                    double usedStep = _stepSize;
                    var next = averaging.Update(harmonic);
                    if (double.IsFinite(next.StepSize) && next.StepSize > 0)
                    {
                        averaging = next;
                        _stepSize = next.StepSize;
                    }
                    var gradient = ChainEnsembleStatistics.CheesGradient(starts,
                        outcomes.Select(r => r.Proposal?.Position).ToArray(),
                        outcomes.Select(r => r.Proposal is { } q ? _metric.Velocity(q.Momentum) : null).ToArray(),
                        accept, steps * usedStep);
                    trajectory = trajectory.Update(gradient).Clamp(_stepSize, o.MaxLeapfrogSteps * _stepSize);
                    if (iteration < metricEnd && CrossChainMetric() is { } metric) _metric = metric;
                    if (iteration >= metricEnd)
                    {
                        trajectory = trajectory.Accumulate();
                        sumLogStep += Math.Log(_stepSize);
                        sumHarmonic += harmonic;
                        averagedSteps++;
                    }
                    length = trajectory.Length;
                }
                if (iteration == o.NumWarmup - 1)
                {
                    if (adapt && averagedSteps > 0)
                    {
                        _stepSize = Math.Exp(sumLogStep / averagedSteps);
                        length = Math.Clamp(trajectory.AveragedLength, _stepSize, o.MaxLeapfrogSteps * _stepSize);
                    }
                    EndWarmup();
                    if (_rescue.Rescued > 0)
                        Messages.Add(string.Format(CultureInfo.InvariantCulture,
                            "ChEES warm-up: {0} time(s) a chain that had not moved for {1} iterations was moved to another chain's position (in the first half of the warm-up; usually chains started where the shared step size is far too large for them).",
                            _rescue.Rescued, StuckIterations));
                    if (adapt && averagedSteps > 0)
                        Messages.Add(string.Format(CultureInfo.InvariantCulture,
                            "ChEES adaptation: step size {0:G4}, trajectory length {1:G4} (jittered, up to {2} leapfrog steps); mean harmonic-mean acceptance {3:F3} over the last {4} warm-up iterations.",
                            _stepSize, length, (int)Math.Clamp(Math.Ceiling(length / _stepSize), 1, o.MaxLeapfrogSteps), sumHarmonic / averagedSteps, averagedSteps));
                }
                Report(force: false);
            }
            Report(force: true);
            var chains = _record.Results(_ => (_stepSize, _metric), Messages, length);
            return new SamplingRun(o, points[0].Position.Length, chains, reason, clock.Elapsed, _calls);
        }

        /// <summary>The metric from the chains' current spread, of the kind the options ask for; null when not estimable.</summary>
        private EuclideanMetric? CrossChainMetric()
        {
            var positions = points.Select(p => p.Position).ToArray();
            if (options.Metric == MetricKind.Dense) return ChainEnsembleStatistics.CrossChainCovariance(positions);
            return ChainEnsembleStatistics.CrossChainVariance(positions) is { } variance ? new DiagonalMetric(variance) : null;
        }

        private StopReason Stopped() => cancellation.IsCancellationRequested ? StopReason.Cancelled : StopReason.TimeLimit;

        private bool ShouldStop() => cancellation.IsCancellationRequested || options.TimeLimit is { } limit && clock.Elapsed >= limit;

        /// <summary>Every chain runs Stan's step-size heuristic from its start (batched); the shared ε is their median.
        /// False when the run was stopped meanwhile.</summary>
        private bool SearchStepSize()
        {
            var states = points.Select((p, i) => (IGradientRequester<StepSizeSearchResult>)StepSizeSearch.Start(p, _stepSize, _metric,
                CounterRandom.ForChain(options.Seed, chainIds[i]).Substream(StepSizeSearchTag))).ToArray();
            if (!Drive(states)) return false;
            var found = states.Select(s => s.Result.StepSize).Where(e => e > 0 && double.IsFinite(e)).OrderBy(e => e).ToArray();
            if (found.Length > 0) _stepSize = found[found.Length / 2];
            if (states.Select(s => s.Result.Warning).FirstOrDefault(w => w is not null) is { } warning) Messages.Add(warning);
            return true;
        }

        /// <summary>One iteration: every chain integrates <paramref name="steps"/> leapfrog steps from its point; null when stopped.</summary>
        private TransitionOutcome[]? Transition(int iteration, int steps)
        {
            var states = points.Select((p, i) => (IGradientRequester<TransitionOutcome>)StaticHmcTransition.Start(p, _stepSize, steps, _metric,
                options.MaxEnergyError, CounterRandom.ForChain(options.Seed, chainIds[i]).Substream(IterationTag).Substream((ulong)iteration))).ToArray();
            if (!Drive(states)) return null;
            _lastSteps = steps;
            return states.Select(s => s.Result).ToArray();
        }

        /// <summary>Advances every state to completion, all pending requests in one batched call per round.</summary>
        private bool Drive<T>(IGradientRequester<T>[] states)
        {
            var positions = new List<double[]>(states.Length);
            var pending = new List<int>(states.Length);
            while (true)
            {
                pending.Clear();
                positions.Clear();
                for (int i = 0; i < states.Length; i++)
                    if (!states[i].IsComplete)
                    {
                        pending.Add(i);
                        positions.Add(states[i].RequestedPosition);
                    }
                if (pending.Count == 0) return true;
                if (ShouldStop()) return false;
                var evaluations = BatchedEvaluation.Evaluate(density, positions);
                _calls++;
                for (int k = 0; k < pending.Count; k++)
                {
                    int i = pending[k];
                    states[i] = states[i].Advance(evaluations[k]);
                    Evaluations[i]++;
                }
            }
        }

        private void Record(TransitionOutcome[] outcomes, bool warmup)
        {
            for (int i = 0; i < outcomes.Length; i++) points[i] = outcomes[i].Point;
            _record.Add(outcomes.Select(r => new Draw(r.Point.Position, r.Point.LogDensity, r.AcceptStat, r.StepSize, 0, r.LeapfrogSteps, r.Divergent, r.Energy)).ToArray(), warmup);
        }

        private void EndWarmup() => _record.EndWarmup(_ => (_stepSize, _metric));

        private void Report(bool force) => _record.Report(force, _stepSize, _lastSteps);
    }
}
