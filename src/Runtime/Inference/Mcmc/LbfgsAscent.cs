namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// Limited-memory BFGS ascent of the log density from a chain's initial point, used to bring a chain near the mode
/// before warm-up (<see cref="SamplingOptions.InitialOptimizationIterations"/>). The search direction comes from
/// the two-loop recursion over the last <see cref="Memory"/> steps, scaled by sᵀy/yᵀy; the step length backtracks
/// (halving) until the Armijo condition holds. Pairs without positive curvature are skipped, so the inverse Hessian
/// approximation stays positive definite. A state machine, like <see cref="StepSizeSearch"/>, so that chains share
/// batched evaluations: every request is one trial point.
/// </summary>
public sealed record LbfgsAscent : IGradientRequester<LbfgsOutcome>
{
    /// <summary>The number of (step, gradient change) pairs kept.</summary>
    public const int Memory = 10;

    private const double ArmijoConstant = 1e-4;
    private const int MaxBacktracks = 40;

    private LbfgsAscent() { }

    private double[] Position { get; init; } = null!;
    private DensityEvaluation Current { get; init; }          // the gradient with the held coordinates zeroed
    private DensityEvaluation CurrentFull { get; init; }      // as evaluated
    private int Held { get; init; }
    private IReadOnlyList<(double[] S, double[] Y, double Rho)> History { get; init; } = Array.Empty<(double[], double[], double)>();
    private double[] Direction { get; init; } = null!;
    private double Slope { get; init; }
    private double Alpha { get; init; }
    private int Backtracks { get; init; }
    private int Iteration { get; init; }
    private int MaxIterations { get; init; }
    private double RelativeTolerance { get; init; }
    private int Evaluations { get; init; }
    private double[]? Pending { get; init; }
    private LbfgsOutcome? Outcome { get; init; }

    /// <inheritdoc />
    public bool IsComplete => Outcome is not null;

    /// <inheritdoc />
    public double[] RequestedPosition => Pending ?? throw new InvalidOperationException("The ascent is complete.");

    /// <inheritdoc />
    public LbfgsOutcome Result => Outcome ?? throw new InvalidOperationException("The ascent is not complete.");

    /// <summary>
    /// Starts from a point whose density is known and finite. The ascent stops after <paramref name="maxIterations"/>
    /// accepted steps, when a step raises the log density by less than <paramref name="relativeTolerance"/>·max(1, |log π|),
    /// or when no step length along the direction raises it at all.
    /// </summary>
    /// <param name="position">The start.</param>
    /// <param name="evaluation">The density there.</param>
    /// <param name="maxIterations">The most accepted steps.</param>
    /// <param name="relativeTolerance">The stopping tolerance on the gain of a step.</param>
    /// <param name="held">The number of leading coordinates held at their initial values (0: optimise all).</param>
    public static LbfgsAscent Start(double[] position, DensityEvaluation evaluation, int maxIterations, double relativeTolerance = 1e-8, int held = 0)
    {
        var state = new LbfgsAscent
        {
            Position = position, Current = Hold(evaluation, held), CurrentFull = evaluation, Held = held,
            MaxIterations = maxIterations, RelativeTolerance = relativeTolerance,
        };
        evaluation = state.Current;
        if (maxIterations <= 0 || !evaluation.IsFinite) return state.Finish(LbfgsStop.IterationLimit);
        double norm = Math.Sqrt(VectorMath.Dot(evaluation.Gradient, evaluation.Gradient));
        if (norm == 0) return state.Finish(LbfgsStop.Converged);
        // The first step moves a unit distance along the gradient (then backtracks); later steps use the curvature pairs.
        var direction = Scale(evaluation.Gradient, 1 / norm);
        return state.Propose(direction, 1.0);
    }

    private LbfgsAscent Propose(double[] direction, double alpha)
    {
        double slope = VectorMath.Dot(Current.Gradient, direction);
        if (!(slope > 0))
        {
            // Rounding can spoil the curvature pairs: start again from the normalised gradient.
            double norm = Math.Sqrt(VectorMath.Dot(Current.Gradient, Current.Gradient));
            direction = Scale(Current.Gradient, 1 / norm);
            slope = norm;
            return (this with { History = Array.Empty<(double[], double[], double)>() }).ProposeAlong(direction, slope, alpha);
        }
        return ProposeAlong(direction, slope, alpha);
    }

    private LbfgsAscent ProposeAlong(double[] direction, double slope, double alpha)
    {
        return this with
        {
            Direction = direction,
            Slope = slope,
            Alpha = alpha,
            Backtracks = 0,
            Pending = VectorMath.AddScaled(Position, alpha, direction),
        };
    }

    private LbfgsAscent Finish(LbfgsStop stop) => this with
    {
        Pending = null,
        Outcome = new LbfgsOutcome(Position, CurrentFull, Iteration, Evaluations, stop),
    };

    /// <inheritdoc />
    public IGradientRequester<LbfgsOutcome> Advance(DensityEvaluation evaluation)
    {
        var trial = Pending ?? throw new InvalidOperationException("The ascent is complete.");
        var full = evaluation;
        evaluation = Hold(evaluation, Held);
        var counted = this with { Evaluations = Evaluations + 1 };
        bool sufficient = evaluation.IsFinite && evaluation.LogDensity >= Current.LogDensity + ArmijoConstant * Alpha * Slope;
        if (!sufficient)
        {
            if (Backtracks + 1 >= MaxBacktracks) return counted.Finish(LbfgsStop.NoProgress);
            double alpha = 0.5 * Alpha;
            return counted with { Alpha = alpha, Backtracks = Backtracks + 1, Pending = VectorMath.AddScaled(Position, alpha, Direction) };
        }

        double gain = evaluation.LogDensity - Current.LogDensity;
        var s = VectorMath.AddScaled(trial, -1, Position);
        // Minimising f = −log π: y = ∇f(new) − ∇f(old) = g(old) − g(new).
        var y = VectorMath.AddScaled(Current.Gradient, -1, evaluation.Gradient);
        double sy = VectorMath.Dot(s, y);
        var history = History;
        if (sy > 1e-12 * Math.Sqrt(VectorMath.Dot(y, y) * VectorMath.Dot(s, s)))
        {
            var list = History.Skip(History.Count == Memory ? 1 : 0).ToList();
            list.Add((s, y, 1 / sy));
            history = list;
        }
        var next = counted with { Position = trial, Current = evaluation, CurrentFull = full, History = history, Iteration = Iteration + 1 };
        if (next.Iteration >= MaxIterations) return next.Finish(LbfgsStop.IterationLimit);
        if (gain <= RelativeTolerance * Math.Max(1, Math.Abs(evaluation.LogDensity))) return next.Finish(LbfgsStop.Converged);
        if (VectorMath.Dot(evaluation.Gradient, evaluation.Gradient) == 0) return next.Finish(LbfgsStop.Converged);
        return next.Propose(next.TwoLoopDirection(), 1.0);
    }

    /// <summary>The ascent direction −H∇f = H∇log π, H the L-BFGS inverse Hessian approximation.</summary>
    private double[] TwoLoopDirection()
    {
        var q = (double[])Current.Gradient.Clone();
        int m = History.Count;
        var a = new double[m];
        for (int i = m - 1; i >= 0; i--)
        {
            var (s, y, rho) = History[i];
            a[i] = rho * VectorMath.Dot(s, q);
            for (int j = 0; j < q.Length; j++) q[j] -= a[i] * y[j];
        }
        if (m > 0)
        {
            var (s, y, _) = History[m - 1];
            double gamma = VectorMath.Dot(s, y) / VectorMath.Dot(y, y);
            for (int j = 0; j < q.Length; j++) q[j] *= gamma;
        }
        for (int i = 0; i < m; i++)
        {
            var (s, y, rho) = History[i];
            double b = rho * VectorMath.Dot(y, q);
            for (int j = 0; j < q.Length; j++) q[j] += (a[i] - b) * s[j];
        }
        return q;
    }

    private static DensityEvaluation Hold(DensityEvaluation evaluation, int held)
    {
        if (held == 0) return evaluation;
        var gradient = (double[])evaluation.Gradient.Clone();
        Array.Clear(gradient, 0, Math.Min(held, gradient.Length));
        return evaluation with { Gradient = gradient };
    }

    private static double[] Scale(double[] v, double c)
    {
        var r = new double[v.Length];
        for (int i = 0; i < r.Length; i++) r[i] = c * v[i];
        return r;
    }
}

/// <summary>Why an <see cref="LbfgsAscent"/> stopped.</summary>
public enum LbfgsStop
{
    /// <summary>The iteration limit was reached.</summary>
    IterationLimit,
    /// <summary>The last step raised the log density by less than the relative tolerance.</summary>
    Converged,
    /// <summary>No step length along the last direction raised the log density (a mode, up to rounding).</summary>
    NoProgress,
}

/// <summary>The outcome of an <see cref="LbfgsAscent"/>: the best point found, with its density.</summary>
/// <param name="Position">The unconstrained position reached.</param>
/// <param name="Evaluation">The log density and gradient there.</param>
/// <param name="Iterations">Accepted steps.</param>
/// <param name="Evaluations">Density evaluations used (trial points, including rejected ones).</param>
/// <param name="Stop">Why it stopped.</param>
public sealed record LbfgsOutcome(double[] Position, DensityEvaluation Evaluation, int Iterations, int Evaluations, LbfgsStop Stop);
