namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// One transition of static Hamiltonian Monte Carlo: a fixed number of leapfrog steps followed by a Metropolis
/// accept/reject of the end point. Integration stops early once the energy error is non-finite or exceeds the
/// divergence threshold, since such a proposal is rejected whatever happens next.
/// </summary>
public sealed record StaticHmcTransition : IGradientRequester<TransitionOutcome>
{
    private const ulong MomentumStream = 0;
    private const ulong UniformStream = 1;

    private StaticHmcTransition() { }

    private EuclideanMetric Metric { get; init; } = null!;
    private double StepSize { get; init; }
    private int Steps { get; init; }
    private double MaxEnergyError { get; init; }
    private CounterRandom Random { get; init; }
    private PhasePoint Start0 { get; init; } = null!;
    private double InitialEnergy { get; init; }
    private int StepsTaken { get; init; }
    private LeapfrogDrift? Pending { get; init; }
    private TransitionOutcome? Outcome { get; init; }

    /// <inheritdoc />
    public bool IsComplete => Outcome is not null;

    /// <inheritdoc />
    public double[] RequestedPosition => Pending?.Position ?? throw new InvalidOperationException("The transition is complete.");

    /// <inheritdoc />
    public TransitionOutcome Result => Outcome ?? throw new InvalidOperationException("The transition is not complete.");

    /// <summary>The number of leapfrog steps for a trajectory length T at step size ε, as Stan computes it: max(1, ⌊T/ε⌋).</summary>
    public static int StepsForLength(double trajectoryLength, double stepSize)
    {
        double steps = Math.Floor(trajectoryLength / stepSize);
        return steps < 1 || double.IsNaN(steps) ? 1 : steps > int.MaxValue / 2 ? int.MaxValue / 2 : (int)steps;
    }

    /// <summary>Starts a transition from <paramref name="start"/> (its momentum is drawn afresh).</summary>
    public static StaticHmcTransition Start(PhasePoint start, double stepSize, int steps, EuclideanMetric metric, double maxEnergyError, CounterRandom random)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), "Static HMC needs at least one leapfrog step.");
        var momentum = metric.MomentumFromStandardNormals(random.Substream(MomentumStream).StandardNormals(start.Position.Length));
        var point = start.WithMomentum(momentum);
        return new StaticHmcTransition
        {
            Metric = metric,
            StepSize = stepSize,
            Steps = steps,
            MaxEnergyError = maxEnergyError,
            Random = random.Substream(UniformStream),
            Start0 = point,
            InitialEnergy = metric.Hamiltonian(point),
            Pending = Leapfrog.Drift(point, stepSize, metric),
        };
    }

    /// <inheritdoc />
    public IGradientRequester<TransitionOutcome> Advance(DensityEvaluation evaluation)
    {
        var drift = Pending ?? throw new InvalidOperationException("The transition is complete.");
        var point = Leapfrog.Land(drift, evaluation);
        int taken = StepsTaken + 1;
        double h = Metric.Hamiltonian(point);
        bool divergent = h - InitialEnergy > MaxEnergyError;
        if (taken < Steps && !divergent)
            return this with { StepsTaken = taken, Pending = Leapfrog.Drift(point, StepSize, Metric) };

        double acceptProbability = divergent ? 0 : Math.Min(1.0, Math.Exp(InitialEnergy - h));
        bool accept = Random.Uniform(0) < acceptProbability;
        var next = accept ? point : Start0;
        return this with
        {
            StepsTaken = taken,
            Pending = null,
            Outcome = new TransitionOutcome(next, acceptProbability, StepSize, 0, taken, divergent, accept ? h : InitialEnergy,
                divergent ? null : point),
        };
    }
}
