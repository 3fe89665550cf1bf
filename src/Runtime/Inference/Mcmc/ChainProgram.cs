using System.Diagnostics;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// Everything one chain does after initialisation — step-size search, warm-up with windowed adaptation, sampling —
/// written as a sequence of density requests: the iterator yields a position, the driver writes the evaluation into
/// <see cref="Evaluation"/> and resumes it. The chain sees nothing of the other chains, so its draws depend only on
/// its own random stream and the density.
/// </summary>
internal sealed class ChainProgram
{
    internal const ulong InitialisationTag = 1;
    private const ulong IterationTag = 2;
    private const ulong StepSizeSearchTag = 3;

    private readonly SamplingOptions _options;
    private readonly CounterRandom _random;
    private readonly PhasePoint _initial;
    private readonly Stopwatch _clock;
    private readonly IDrawObserver? _observer;
    private readonly List<Draw> _warmup = new();
    private readonly List<Draw> _samples = new();
    private readonly List<string> _messages = new();
    private EuclideanMetric _metric;
    private double _stepSize;
    private TimeSpan? _warmupEnd;
    private TimeSpan _lastDraw;

    public ChainProgram(int chainId, SamplingOptions options, PhasePoint initial, Stopwatch clock, IDrawObserver? observer = null,
        long initialEvaluations = 0, string? initialMessage = null)
    {
        _observer = observer;
        GradientEvaluations = initialEvaluations;
        if (initialMessage is not null) _messages.Add(initialMessage);
        ChainId = chainId;
        _options = options;
        _initial = initial;
        _clock = clock;
        _random = CounterRandom.ForChain(options.Seed, chainId);
        _metric = options.InitialMetric ?? EuclideanMetric.Unit(initial.Position.Length);
        _stepSize = options.InitialStepSize;
    }

    public int ChainId { get; }

    /// <summary>The driver's answer to the last request.</summary>
    public DensityEvaluation Evaluation { get; set; }

    public int IterationsCompleted { get; private set; }

    public int Divergences { get; private set; }

    public int WarmupDivergences { get; private set; }

    public long GradientEvaluations { get; private set; }

    public double LastStepSize { get; private set; }

    public int LastTreeDepth { get; private set; }

    public ChainProgress Progress() => new(ChainId, IterationsCompleted, _options.TotalIterations,
        IterationsCompleted < _options.NumWarmup, Divergences, LastStepSize, LastTreeDepth, GradientEvaluations);

    public ChainResult Result()
    {
        var warmupTime = _warmupEnd ?? _lastDraw;
        var samplingTime = _warmupEnd is { } end ? _lastDraw - end : TimeSpan.Zero;
        return new ChainResult(ChainId, _warmup.ToArray(), _samples.ToArray(), _stepSize, _metric, WarmupDivergences,
            warmupTime, samplingTime, GradientEvaluations, IterationsCompleted, _messages.ToArray());
    }

    /// <summary>The chain's requests, in order.</summary>
    public IEnumerable<double[]> Run()
    {
        int dimension = _initial.Position.Length;
        bool adapt = _options.AdaptEngaged && _options.NumWarmup > 0;
        var point = _initial;
        LastStepSize = _stepSize;

        // μ shrinks toward ten times the user's initial step size, as in Stan's services.
        var averaging = DualAveraging.Start(_options.InitialStepSize, _options.AdaptDelta, _options.AdaptGamma, _options.AdaptKappa, _options.AdaptT0);
        var schedule = AdaptationSchedule.Create(_options.NumWarmup, _options.InitBuffer, _options.TermBuffer, _options.BaseWindow);
        WelfordVarianceEstimator? variance = null;
        WelfordCovarianceEstimator? covariance = null;
        if (adapt && _options.Metric == MetricKind.Diagonal) variance = new WelfordVarianceEstimator(dimension);
        if (adapt && _options.Metric == MetricKind.Dense) covariance = new WelfordCovarianceEstimator(dimension);
        if (adapt && _options.Metric != MetricKind.Unit && schedule.Note is { } note) _messages.Add(note);
        int searches = 0;
        bool metricUpdated = false;

        if (adapt)
        {
            IGradientRequester<StepSizeSearchResult> search = StepSizeSearch.Start(point, _stepSize, _metric, _random.Substream(StepSizeSearchTag).Substream((ulong)searches++));
            while (!search.IsComplete)
            {
                yield return search.RequestedPosition;
                GradientEvaluations++;
                search = search.Advance(Evaluation);
            }
            _stepSize = search.Result.StepSize;
            if (search.Result.Warning is { } warning) _messages.Add(warning);
        }
        if (_options.NumWarmup == 0)
        {
            _warmupEnd = _clock.Elapsed;
            _observer?.WarmupCompleted(ChainId, _stepSize, _metric);
        }

        var iterations = _random.Substream(IterationTag);
        for (int iteration = 0; iteration < _options.TotalIterations; iteration++)
        {
            bool warmup = iteration < _options.NumWarmup;
            bool early = warmup && adapt && !metricUpdated && _options.EarlyMaxTreeDepth is not null;
            var transition = StartTransition(point, iterations.Substream((ulong)iteration), early ? _options.EarlyMaxTreeDepth!.Value : _options.MaxTreeDepth);
            while (!transition.IsComplete)
            {
                yield return transition.RequestedPosition;
                GradientEvaluations++;
                transition = transition.Advance(Evaluation);
            }
            var outcome = transition.Result;
            point = outcome.Point;
            Record(outcome, warmup);

            if (warmup && adapt)
            {
                averaging = averaging.Update(outcome.AcceptStat);
                _stepSize = averaging.StepSize;
                if (schedule.InWindow(iteration))
                {
                    variance?.Add(point.Position);
                    covariance?.Add(point.Position);
                }
                if ((variance is not null || covariance is not null) && schedule.IsWindowEnd(iteration))
                {
                    _metric = variance is not null
                        ? new DiagonalMetric(variance.RegularisedVariance())
                        : new DenseMetric(covariance!.RegularisedCovariance());
                    metricUpdated = true;
                    variance?.Restart();
                    covariance?.Restart();
                    IGradientRequester<StepSizeSearchResult> search = StepSizeSearch.Start(point, _stepSize, _metric, _random.Substream(StepSizeSearchTag).Substream((ulong)searches++));
                    while (!search.IsComplete)
                    {
                        yield return search.RequestedPosition;
                        GradientEvaluations++;
                        search = search.Advance(Evaluation);
                    }
                    _stepSize = search.Result.StepSize;
                    if (search.Result.Warning is { } warning) _messages.Add(warning);
                    averaging = averaging.Restart(_stepSize);
                }
            }
            if (iteration == _options.NumWarmup - 1)
            {
                if (adapt) _stepSize = averaging.FinalStepSize;
                _warmupEnd = _clock.Elapsed;
                _observer?.WarmupCompleted(ChainId, _stepSize, _metric);
            }
        }
    }

    private IGradientRequester<TransitionOutcome> StartTransition(PhasePoint point, CounterRandom random, int maxTreeDepth)
    {
        if (_options.Algorithm == SamplerAlgorithm.Nuts)
            return NutsTransition.Start(point, _stepSize, _metric, new NutsSettings(maxTreeDepth, _options.MaxEnergyError), random);
        int steps = _options.StaticIntegrationTime is { } time ? StaticHmcTransition.StepsForLength(time, _stepSize) : _options.StaticSteps;
        return StaticHmcTransition.Start(point, _stepSize, steps, _metric, _options.MaxEnergyError, random);
    }

    private void Record(TransitionOutcome outcome, bool warmup)
    {
        var draw = new Draw(outcome.Point.Position, outcome.Point.LogDensity, outcome.AcceptStat, outcome.StepSize,
            outcome.TreeDepth, outcome.LeapfrogSteps, outcome.Divergent, outcome.Energy);
        if (!warmup) _samples.Add(draw);
        else if (_options.SaveWarmup) _warmup.Add(draw);
        if (!warmup || _options.SaveWarmup) _observer?.DrawCompleted(ChainId, draw, warmup);
        if (outcome.Divergent)
        {
            Divergences++;
            if (warmup) WarmupDivergences++;
        }
        IterationsCompleted++;
        LastStepSize = outcome.StepSize;
        LastTreeDepth = outcome.TreeDepth;
        _lastDraw = _clock.Elapsed;
    }
}
