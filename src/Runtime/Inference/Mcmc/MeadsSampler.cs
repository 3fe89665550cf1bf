using System.Diagnostics;
using System.Globalization;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// MEADS (Hoffman and Sountsov 2022, "Tuning-free generalized Hamiltonian Monte Carlo"): C chains of generalised HMC
/// (<see cref="GeneralisedHmcStep"/>: one leapfrog step per step, partial momentum refresh, a persistent slice variable)
/// advance together, one batched density call per step. The chains are split into K folds (chain i in fold i mod K, so
/// every fold holds chains of every superchain); during warm-up, before every step, fold f's step size, damping and
/// diagonal metric are computed from fold f + 1's current positions and gradients (<see cref="MeadsParameters"/>), so a
/// chain's kernel never depends on its own state. At the end of the warm-up each fold's parameters are frozen, and
/// sampling is plain generalised HMC with them. A saved draw is taken every <see cref="SamplingOptions.MeadsStepsPerDraw"/>
/// steps (warm-up iterations count the same way). In the first half of the warm-up a chain that has accepted no step for
/// 10 iterations is moved to a moving chain's point (<see cref="StuckChainRescue"/>), as in ChEES. A chain's refresh and slice draws come from its own counter-based
/// stream; as with ChEES, its draws depend on the other chains through the adaptation.
/// </summary>
public static class MeadsSampler
{
    private const ulong StepTag = 6;
    private const ulong SliceTag = 7;
    private const ulong RescueTag = 8;

    /// <summary>Samples the density; the options' algorithm is taken to be MEADS.</summary>
    /// <param name="density">The log density over the unconstrained space.</param>
    /// <param name="options">Chains, folds, iterations, steps per draw and limits.</param>
    /// <param name="initialPositions">Initial positions per (chain id, attempt); chains of a superchain all use its first chain's.</param>
    /// <param name="progress">Receives one aggregated entry (chain id 0) per snapshot.</param>
    /// <param name="observer">Sees every saved draw as it is made.</param>
    /// <param name="cancellationToken">Stops the run cleanly after the current step.</param>
    public static SamplingResult Sample(
        ILogDensityFunction density,
        SamplingOptions options,
        InitialPositionSource initialPositions,
        IProgress<SamplingProgress>? progress = null,
        IDrawObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        options = options with { Algorithm = SamplerAlgorithm.Meads };
        if (options.Validate(density.Dimension) is { } invalid) return SamplingResult.Failure(SamplingErrorKind.InvalidOptions, invalid);
        var clock = Stopwatch.StartNew();
        var (start, error) = ManyChainStart.Create(density, options, initialPositions, clock, cancellationToken);
        if (error is not null) return SamplingResult.Failure(error.Kind, error.Message);
        var run = new MeadsRun(density, options, start!, clock, observer, progress, cancellationToken);
        return SamplingResult.Success(run.Execute());
    }

    /// <summary>The state of one run: the chains' points and slice variables, each fold's parameters.</summary>
    private sealed class MeadsRun
    {
        private readonly ILogDensityFunction _density;
        private readonly SamplingOptions _options;
        private readonly int[] _chainIds;
        private readonly PhasePoint[] _points;
        private readonly double[] _slices;
        private readonly MeadsParameters[] _parameters;
        private readonly Stopwatch _clock;
        private readonly CancellationToken _cancellation;
        private readonly ManyChainRecord _record;
        private readonly List<string> _messages = new();
        private readonly StuckChainRescue _rescue;
        private readonly int[][] _members;   // the chains of each fold
        private long _calls, _step;

        public MeadsRun(ILogDensityFunction density, SamplingOptions options, ManyChainStart start, Stopwatch clock, IDrawObserver? observer,
            IProgress<SamplingProgress>? progress, CancellationToken cancellation)
        {
            (_density, _options, _chainIds, _points, _clock, _cancellation) = (density, options, start.ChainIds, start.Points, clock, cancellation);
            _calls = start.Calls;
            _record = new ManyChainRecord(options, _chainIds, clock, observer, progress, (long[])start.OptimisationEvaluations.Clone());
            _messages.AddRange(start.Messages);
            _rescue = new StuckChainRescue(options.Seed, _chainIds, RescueTag);
            _slices = _chainIds.Select(id => 2 * CounterRandom.ForChain(options.Seed, id).Substream(SliceTag).Uniform(0) - 1).ToArray();
            _members = Enumerable.Range(0, options.MeadsFolds).Select(f => Enumerable.Range(0, _points.Length).Where(i => i % options.MeadsFolds == f).ToArray()).ToArray();
            _parameters = new MeadsParameters[options.MeadsFolds];
            for (int f = 0; f < _parameters.Length; f++)
                _parameters[f] = Tuned(f) ?? new MeadsParameters(options.InitialStepSize, 1, 1 - Math.Exp(-2 * options.InitialStepSize), (1 - Math.Exp(-2 * options.InitialStepSize)) / 2,
                    EuclideanMetric.Unit(density.Dimension));
        }

        private int Fold(int chain) => chain % _options.MeadsFolds;

        /// <summary>Fold f's parameters from fold f + 1's chains now; null when not estimable (the old ones are kept).</summary>
        private MeadsParameters? Tuned(int fold)
        {
            var members = _members[(fold + 1) % _options.MeadsFolds].Select(i => _points[i]).ToArray();
            return MeadsParameters.FromFold(members.Select(p => p.Position).ToArray(), members.Select(p => p.Gradient).ToArray(), _step);
        }

        public SamplingRun Execute()
        {
            var o = _options;
            bool adapt = o.AdaptEngaged && o.NumWarmup > 0;
            var reason = StopReason.Completed;
            if (o.NumWarmup == 0) EndWarmup();
            int c = _points.Length;
            for (int iteration = 0; iteration < o.TotalIterations; iteration++)
            {
                bool warmup = iteration < o.NumWarmup;
                var acceptance = new double[c];
                var moved = new bool[c];
                var divergent = new bool[c];
                var energies = new double[c];
                for (int s = 0; s < o.MeadsStepsPerDraw; s++)
                {
                    if (_cancellation.IsCancellationRequested || o.TimeLimit is { } limit && _clock.Elapsed >= limit)
                    {
                        reason = _cancellation.IsCancellationRequested ? StopReason.Cancelled : StopReason.TimeLimit;
                        break;
                    }
                    if (warmup && adapt)
                    {
                        var tuned = Enumerable.Range(0, _parameters.Length).Select(Tuned).ToArray();
                        for (int f = 0; f < tuned.Length; f++) _parameters[f] = tuned[f] ?? _parameters[f];
                    }
                    Step(acceptance, divergent, energies, moved);
                }
                if (reason != StopReason.Completed) break;
                Record(warmup, acceptance, divergent, energies);
                if (warmup && adapt && iteration < o.NumWarmup / 2) _rescue.Apply(_points, moved, iteration);
                if (iteration == o.NumWarmup - 1)
                {
                    EndWarmup();
                    if (_rescue.Rescued > 0)
                        _messages.Add(string.Format(CultureInfo.InvariantCulture,
                            "MEADS warm-up: {0} time(s) a chain that had not moved for {1} iterations was moved to another chain's position (in the first half of the warm-up).",
                            _rescue.Rescued, StuckChainRescue.StuckIterations));
                    _messages.Add("MEADS adaptation (per fold): " + string.Join("; ", _parameters.Select((p, f) => string.Format(CultureInfo.InvariantCulture,
                        "fold {0}: step size {1:G4}, damping {2:G4}, refresh {3:G3}", f + 1, p.StepSize, p.Damping, p.Refresh))) + ".");
                }
                Report(false);
            }
            Report(true);
            var chains = _record.Results(Kernel, _messages);
            return new SamplingRun(o, _points[0].Position.Length, chains, reason, _clock.Elapsed, _calls);
        }

        /// <summary>One generalised HMC step of every chain: one batched density call.</summary>
        private void Step(double[] acceptance, bool[] divergent, double[] energies, bool[] moved)
        {
            int c = _points.Length, d = _density.Dimension;
            var starts = new (PhasePoint Refreshed, LeapfrogDrift Drift)[c];
            for (int i = 0; i < c; i++)
            {
                var normals = CounterRandom.ForChain(_options.Seed, _chainIds[i]).Substream(StepTag).Substream((ulong)_step).StandardNormals(d);
                starts[i] = GeneralisedHmcStep.Start(_points[i], _parameters[Fold(i)], normals);
            }
            var evaluations = BatchedEvaluation.Evaluate(_density, starts.Select(s => s.Drift.Position).ToArray());
            _calls++;
            for (int i = 0; i < c; i++)
            {
                var outcome = GeneralisedHmcStep.Complete(starts[i].Refreshed, starts[i].Drift, evaluations[i], _slices[i], _parameters[Fold(i)], _options.MaxEnergyError);
                _points[i] = outcome.Point;
                _slices[i] = outcome.Slice;
                acceptance[i] += outcome.AcceptProbability / _options.MeadsStepsPerDraw;
                divergent[i] |= outcome.Divergent;
                moved[i] |= outcome.Accepted;
                energies[i] = outcome.Energy;
                _record.Evaluations[i]++;
            }
            _step++;
        }

        private (double StepSize, EuclideanMetric Metric) Kernel(int chain) => (_parameters[Fold(chain)].StepSize, _parameters[Fold(chain)].Metric);

        private void Record(bool warmup, double[] acceptance, bool[] divergent, double[] energies) =>
            _record.Add(_points.Select((p, i) => new Draw(p.Position, p.LogDensity, acceptance[i], _parameters[Fold(i)].StepSize, 0,
                _options.MeadsStepsPerDraw, divergent[i], energies[i])).ToArray(), warmup);

        private void EndWarmup() => _record.EndWarmup(Kernel);

        private void Report(bool force) => _record.Report(force, _parameters[0].StepSize, _options.MeadsStepsPerDraw);
    }
}
