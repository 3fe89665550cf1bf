using TorchSharp;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// The epoch bookkeeping every trainer shares: the monitored loss (validation when there is a split, training
/// otherwise), a snapshot of the best weights, patience, cancellation and the history that becomes the
/// <see cref="TrainingReport"/>. At the end the best weights are restored into the module.
/// </summary>
public sealed class EarlyStopping : IDisposable
{
    private readonly torch.nn.Module _module;
    private readonly TrainingOptions _options;
    private readonly List<TrainingProgress> _history = new();
    private WeightSnapshot _bestState;
    private int _sinceBest;
    private int _lastEpoch;

    public EarlyStopping(torch.nn.Module module, TrainingOptions options)
    {
        _module = module;
        _options = options;
        _bestState = WeightSnapshot.Take(module);
    }

    public double Best { get; private set; } = double.PositiveInfinity;

    public int BestEpoch { get; private set; }

    /// <summary>Records epoch <paramref name="epoch"/>; true when training should stop (patience used up or cancelled).</summary>
    public bool EndEpoch(int epoch, double trainLoss, double validationLoss, bool hasValidation, double learningRate,
        IProgress<TrainingProgress>? progress)
    {
        _lastEpoch = epoch;
        double monitored = hasValidation ? validationLoss : trainLoss;
        bool isBest = monitored < Best;
        if (isBest)
        {
            Best = monitored;
            BestEpoch = epoch;
            _sinceBest = 0;
            _bestState.Dispose();
            _bestState = WeightSnapshot.Take(_module);
        }
        else _sinceBest++;
        var step = new TrainingProgress(epoch, trainLoss, validationLoss, learningRate, isBest);
        _history.Add(step);
        progress?.Report(step);
        if (_sinceBest >= _options.Patience)
        {
            StoppedEarly = true;
            return true;
        }
        if (_options.Cancellation.IsCancellationRequested)
        {
            Cancelled = true;
            return true;
        }
        return false;
    }

    public bool StoppedEarly { get; private set; }

    public bool Cancelled { get; private set; }

    /// <summary>Restores the best weights and describes the run.</summary>
    public TrainingReport Finish(long dropped, long trainingRows, long validationRows, double seconds)
    {
        _bestState.RestoreInto(_module);
        return new TrainingReport(Math.Min(_lastEpoch, _options.MaxEpochs), BestEpoch, Best, dropped, trainingRows, validationRows,
            StoppedEarly, _history, seconds)
        { Cancelled = Cancelled };
    }

    public void Dispose() => _bestState.Dispose();
}
