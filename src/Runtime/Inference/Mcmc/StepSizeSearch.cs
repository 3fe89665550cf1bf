namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// Stan's step-size initialisation heuristic (<c>init_stepsize</c>): from the current point with a fresh momentum,
/// take one leapfrog step; if the acceptance e^{−ΔH} is above 0.8 keep doubling ε until it is not, otherwise keep
/// halving until it is. Each trial draws a new momentum. A state machine so that chains share batched evaluations.
/// </summary>
public sealed record StepSizeSearch : IGradientRequester<StepSizeSearchResult>
{
    private static readonly double LogAcceptTarget = Math.Log(0.8);

    private StepSizeSearch() { }

    private PhasePoint Origin { get; init; } = null!;
    private EuclideanMetric Metric { get; init; } = null!;
    private CounterRandom Random { get; init; }
    private double StepSize { get; init; }
    private int Trial { get; init; }
    private int Direction { get; init; } // 0 until the first trial has set it
    private double TrialEnergy { get; init; }
    private LeapfrogDrift? Pending { get; init; }
    private StepSizeSearchResult? Outcome { get; init; }

    /// <inheritdoc />
    public bool IsComplete => Outcome is not null;

    /// <inheritdoc />
    public double[] RequestedPosition => Pending?.Position ?? throw new InvalidOperationException("The search is complete.");

    /// <inheritdoc />
    public StepSizeSearchResult Result => Outcome ?? throw new InvalidOperationException("The search is not complete.");

    /// <summary>Starts the search at <paramref name="stepSize"/>; like Stan, ε = 0, ε &gt; 10⁷ or NaN is returned unchanged.</summary>
    public static StepSizeSearch Start(PhasePoint origin, double stepSize, EuclideanMetric metric, CounterRandom random)
    {
        var state = new StepSizeSearch { Origin = origin, Metric = metric, Random = random, StepSize = stepSize };
        if (stepSize == 0 || stepSize > 1e7 || double.IsNaN(stepSize))
            return state with { Outcome = new StepSizeSearchResult(stepSize, 0, null) };
        return state.BeginTrial();
    }

    private StepSizeSearch BeginTrial()
    {
        var momentum = Metric.MomentumFromStandardNormals(Random.Substream((ulong)Trial).StandardNormals(Origin.Position.Length));
        var point = Origin.WithMomentum(momentum);
        return this with { TrialEnergy = Metric.Hamiltonian(point), Pending = Leapfrog.Drift(point, StepSize, Metric) };
    }

    /// <inheritdoc />
    public IGradientRequester<StepSizeSearchResult> Advance(DensityEvaluation evaluation)
    {
        var drift = Pending ?? throw new InvalidOperationException("The search is complete.");
        var point = Leapfrog.Land(drift, evaluation);
        double deltaH = TrialEnergy - Metric.Hamiltonian(point);
        int trial = Trial + 1;
        if (Direction == 0)
            return (this with { Trial = trial, Direction = deltaH > LogAcceptTarget ? 1 : -1 }).BeginTrial();

        bool done = Direction == 1 ? !(deltaH > LogAcceptTarget) : !(deltaH < LogAcceptTarget);
        if (done) return this with { Trial = trial, Pending = null, Outcome = new StepSizeSearchResult(StepSize, trial, null) };

        double next = Direction == 1 ? 2 * StepSize : 0.5 * StepSize;
        if (next > 1e7)
            return this with { Trial = trial, Pending = null, Outcome = new StepSizeSearchResult(next, trial, "The step size grew past 1e7 while searching for a reasonable one: the posterior may be improper.") };
        if (next == 0)
            return this with { Trial = trial, Pending = null, Outcome = new StepSizeSearchResult(StepSize, trial, "No acceptably small step size could be found: the posterior may not be continuous.") };
        return (this with { Trial = trial, StepSize = next }).BeginTrial();
    }
}

/// <summary>The outcome of <see cref="StepSizeSearch"/>.</summary>
/// <param name="StepSize">The step size found.</param>
/// <param name="Evaluations">The number of leapfrog steps (gradient evaluations) used.</param>
/// <param name="Warning">Why the search gave up, when it did; null otherwise.</param>
public sealed record StepSizeSearchResult(double StepSize, int Evaluations, string? Warning);
