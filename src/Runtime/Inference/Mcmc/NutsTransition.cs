using System.Collections.Immutable;

namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// One transition of the No-U-Turn sampler as Stan runs it (multinomial sampling, Betancourt 2017), written as an
/// explicit state machine so that many chains can share batched gradient evaluations: every state waits for the
/// density of exactly one leapfrog step.
/// </summary>
/// <remarks>
/// <para>The trajectory doubles in a random direction until the no-U-turn criterion fails, a leapfrog step diverges,
/// or the maximum depth is reached. Stan builds each new subtree recursively; here its 2^depth leaves are produced one
/// by one and completed subtrees wait on a stack, merged with their left neighbour as soon as one of equal depth
/// exists (a binary counter). This visits the merges in exactly the recursion's post-order, so the algorithm is the
/// same: within a subtree the proposal is drawn multinomially (the right half wins with probability
/// w_right/(w_left+w_right)); at the top level biased progressive sampling moves to the new subtree's proposal with
/// probability min(1, w_new/w_old); every merge checks the generalised criterion p♯·ρ &gt; 0 at both ends of the merged
/// tree and, as Stan does since 2.21, across the two halves (each half extended by the neighbouring end momentum).</para>
/// <para>A leaf whose energy error exceeds <see cref="NutsSettings.MaxEnergyError"/>, or is not finite, is divergent:
/// the subtree is discarded and the trajectory stops (the draw records it).</para>
/// </remarks>
public sealed record NutsTransition : IGradientRequester<TransitionOutcome>
{
    private const ulong MomentumStream = 0;
    private const ulong UniformStream = 1;

    private NutsTransition() { }

    private EuclideanMetric Metric { get; init; } = null!;
    private NutsSettings Settings { get; init; } = null!;
    private double StepSize { get; init; }
    private CounterRandom Uniforms { get; init; }
    private ulong UniformsUsed { get; init; }
    private double InitialEnergy { get; init; }

    // The trajectory built so far.
    private TrajectoryEdge Backward { get; init; } = null!;
    private TrajectoryEdge Forward { get; init; } = null!;
    private double[] Rho { get; init; } = null!;
    private double LogSumWeight { get; init; }
    private PhasePoint Sample { get; init; } = null!;
    private int Depth { get; init; }
    private int LeapfrogSteps { get; init; }
    private double SumMetropolis { get; init; }
    private bool Divergent { get; init; }

    // The subtree under construction.
    private int Direction { get; init; }
    private int LeavesBuilt { get; init; }
    private ImmutableStack<Subtree> Completed { get; init; } = ImmutableStack<Subtree>.Empty;
    private LeapfrogDrift? Pending { get; init; }

    private TransitionOutcome? Outcome { get; init; }

    /// <inheritdoc />
    public bool IsComplete => Outcome is not null;

    /// <inheritdoc />
    public double[] RequestedPosition => Pending?.Position ?? throw new InvalidOperationException("The transition is complete.");

    /// <inheritdoc />
    public TransitionOutcome Result => Outcome ?? throw new InvalidOperationException("The transition is not complete.");

    /// <summary>Starts a transition from <paramref name="start"/> (its momentum is ignored and drawn afresh).</summary>
    /// <param name="start">The current state, with its density and gradient.</param>
    /// <param name="stepSize">The leapfrog step size ε &gt; 0.</param>
    /// <param name="metric">The Euclidean metric.</param>
    /// <param name="settings">Maximum tree depth and divergence threshold.</param>
    /// <param name="random">This transition's own random stream.</param>
    public static NutsTransition Start(PhasePoint start, double stepSize, EuclideanMetric metric, NutsSettings settings, CounterRandom random)
    {
        var momentum = metric.MomentumFromStandardNormals(random.Substream(MomentumStream).StandardNormals(start.Position.Length));
        var point = start.WithMomentum(momentum);
        var edge = new TrajectoryEdge(point, metric.Velocity(momentum));
        var state = new NutsTransition
        {
            Metric = metric,
            Settings = settings,
            StepSize = stepSize,
            Uniforms = random.Substream(UniformStream),
            InitialEnergy = metric.Hamiltonian(point),
            Backward = edge,
            Forward = edge,
            Rho = momentum,
            LogSumWeight = 0, // log(exp(H0 − H0))
            Sample = point,
        };
        return state.BeginSubtree();
    }

    /// <inheritdoc />
    public IGradientRequester<TransitionOutcome> Advance(DensityEvaluation evaluation)
    {
        var drift = Pending ?? throw new InvalidOperationException("The transition is complete.");
        var point = Leapfrog.Land(drift, evaluation);
        var velocity = Metric.Velocity(point.Momentum);
        double h = point.IsFinite ? point.PotentialEnergy + EuclideanMetric.KineticEnergy(point.Momentum, velocity) : double.PositiveInfinity;
        if (double.IsNaN(h)) h = double.PositiveInfinity;
        double logWeight = InitialEnergy - h;
        bool divergent = h - InitialEnergy > Settings.MaxEnergyError;

        var state = this with
        {
            LeapfrogSteps = LeapfrogSteps + 1,
            SumMetropolis = SumMetropolis + (logWeight > 0 ? 1.0 : Math.Exp(logWeight)),
            Divergent = divergent,
            Pending = null,
        };
        if (divergent) return state.Finish();

        var subtree = new Subtree(0, point.Momentum, velocity, point.Momentum, velocity, point.Momentum, logWeight, point);
        var stack = Completed;
        ulong used = UniformsUsed;
        while (!stack.IsEmpty && stack.Peek().Depth == subtree.Depth)
        {
            var left = stack.Peek();
            stack = stack.Pop();
            bool valid;
            (subtree, valid) = Subtree.Merge(left, subtree, Uniforms.Uniform(used++));
            if (!valid) return (state with { UniformsUsed = used }).Finish();
        }
        state = state with { UniformsUsed = used, LeavesBuilt = LeavesBuilt + 1 };
        if (state.LeavesBuilt < 1 << Depth)
        {
            return state with
            {
                Completed = stack.Push(subtree),
                Pending = Leapfrog.Drift(point, Direction * StepSize, Metric),
            };
        }
        return state.MergeIntoTrajectory(subtree, new TrajectoryEdge(point, velocity));
    }

    private NutsTransition BeginSubtree()
    {
        if (Depth >= Settings.MaxTreeDepth) return Finish();
        ulong used = UniformsUsed;
        int direction = Uniforms.Uniform(used++) > 0.5 ? 1 : -1;
        var from = direction > 0 ? Forward.Point : Backward.Point;
        return this with
        {
            UniformsUsed = used,
            Direction = direction,
            LeavesBuilt = 0,
            Completed = ImmutableStack<Subtree>.Empty,
            Pending = Leapfrog.Drift(from, direction * StepSize, Metric),
        };
    }

    /// <summary>Joins a complete, valid subtree to the trajectory: biased progressive sampling, then the criteria.</summary>
    private NutsTransition MergeIntoTrajectory(Subtree subtree, TrajectoryEdge newEdge)
    {
        ulong used = UniformsUsed;
        var sample = Sample;
        if (subtree.LogSumWeight > LogSumWeight) sample = subtree.Proposal;
        else if (Uniforms.Uniform(used++) < Math.Exp(subtree.LogSumWeight - LogSumWeight)) sample = subtree.Proposal;

        // The old trajectory oriented like the new subtree: it begins at the far end and ends where the subtree begins.
        var (oldBegin, oldEnd) = Direction > 0 ? (Backward, Forward) : (Forward, Backward);
        var rho = VectorMath.Add(Rho, subtree.Rho);
        bool persist = Subtree.Criterion(oldBegin.Velocity, subtree.VelocityEnd, rho)
            && Subtree.Criterion(oldBegin.Velocity, subtree.VelocityBegin, VectorMath.Add(Rho, subtree.MomentumBegin))
            && Subtree.Criterion(oldEnd.Velocity, subtree.VelocityEnd, VectorMath.Add(subtree.Rho, oldEnd.Point.Momentum));

        var state = this with
        {
            UniformsUsed = used,
            Sample = sample,
            LogSumWeight = VectorMath.LogSumExp(LogSumWeight, subtree.LogSumWeight),
            Rho = rho,
            Depth = Depth + 1,
            Backward = Direction < 0 ? newEdge : Backward,
            Forward = Direction > 0 ? newEdge : Forward,
            Completed = ImmutableStack<Subtree>.Empty,
        };
        return persist ? state.BeginSubtree() : state.Finish();
    }

    private NutsTransition Finish()
    {
        double energy = Metric.Hamiltonian(Sample);
        return this with
        {
            Pending = null,
            Completed = ImmutableStack<Subtree>.Empty,
            Outcome = new TransitionOutcome(Sample, SumMetropolis / LeapfrogSteps, StepSize, Depth, LeapfrogSteps, Divergent, energy),
        };
    }

    /// <summary>One end of the trajectory: the point and its velocity M⁻¹p.</summary>
    private sealed record TrajectoryEdge(PhasePoint Point, double[] Velocity);

    /// <summary>A completed subtree: its end momenta and velocities (begin = nearest the trajectory it extends),
    /// summed momentum ρ, log of summed weights exp(H0 − H) and multinomial proposal.</summary>
    private sealed record Subtree(
        int Depth,
        double[] MomentumBegin,
        double[] VelocityBegin,
        double[] MomentumEnd,
        double[] VelocityEnd,
        double[] Rho,
        double LogSumWeight,
        PhasePoint Proposal)
    {
        /// <summary>The generalised no-U-turn criterion: both end velocities still point along ρ.</summary>
        public static bool Criterion(double[] velocityA, double[] velocityB, double[] rho) =>
            VectorMath.Dot(velocityA, rho) > 0 && VectorMath.Dot(velocityB, rho) > 0;

        /// <summary>Merges two adjacent subtrees of equal depth, <paramref name="init"/> built first.</summary>
        public static (Subtree Merged, bool Valid) Merge(Subtree init, Subtree final, double uniform)
        {
            double logSumWeight = VectorMath.LogSumExp(init.LogSumWeight, final.LogSumWeight);
            var proposal = final.LogSumWeight > logSumWeight || uniform < Math.Exp(final.LogSumWeight - logSumWeight)
                ? final.Proposal
                : init.Proposal;
            var rho = VectorMath.Add(init.Rho, final.Rho);
            bool valid = Criterion(init.VelocityBegin, final.VelocityEnd, rho)
                && Criterion(init.VelocityBegin, final.VelocityBegin, VectorMath.Add(init.Rho, final.MomentumBegin))
                && Criterion(init.VelocityEnd, final.VelocityEnd, VectorMath.Add(final.Rho, init.MomentumEnd));
            var merged = new Subtree(init.Depth + 1, init.MomentumBegin, init.VelocityBegin, final.MomentumEnd, final.VelocityEnd, rho, logSumWeight, proposal);
            return (merged, valid);
        }
    }
}

/// <summary>Settings of the No-U-Turn sampler.</summary>
/// <param name="MaxTreeDepth">The maximum number of trajectory doublings (Stan's <c>max_depth</c>, default 10).</param>
/// <param name="MaxEnergyError">The energy error above which a leapfrog step is divergent (Stan: 1000).</param>
public sealed record NutsSettings(int MaxTreeDepth = 10, double MaxEnergyError = 1000);
