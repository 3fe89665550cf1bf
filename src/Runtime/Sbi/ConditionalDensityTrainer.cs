using System.Diagnostics;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// Fits a <see cref="ConditionalFlow"/> q(target | context) by maximum likelihood, optionally with a
/// score-matching term λ·mean‖∇ log q(target | context) − s‖². Shared by NPE (target θ, context x) and NLE
/// (target x, context θ). Adam, mini-batches, per-epoch learning-rate schedule, gradient-norm clipping,
/// a validation split with early stopping that restores the best weights. Fully seeded: the initial weights
/// come from the counter-based stream and the split and batch order from a seeded shuffle, so the same seed
/// and data give the same weights on CPU.
/// </summary>
public static class ConditionalDensityTrainer
{
    private const int EvaluationChunk = 4096;

    /// <summary>
    /// Trains a flow. <paramref name="target"/> [n, d]; <paramref name="context"/> [n, ...] or null for an
    /// unconditional density; <paramref name="score"/> [n, d] with <paramref name="scoreWeight"/> &gt; 0 for
    /// score-augmented training (smooth flows only). Rows with a NaN or infinite value anywhere are dropped and
    /// counted. The architecture's Dimension and ContextShape are taken from the data.
    /// </summary>
    public static SbiResult<(ConditionalFlow Flow, TrainingReport Report)> Train(
        Tensor target, Tensor? context, Tensor? score, double scoreWeight,
        FlowArchitecture architecture, TrainingOptions options, IProgress<TrainingProgress>? progress = null)
    {
        var invalid = Validate(target, context, score, scoreWeight, architecture, options);
        if (invalid is not null) return invalid;
        var stopwatch = Stopwatch.StartNew();
        var device = options.Device ?? CPU;
        long n = target.shape[0];

        // The flow is built outside the data's dispose scope: its weights must outlive it.
        var fullArchitecture = architecture with
        {
            Dimension = (int)target.shape[1],
            ContextShape = context is null ? [] : context.shape.Skip(1).ToArray(),
        };
        var flow = new ConditionalFlow(fullArchitecture, options.Seed).MoveTo(device);

        using var dataScope = NewDisposeScope();
        var (x, c, s, dropped) = FiniteRows(target, context, score, device);
        long kept = x.shape[0];
        long validationRows = options.ValidationFraction > 0 ? Math.Max(1, (long)Math.Round(options.ValidationFraction * kept)) : 0;
        long trainingRows = kept - validationRows;
        if (trainingRows < 2)
        {
            flow.Dispose();
            return SbiResult<(ConditionalFlow, TrainingReport)>.Failure(SbiError.TooFewRows,
                $"Only {kept} of {n} simulations are finite ({dropped} dropped); at least {validationRows + 2} are needed.");
        }

        var shuffle = new SeededShuffle(options.Seed);
        var order = shuffle.Permutation(kept);
        using var validationIndex = tensor(order[..(int)validationRows], device: device);
        var trainingOrder = order[(int)validationRows..];
        using var trainingIndex = tensor(trainingOrder, device: device);
        var trainX = x.index_select(0, trainingIndex);
        var trainC = c?.index_select(0, trainingIndex);
        var trainS = s?.index_select(0, trainingIndex);
        var validX = x.index_select(0, validationIndex);
        var validC = c?.index_select(0, validationIndex);
        var validS = s?.index_select(0, validationIndex);

        flow.FitStandardization(trainX, trainC);

        var parameters = flow.parameters().ToList();
        using var optimizer = new AdamOptimizer(parameters, options.LearningRate);
        using var stopping = new EarlyStopping(flow, options);
        int epoch;
        double lambda = score is null ? 0 : scoreWeight;

        for (epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            double learningRate = options.Schedule.At(options.LearningRate, epoch - 1, options.MaxEpochs);
            optimizer.LearningRate = learningRate;

            var batches = shuffle.Permutation(trainingRows);
            double sum = 0;
            for (long start = 0; start < trainingRows; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(options.BatchSize, trainingRows - start);
                var index = tensor(batches.AsSpan((int)start, (int)size).ToArray(), device: device);
                double value = Step(flow, optimizer, parameters, trainX.index_select(0, index), trainC?.index_select(0, index),
                    trainS?.index_select(0, index), lambda, options.GradientClipNorm);
                if (!double.IsFinite(value))
                {
                    flow.Dispose();
                    return SbiResult<(ConditionalFlow, TrainingReport)>.Failure(SbiError.Diverged, DivergedMessage(value, epoch));
                }
                sum += value * size;
            }
            double trainLoss = sum / trainingRows;
            double validationLoss = validationRows > 0 ? Evaluate(flow, validX, validC, validS, lambda) : double.NaN;
            if (stopping.EndEpoch(epoch, trainLoss, validationLoss, validationRows > 0, learningRate, progress)) break;
        }

        var report = stopping.Finish(dropped, trainingRows, validationRows, stopwatch.Elapsed.TotalSeconds);
        return SbiResult<(ConditionalFlow, TrainingReport)>.Success((flow, report));
    }

    /// <summary>Mean negative log-density, plus λ·mean‖∇ log q − s‖² when a score is given.</summary>
    /// <summary>
    /// One Adam step on a minibatch: the loss, its gradient, clipping (when <paramref name="clipNorm"/> &gt; 0) and the
    /// update. Returns the loss; when it is not finite nothing is updated and the caller stops training.
    /// </summary>
    public static double Step(ConditionalFlow flow, AdamOptimizer optimizer, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, Tensor target,
        Tensor? context, Tensor? score, double scoreWeight, double clipNorm)
    {
        optimizer.ZeroGrad();
        var loss = Loss(flow, target, context, score, scoreWeight, createGraph: true);
        double value = loss.item<float>();
        if (!double.IsFinite(value)) return value;
        loss.backward();
        if (clipNorm > 0) nn.utils.clip_grad_norm_(parameters, clipNorm);
        optimizer.Step();
        return value;
    }

    /// <summary>The message of a training run stopped by a non-finite loss.</summary>
    public static string DivergedMessage(double loss, int epoch) =>
        $"The training loss became {loss} in epoch {epoch}; try a smaller learning rate or gradient clipping.";

    public static Tensor Loss(ConditionalFlow flow, Tensor target, Tensor? context, Tensor? score, double scoreWeight, bool createGraph)
    {
        if (score is null || scoreWeight <= 0) return -flow.LogProb(target, context).mean();
        var input = target.detach().requires_grad_(true);
        var logProb = flow.LogProb(input, context);
        var gradient = autograd.grad([logProb.sum()], [input], retain_graph: createGraph, create_graph: createGraph)[0];
        var scoreTerm = TensorArithmetic.Square((gradient - score)).sum(1).mean();
        return TensorArithmetic.Add(-logProb.mean(), TensorArithmetic.Mul(scoreWeight, scoreTerm));
    }

    /// <summary>The mean score-matching term ‖∇ log q − s‖² over all rows, evaluated in chunks.</summary>
    public static double ScoreMatchingError(ConditionalFlow flow, Tensor target, Tensor? context, Tensor score)
    {
        double sum = 0;
        long n = target.shape[0];
        for (long start = 0; start < n; start += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(EvaluationChunk, n - start);
            var gradient = flow.LogProbGradient(target.narrow(0, start, size), context?.narrow(0, start, size));
            sum += TensorArithmetic.Square((gradient - score.narrow(0, start, size))).sum(1).sum().item<float>();
        }
        return sum / n;
    }

    internal static double Evaluate(ConditionalFlow flow, Tensor x, Tensor? c, Tensor? s, double lambda)
    {
        double sum = 0;
        long n = x.shape[0];
        for (long start = 0; start < n; start += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(EvaluationChunk, n - start);
            var xs = x.narrow(0, start, size);
            var cs = c?.narrow(0, start, size);
            Tensor loss;
            if (s is null || lambda <= 0)
            {
                using var noGrad = no_grad();
                loss = -flow.LogProb(xs, cs).mean();
            }
            else loss = Loss(flow, xs, cs, s.narrow(0, start, size), lambda, createGraph: false);
            sum += loss.item<float>() * size;
        }
        return sum / n;
    }

    private static SbiError? Validate(Tensor target, Tensor? context, Tensor? score, double scoreWeight,
        FlowArchitecture architecture, TrainingOptions options)
    {
        if (target.dim() != 2)
            return new SbiError(SbiError.ShapeMismatch, $"The target must have shape [n, d]; got [{string.Join(", ", target.shape)}].");
        long n = target.shape[0];
        if (context is not null && (context.dim() < 2 || context.shape[0] != n))
            return new SbiError(SbiError.ShapeMismatch, $"The context must have shape [{n}, ...]; got [{string.Join(", ", context.shape)}].");
        if (score is not null)
        {
            if (score.dim() != 2 || score.shape[0] != n || score.shape[1] != target.shape[1])
                return new SbiError(SbiError.ShapeMismatch, $"The score must have the target's shape [{n}, {target.shape[1]}]; got [{string.Join(", ", score.shape)}].");
            if (ScoreAugmentationError(architecture, scoreWeight) is { } unsupported) return unsupported;
        }
        return options.Problem(minimumBatch: 1);
    }

    /// <summary>
    /// Why score-augmented training cannot use <paramref name="architecture"/> with weight <paramref name="scoreWeight"/>,
    /// or null when it can: the flow's log-density must have smooth gradients (smooth couplings with smooth conditioner
    /// activations) and λ must be positive and finite. Callers can check before spending time on simulations.
    /// </summary>
    public static SbiError? ScoreAugmentationError(FlowArchitecture architecture, double scoreWeight)
    {
        if (architecture.Kind != FlowKind.SmoothCoupling)
            return new SbiError(SbiError.ScoreNeedsSmoothFlow,
                $"Score-augmented training needs a flow whose log-density has smooth gradients; {architecture.Kind} flows do not " +
                "(affine and MAF layers give gradients of limited expressiveness, splines have discontinuous curvature). Use FlowKind.SmoothCoupling.");
        if (!Activation.IsSmooth(architecture.Activation))
            return new SbiError(SbiError.ScoreNeedsSmoothFlow,
                $"Score-augmented training needs smooth conditioner activations (Silu or Tanh), not {architecture.Activation}.");
        if (!(scoreWeight > 0) || !double.IsFinite(scoreWeight))
            return new SbiError(SbiError.InvalidOption, $"The score weight λ must be positive and finite; got {scoreWeight}.");
        return null;
    }

    /// <summary>Moves the data to float32 on the device and drops rows holding a NaN or infinity anywhere.</summary>
    private static (Tensor X, Tensor? C, Tensor? S, long Dropped) FiniteRows(Tensor target, Tensor? context, Tensor? score, Device device) =>
        FiniteRows(target.to(ScalarType.Float32, device), context?.to(ScalarType.Float32, device), score?.to(ScalarType.Float32, device));

    /// <summary>
    /// The rows of <paramref name="target"/>, <paramref name="context"/> and <paramref name="score"/> that hold no NaN or
    /// infinity in any of them (the tensors themselves when all do), and the number of rows dropped.
    /// </summary>
    public static (Tensor Target, Tensor? Context, Tensor? Score, long Dropped) FiniteRows(Tensor target, Tensor? context, Tensor? score)
    {
        long n = target.shape[0];
        var finite = RowFinite(target);
        if (context is not null) finite = finite.logical_and(RowFinite(context));
        if (score is not null) finite = finite.logical_and(RowFinite(score));
        long kept = finite.sum().item<long>();
        if (kept == n) return (target, context, score, 0);
        var rows = finite.nonzero().squeeze(1);
        return (target.index_select(0, rows), context?.index_select(0, rows), score?.index_select(0, rows), n - kept);
    }

    private static Tensor RowFinite(Tensor t) => t.isfinite().reshape(t.shape[0], -1).all(1);
}
