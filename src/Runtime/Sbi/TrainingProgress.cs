namespace Ppl.Runtime.Sbi;

/// <summary>Reported after every epoch. Losses are means per simulation (negative log-density, plus the weighted
/// score term in score-augmented training); <see cref="ValidationLoss"/> is NaN without a validation split.</summary>
public readonly record struct TrainingProgress(int Epoch, double TrainLoss, double ValidationLoss, double LearningRate, bool IsBest);
