using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public enum LearningRateScheduleKind
{
    Constant,
    /// <summary>lr·γ^epoch.</summary>
    Exponential,
    /// <summary>lr·γ^⌊epoch / StepEpochs⌋.</summary>
    Step,
    /// <summary>Cosine annealing from lr to 0 over <see cref="TrainingOptions.MaxEpochs"/>.</summary>
    Cosine,
}

/// <summary>The learning-rate schedule (applied at the start of every epoch).</summary>
public sealed record LearningRateSchedule(LearningRateScheduleKind Kind = LearningRateScheduleKind.Constant, double Gamma = 1.0, int StepEpochs = 1)
{
    public static LearningRateSchedule Constant { get; } = new();

    public static LearningRateSchedule Exponential(double gamma) => new(LearningRateScheduleKind.Exponential, gamma);

    public static LearningRateSchedule Step(double gamma, int everyEpochs) => new(LearningRateScheduleKind.Step, gamma, everyEpochs);

    public static LearningRateSchedule Cosine { get; } = new(LearningRateScheduleKind.Cosine);

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based).</summary>
    public double At(double initial, int epoch, int maxEpochs) => Kind switch
    {
        LearningRateScheduleKind.Constant => initial,
        LearningRateScheduleKind.Exponential => initial * Math.Pow(Gamma, epoch),
        LearningRateScheduleKind.Step => initial * Math.Pow(Gamma, epoch / Math.Max(1, StepEpochs)),
        LearningRateScheduleKind.Cosine => initial * 0.5 * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, maxEpochs))),
        _ => throw new System.Diagnostics.UnreachableException($"learning-rate schedule {Kind}"),
    };
}

/// <summary>Settings of neural estimator training. Defaults follow the sbi package's (batch 200, Adam 5e-4,
/// 10% validation, patience 20, gradient norm clipped at 5).</summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 200;

    public double LearningRate { get; init; } = 5e-4;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Upper bound on the number of passes over the training set.</summary>
    public int MaxEpochs { get; init; } = 500;

    /// <summary>Fraction of the (finite) simulations held out for validation and early stopping.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Stop after this many epochs without a new best validation loss; the best weights are restored.</summary>
    public int Patience { get; init; } = 20;

    /// <summary>Gradients are rescaled to at most this total norm; 0 or less disables clipping.</summary>
    public double GradientClipNorm { get; init; } = 5.0;

    /// <summary>Seeds the initial weights, the validation split and the batch order.</summary>
    public ulong Seed { get; init; }

    /// <summary>Device to train on (the flow stays there afterwards).</summary>
    public Device? Device { get; init; }

    /// <summary>Stops training after the current epoch (the best weights so far are kept and the report says so).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CancellationToken Cancellation { get; init; }

    /// <summary>Why these options cannot train, or null; <paramref name="minimumBatch"/> is the smallest usable batch.</summary>
    internal SbiError? Problem(int minimumBatch)
    {
        if (BatchSize < minimumBatch) return new SbiError(SbiError.InvalidOption, $"The batch size must be at least {minimumBatch}.");
        if (!(LearningRate > 0)) return new SbiError(SbiError.InvalidOption, "The learning rate must be positive.");
        if (MaxEpochs < 1) return new SbiError(SbiError.InvalidOption, "MaxEpochs must be at least 1.");
        if (Patience < 1) return new SbiError(SbiError.InvalidOption, "Patience must be at least 1.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            return new SbiError(SbiError.InvalidOption, "The validation fraction must be in [0, 1).");
        return null;
    }

    /// <summary>The options as plain values for a bundle manifest.</summary>
    internal Dictionary<string, object> Describe() => new()
    {
        ["batchSize"] = BatchSize,
        ["learningRate"] = LearningRate,
        ["schedule"] = Schedule.Kind.ToString(),
        ["scheduleGamma"] = Schedule.Gamma,
        ["scheduleStepEpochs"] = Schedule.StepEpochs,
        ["maxEpochs"] = MaxEpochs,
        ["validationFraction"] = ValidationFraction,
        ["patience"] = Patience,
        ["gradientClipNorm"] = GradientClipNorm,
        ["seed"] = Seed,
    };
}
