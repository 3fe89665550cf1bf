namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Which Hamiltonian Monte Carlo kernel to run.</summary>
public enum SamplerAlgorithm
{
    /// <summary>The No-U-Turn sampler (Stan's <c>engine = nuts</c>).</summary>
    Nuts,
    /// <summary>Static HMC with a fixed number of steps or a fixed integration time (Stan's <c>engine = static</c>).</summary>
    StaticHmc,
}

/// <summary>
/// Settings of a sampling run. The defaults are CmdStan's: 4 chains, 1000 warm-up and 1000 sampling iterations,
/// NUTS with maximum depth 10, a diagonal metric, δ = 0.8, γ = 0.05, κ = 0.75, t0 = 10 and windows 75 / 25 / 50.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>The number of chains C, run together with batched density evaluations.</summary>
    public int Chains { get; init; } = 4;

    /// <summary>The id of the first chain (CmdStan ids start at 1). A chain's random stream depends only on
    /// (<see cref="Seed"/>, chain id), so chain k of a batched run equals a run of that chain alone.</summary>
    public int FirstChainId { get; init; } = 1;

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>Warm-up (adaptation) iterations per chain.</summary>
    public int NumWarmup { get; init; } = 1000;

    /// <summary>Sampling iterations per chain.</summary>
    public int NumSamples { get; init; } = 1000;

    /// <summary>Keep the warm-up draws in the result (and output files).</summary>
    public bool SaveWarmup { get; init; }

    /// <summary>The kernel.</summary>
    public SamplerAlgorithm Algorithm { get; init; } = SamplerAlgorithm.Nuts;

    /// <summary>NUTS: the maximum tree depth.</summary>
    public int MaxTreeDepth { get; init; } = 10;

    /// <summary>The energy error above which a step counts as divergent.</summary>
    public double MaxEnergyError { get; init; } = 1000;

    /// <summary>Static HMC: a fixed number of leapfrog steps (used when <see cref="StaticIntegrationTime"/> is null).</summary>
    public int StaticSteps { get; init; } = 10;

    /// <summary>Static HMC: a fixed integration time T (Stan's <c>int_time</c>); steps = max(1, ⌊T/ε⌋).</summary>
    public double? StaticIntegrationTime { get; init; }

    /// <summary>The metric kind to adapt (ignored when <see cref="InitialMetric"/> is given and adaptation is off).</summary>
    public MetricKind Metric { get; init; } = MetricKind.Diagonal;

    /// <summary>The metric to start from; the identity when null.</summary>
    public EuclideanMetric? InitialMetric { get; init; }

    /// <summary>The initial step size ε₀ (also sets the dual-averaging shrinkage point μ = log(10 ε₀)).</summary>
    public double InitialStepSize { get; init; } = 1;

    /// <summary>Adapt the step size and the metric during warm-up.</summary>
    public bool AdaptEngaged { get; init; } = true;

    /// <summary>The target acceptance statistic δ.</summary>
    public double AdaptDelta { get; init; } = 0.8;

    /// <summary>Dual averaging γ.</summary>
    public double AdaptGamma { get; init; } = 0.05;

    /// <summary>Dual averaging κ.</summary>
    public double AdaptKappa { get; init; } = 0.75;

    /// <summary>Dual averaging t0.</summary>
    public double AdaptT0 { get; init; } = 10;

    /// <summary>The initial fast adaptation interval.</summary>
    public int InitBuffer { get; init; } = 75;

    /// <summary>The terminal fast adaptation interval.</summary>
    public int TermBuffer { get; init; } = 50;

    /// <summary>The first slow adaptation window.</summary>
    public int BaseWindow { get; init; } = 25;

    /// <summary>How many initial positions to try per chain before giving up (Stan: 100).</summary>
    public int MaxInitialisationAttempts { get; init; } = 100;

    /// <summary>Stop cleanly after this much wall-clock time, returning what was sampled.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>The least time between two progress reports.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The total iterations per chain.</summary>
    public int TotalIterations => NumWarmup + NumSamples;

    /// <summary>Checks the settings against a log density of dimension <paramref name="dimension"/>; null when valid.</summary>
    public string? Validate(int dimension)
    {
        if (dimension <= 0) return "The log density has no coordinates.";
        if (Chains < 1) return "At least one chain is needed.";
        if (NumWarmup < 0 || NumSamples < 0) return "Iteration counts cannot be negative.";
        if (MaxTreeDepth < 1) return "The maximum tree depth must be at least 1.";
        if (!(MaxEnergyError > 0)) return "The divergence threshold must be positive.";
        if (Algorithm == SamplerAlgorithm.StaticHmc && StaticIntegrationTime is null && StaticSteps < 1) return "Static HMC needs at least one leapfrog step.";
        if (StaticIntegrationTime is { } t && !(t > 0)) return "The integration time must be positive.";
        if (!(InitialStepSize > 0) || !double.IsFinite(InitialStepSize)) return "The initial step size must be positive and finite.";
        if (!(AdaptDelta > 0 && AdaptDelta < 1)) return "The target acceptance statistic (adapt delta) must lie in (0, 1).";
        if (!(AdaptGamma > 0) || !(AdaptKappa > 0) || !(AdaptT0 > 0)) return "Dual averaging needs positive gamma, kappa and t0.";
        if (InitBuffer < 0 || TermBuffer < 0 || BaseWindow < 1) return "Adaptation buffers cannot be negative and the base window must be at least 1.";
        if (MaxInitialisationAttempts < 1) return "At least one initialisation attempt is needed.";
        if (InitialMetric is not null && InitialMetric.Dimension != dimension)
            return $"The initial metric has dimension {InitialMetric.Dimension} but the log density has {dimension}.";
        return null;
    }
}
