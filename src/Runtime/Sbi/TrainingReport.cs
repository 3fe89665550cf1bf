namespace Ppl.Runtime.Sbi;

/// <summary>What happened during training.</summary>
/// <param name="Epochs">Epochs run.</param>
/// <param name="BestEpoch">Epoch (1-based) whose weights were kept.</param>
/// <param name="BestValidationLoss">Validation loss of the kept weights (the training loss when there is no validation set).</param>
/// <param name="DroppedRows">Simulations dropped because a value was NaN or infinite.</param>
/// <param name="TrainingRows">Simulations trained on.</param>
/// <param name="ValidationRows">Simulations held out.</param>
/// <param name="StoppedEarly">Whether patience ran out before <see cref="TrainingOptions.MaxEpochs"/>.</param>
/// <param name="History">Per-epoch progress.</param>
/// <param name="Seconds">Wall time of training.</param>
public sealed record TrainingReport(
    int Epochs,
    int BestEpoch,
    double BestValidationLoss,
    long DroppedRows,
    long TrainingRows,
    long ValidationRows,
    bool StoppedEarly,
    IReadOnlyList<TrainingProgress> History,
    double Seconds)
{
    /// <summary>Training was stopped by <see cref="TrainingOptions.Cancellation"/> after a finished epoch; the best
    /// weights so far were kept.</summary>
    public bool Cancelled { get; init; }
}
