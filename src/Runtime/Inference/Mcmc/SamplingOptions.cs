namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Which Hamiltonian Monte Carlo kernel to run.</summary>
public enum SamplerAlgorithm
{
    /// <summary>The No-U-Turn sampler (Stan's <c>engine = nuts</c>).</summary>
    Nuts,
    /// <summary>Static HMC with a fixed number of steps or a fixed integration time (Stan's <c>engine = static</c>).</summary>
    StaticHmc,
    /// <summary>ChEES-HMC (Hoffman, Radul and Sountsov 2021): many chains sharing one step size and one jittered
    /// trajectory length, all advanced by one batched density call per leapfrog step (<see cref="CheesSampler"/>).</summary>
    Chees,
    /// <summary>MEADS (Hoffman and Sountsov 2022): many chains of generalised HMC (one leapfrog step per iteration, partial
    /// momentum refresh, a persistent slice variable), whose step size, damping and diagonal metric each fold of chains
    /// takes from another fold's positions and gradients (<see cref="MeadsSampler"/>).</summary>
    Meads,
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

    /// <summary>The largest dimension for which ChEES accepts a dense (cross-chain covariance) metric.</summary>
    public const int MaxCheesDenseDimension = 1000;

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

    /// <summary>Before warm-up, take up to this many L-BFGS steps up the log density from each chain's initial
    /// position (0: none, as in Stan). Brings chains started far out in the tails near the mode quickly.</summary>
    public int InitialOptimizationIterations { get; init; }

    /// <summary>The initial optimisation stops when a step raises the log density by less than this times max(1, |log π|).</summary>
    public double InitialOptimizationTolerance { get; init; } = 1e-8;

    /// <summary>The number of leading unconstrained coordinates the initial optimisation holds at their initial
    /// values (a model's params come first: holding them optimises the latents given the params).</summary>
    public int InitialOptimizationHeld { get; init; }

    /// <summary>With a tree-depth cap: the maximum tree depth of the warm-up iterations before the first metric
    /// update (null: <see cref="MaxTreeDepth"/>). Early trajectories under the unit metric are long and mostly wasted.</summary>
    public int? EarlyMaxTreeDepth { get; init; }

    /// <summary>How many initial positions to try per chain before giving up (Stan: 100).</summary>
    public int MaxInitialisationAttempts { get; init; } = 100;

    /// <summary>Stop cleanly after this much wall-clock time, returning what was sampled.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>The least time between two progress reports.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>ChEES: the learning rate of the Adam ascent of the ChEES criterion in log T (per warm-up iteration).</summary>
    public double TrajectoryLearningRate { get; init; } = 0.025;

    /// <summary>ChEES: the most leapfrog steps one trajectory may take (T is capped at this many step sizes).</summary>
    public int MaxLeapfrogSteps { get; init; } = 1000;

    /// <summary>ChEES: the starting trajectory length T₀; null starts at one step size (after the step-size search).</summary>
    public double? InitialTrajectoryLength { get; init; }

    /// <summary>ChEES: the number of superchains K for nested R̂. The chains are split into K groups of C/K consecutive
    /// chains, and every chain of a group starts from the same initial point (its first chain's); null: one chain per
    /// group. C must be a multiple of K.</summary>
    public int? Superchains { get; init; }

    /// <summary>ChEES: the fraction of the warm-up during which the metric follows the chains' cross-chain variance;
    /// the rest of the warm-up keeps it fixed and averages the step size and trajectory length used for sampling.</summary>
    public double MetricAdaptationFraction { get; init; } = 0.8;

    /// <summary>MEADS: the number of chain folds; each fold's kernel is tuned from the next fold's chains.</summary>
    public int MeadsFolds { get; init; } = 4;

    /// <summary>MEADS: generalised HMC steps (one gradient each) per saved draw; warm-up iterations count the same way.</summary>
    public int MeadsStepsPerDraw { get; init; } = 10;

    /// <summary>True for the many-chain samplers (ChEES, MEADS), which share their adaptation across chains.</summary>
    public bool IsManyChain => Algorithm is SamplerAlgorithm.Chees or SamplerAlgorithm.Meads;

    /// <summary>The total iterations per chain.</summary>
    public int TotalIterations => NumWarmup + NumSamples;

    /// <summary>Chains per superchain (1 unless <see cref="Superchains"/> groups them).</summary>
    public int ChainsPerSuperchain => Superchains is { } k && k > 0 ? Chains / k : 1;

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
        if (InitialOptimizationIterations < 0) return "The number of initial optimisation steps cannot be negative.";
        if (InitialOptimizationHeld < 0 || InitialOptimizationHeld > dimension) return "The number of held coordinates must lie between 0 and the dimension.";
        if (!(InitialOptimizationTolerance >= 0)) return "The initial optimisation tolerance cannot be negative.";
        if (EarlyMaxTreeDepth is < 1) return "The early maximum tree depth must be at least 1.";
        if (MaxInitialisationAttempts < 1) return "At least one initialisation attempt is needed.";
        if (Algorithm == SamplerAlgorithm.Chees)
        {
            if (Chains < 2) return "ChEES needs at least 2 chains (it adapts from the spread across chains).";
            if ((Metric == MetricKind.Dense || InitialMetric is DenseMetric) && dimension > MaxCheesDenseDimension)
                return $"ChEES with a dense metric supports at most {MaxCheesDenseDimension} coordinates (this density has {dimension}): every leapfrog step of every chain multiplies by the D × D matrix; use the diagonal metric.";
            if (!(TrajectoryLearningRate > 0) || !double.IsFinite(TrajectoryLearningRate)) return "The trajectory learning rate must be positive and finite.";
            if (MaxLeapfrogSteps < 1) return "The maximum number of leapfrog steps must be at least 1.";
            if (InitialTrajectoryLength is { } t0 && (!(t0 > 0) || !double.IsFinite(t0))) return "The initial trajectory length must be positive and finite.";
            if (!(MetricAdaptationFraction >= 0 && MetricAdaptationFraction <= 1)) return "The metric adaptation fraction must lie in [0, 1].";
        }
        if (Algorithm == SamplerAlgorithm.Meads)
        {
            if (MeadsFolds < 2) return "MEADS needs at least 2 folds (each fold is tuned from another).";
            if (Chains < 2 * MeadsFolds) return $"MEADS needs at least 2 chains per fold: {2 * MeadsFolds} chains for {MeadsFolds} folds (it has {Chains}).";
            if (MeadsStepsPerDraw < 1) return "MEADS needs at least one step per draw.";
            if (Metric == MetricKind.Dense || InitialMetric is DenseMetric) return "MEADS adapts a diagonal metric; a dense metric is not supported (use --sampler chees --dense).";
        }
        if (Superchains is { } k)
        {
            if (Algorithm is not (SamplerAlgorithm.Chees or SamplerAlgorithm.Meads)) return "Superchains apply to the many-chain samplers (ChEES, MEADS) only.";
            if (k < 1 || k > Chains || Chains % k != 0) return $"The number of superchains ({k}) must divide the number of chains ({Chains}).";
        }
        if (InitialMetric is not null && InitialMetric.Dimension != dimension)
            return $"The initial metric has dimension {InitialMetric.Dimension} but the log density has {dimension}.";
        return null;
    }
}
