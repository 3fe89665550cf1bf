using System.Diagnostics;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// What the many-chain samplers (ChEES, MEADS) keep per chain while they run: the saved draws, divergences, timings and
/// evaluation counts, the observer's notifications and the aggregated progress entry; and the chains' results at the end.
/// </summary>
internal sealed class ManyChainRecord(SamplingOptions options, int[] chainIds, Stopwatch clock, IDrawObserver? observer,
    IProgress<SamplingProgress>? progress, long[] evaluations)
{
    private readonly List<Draw>[] _warmup = chainIds.Select(_ => new List<Draw>()).ToArray();
    private readonly List<Draw>[] _samples = chainIds.Select(_ => new List<Draw>()).ToArray();
    private readonly int[] _warmupDivergences = new int[chainIds.Length];
    private int _divergences;
    private TimeSpan? _warmupEnd;
    private TimeSpan _lastDraw, _lastReport;

    /// <summary>Density evaluations per chain (initial optimisation included).</summary>
    public long[] Evaluations { get; } = evaluations;

    /// <summary>Iterations finished by every chain.</summary>
    public int Iterations { get; private set; }

    /// <summary>Saves one iteration's draw of every chain (in chain order).</summary>
    public void Add(IReadOnlyList<Draw> draws, bool warmup)
    {
        for (int i = 0; i < draws.Count; i++)
        {
            var draw = draws[i];
            if (!warmup) _samples[i].Add(draw);
            else if (options.SaveWarmup) _warmup[i].Add(draw);
            if (!warmup || options.SaveWarmup) observer?.DrawCompleted(chainIds[i], draw, warmup);
            if (draw.Divergent)
            {
                _divergences++;
                if (warmup) _warmupDivergences[i]++;
            }
        }
        Iterations++;
        _lastDraw = clock.Elapsed;
    }

    /// <summary>Marks the end of the warm-up, with each chain's step size and metric for sampling.</summary>
    public void EndWarmup(Func<int, (double StepSize, EuclideanMetric Metric)> kernel)
    {
        _warmupEnd = clock.Elapsed;
        for (int i = 0; i < chainIds.Length; i++)
        {
            var (step, metric) = kernel(i);
            observer?.WarmupCompleted(chainIds[i], step, metric);
        }
    }

    /// <summary>One aggregated progress entry (chain id 0), at most once per progress interval unless forced.</summary>
    public void Report(bool force, double stepSize, int steps)
    {
        if (progress is null) return;
        if (!force && clock.Elapsed - _lastReport < options.ProgressInterval) return;
        _lastReport = clock.Elapsed;
        var all = new ChainProgress(0, Iterations, options.TotalIterations, Iterations < options.NumWarmup, _divergences, stepSize, steps, Evaluations.Sum());
        progress.Report(new SamplingProgress(new[] { all }, clock.Elapsed));
    }

    /// <summary>The chains' results; chain 0 carries the run's messages.</summary>
    public ChainResult[] Results(Func<int, (double StepSize, EuclideanMetric Metric)> kernel, IReadOnlyList<string> messages, double? trajectoryLength = null) =>
        chainIds.Select((id, i) => new ChainResult(id, _warmup[i].ToArray(), _samples[i].ToArray(), kernel(i).StepSize, kernel(i).Metric,
            _warmupDivergences[i], _warmupEnd ?? _lastDraw, _warmupEnd is { } end ? _lastDraw - end : TimeSpan.Zero, Evaluations[i], Iterations,
            i == 0 ? messages.ToArray() : Array.Empty<string>(), trajectoryLength)).ToArray();
}
