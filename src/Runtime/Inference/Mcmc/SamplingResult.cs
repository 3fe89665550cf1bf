namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>One saved iteration of a chain: the unconstrained position and Stan's sampler statistics.</summary>
public sealed record Draw(
    double[] Position,
    double LogDensity,
    double AcceptStat,
    double StepSize,
    int TreeDepth,
    int LeapfrogSteps,
    bool Divergent,
    double Energy);

/// <summary>Why a run ended.</summary>
public enum StopReason
{
    /// <summary>Every chain ran all its iterations.</summary>
    Completed,
    /// <summary>The cancellation token fired; the result holds the iterations finished before.</summary>
    Cancelled,
    /// <summary>The time limit passed; the result holds the iterations finished before.</summary>
    TimeLimit,
}

/// <summary>What one chain produced.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="Warmup">The warm-up draws (empty unless <see cref="SamplingOptions.SaveWarmup"/>).</param>
/// <param name="Samples">The post-warm-up draws.</param>
/// <param name="StepSize">The step size used for sampling (adapted, or the initial one).</param>
/// <param name="Metric">The metric used for sampling.</param>
/// <param name="WarmupDivergences">Divergent transitions during warm-up (saved or not).</param>
/// <param name="WarmupTime">Wall-clock time until this chain finished warm-up (shared with the chains batched beside it).</param>
/// <param name="SamplingTime">Wall-clock time from the end of warm-up to this chain's last draw.</param>
/// <param name="GradientEvaluations">Density and gradient evaluations spent on this chain (initialisation excluded).</param>
/// <param name="IterationsCompleted">Iterations (warm-up and sampling) finished.</param>
/// <param name="Messages">Warnings raised while running, in order.</param>
/// <param name="TrajectoryLength">ChEES: the adapted (mean) trajectory length T that sampling jitters; null for NUTS and static HMC.</param>
public sealed record ChainResult(
    int ChainId,
    IReadOnlyList<Draw> Warmup,
    IReadOnlyList<Draw> Samples,
    double StepSize,
    EuclideanMetric Metric,
    int WarmupDivergences,
    TimeSpan WarmupTime,
    TimeSpan SamplingTime,
    long GradientEvaluations,
    int IterationsCompleted,
    IReadOnlyList<string> Messages,
    double? TrajectoryLength = null);

/// <summary>A finished (or cleanly stopped) run.</summary>
/// <param name="Options">The settings used.</param>
/// <param name="Dimension">The number of unconstrained coordinates.</param>
/// <param name="Chains">One result per chain, in chain-id order.</param>
/// <param name="StopReason">Why the run ended.</param>
/// <param name="Elapsed">The run's wall-clock time.</param>
/// <param name="BatchedCalls">Calls made to <see cref="ILogDensityFunction.Evaluate"/>.</param>
public sealed record SamplingRun(
    SamplingOptions Options,
    int Dimension,
    IReadOnlyList<ChainResult> Chains,
    StopReason StopReason,
    TimeSpan Elapsed,
    long BatchedCalls);

/// <summary>The kinds of problem that stop a run before it starts.</summary>
public enum SamplingErrorKind
{
    /// <summary>The options are inconsistent.</summary>
    InvalidOptions,
    /// <summary>An initial position had the wrong length.</summary>
    InvalidInitialPosition,
    /// <summary>No initial position with a finite log density and gradient was found within the allowed attempts.</summary>
    InitialisationFailed,
}

/// <summary>A user-facing reason why sampling could not run.</summary>
public sealed record SamplingError(SamplingErrorKind Kind, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>Either a <see cref="SamplingRun"/> or the <see cref="SamplingError"/> that prevented it.</summary>
public sealed class SamplingResult
{
    private SamplingResult(SamplingRun? run, SamplingError? error)
    {
        Run = run;
        Error = error;
    }

    /// <summary>The run, when there is one.</summary>
    public SamplingRun? Run { get; }

    /// <summary>The error, when there is no run.</summary>
    public SamplingError? Error { get; }

    /// <summary>True when <see cref="Run"/> is set.</summary>
    public bool IsSuccess => Run is not null;

    /// <summary>A successful result.</summary>
    public static SamplingResult Success(SamplingRun run) => new(run, null);

    /// <summary>A failed result.</summary>
    public static SamplingResult Failure(SamplingErrorKind kind, string message) => new(null, new SamplingError(kind, message));

    /// <summary>The run, or an exception naming the error (for callers that have already checked).</summary>
    public SamplingRun GetRunOrThrow() => Run ?? throw new InvalidOperationException("Sampling failed: " + Error);
}
