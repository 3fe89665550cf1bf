using System.Globalization;
using Ppl.Runtime.Sbi;

namespace Ppl.Cli;

/// <summary>Simulation counts reported on a <see cref="ProgressBar"/>.</summary>
internal sealed class LongProgress(ProgressBar bar) : IProgress<long>
{
    public void Report(long value) => bar.Report(value);
}

/// <summary>Training epochs reported on a <see cref="ProgressBar"/>, with the epoch's losses and a star at a new best.</summary>
internal sealed class EpochProgress(ProgressBar bar) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => bar.Report(value.Epoch,
        string.Create(CultureInfo.InvariantCulture, $"loss {value.TrainLoss:F3} val {value.ValidationLoss:F3}{(value.IsBest ? " *" : "")}"));
}
