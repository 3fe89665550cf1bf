using System.Diagnostics;
using Ppl.Runtime.Flows;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sbi;

/// <summary>Rows of training data: target [n, d], context [n, ...] or null, and the score of the target [n, d] for
/// score-augmented training (else null).</summary>
public sealed record TrainingRows(Tensor Target, Tensor? Context, Tensor? Score = null);

/// <summary>Training rows (finite rows only, CPU) delivered one bounded buffer at a time.</summary>
public interface ITrainingBuffers
{
    /// <summary>The buffers of one epoch (1-based), each already shuffled; the caller disposes the tensors.</summary>
    IEnumerable<SbiResult<TrainingRows>> Epoch(int epoch);

    /// <summary>The held-out rows, or null without validation.</summary>
    SbiResult<TrainingRows>? Validation();

    /// <summary>Rows with NaN or infinite values dropped so far.</summary>
    long DroppedRows { get; }
}

/// <summary>
/// Trains a flow on data that need not fit in memory (<see cref="ITrainingBuffers"/>, e.g. shards read by
/// <c>Campaigns.ShardStream</c>): float32 on the training device, the same loss, optimiser, schedule, clipping and early stopping as
/// <see cref="ConditionalDensityTrainer.Train"/> (the score-matching term too, with <c>scoreWeight</c> &gt; 0 and buffers
/// that carry the score), with the standardisation fitted on the first buffer and minibatches drawn within each buffer.
/// Memory: one buffer plus the held-out rows.
/// </summary>
public static class StreamedDensityTrainer
{
    public static SbiResult<(ConditionalFlow Flow, TrainingReport Report)> Train(ITrainingBuffers data, FlowArchitecture architecture,
        TrainingOptions options, IProgress<TrainingProgress>? progress = null, double scoreWeight = 0)
    {
        if (scoreWeight > 0 && ConditionalDensityTrainer.ScoreAugmentationError(architecture, scoreWeight) is { } unsupported) return unsupported;
        var stopwatch = Stopwatch.StartNew();
        var device = options.Device ?? CPU;
        var shuffle = new SeededShuffle(options.Seed ^ 0x5EED5EEDUL);
        using var firstEpoch = data.Epoch(1).GetEnumerator();
        // The first buffer fixes the shapes and the standardisation; the flow is built before any dispose scope opens,
        // since its weights outlive this method.
        var first = NextBuffer(firstEpoch);
        if (first is not { } firstResult) return SbiResult<(ConditionalFlow, TrainingReport)>.Failure(SbiError.TooFewRows, "No simulations to train on.");
        if (!firstResult.IsSuccess) return firstResult.Error;
        var (firstTarget, firstContext, _) = firstResult.Value;
        var flow = new ConditionalFlow(architecture with
        {
            Dimension = (int)firstTarget.shape[1],
            ContextShape = firstContext is null ? [] : firstContext.shape.Skip(1).ToArray(),
        }, options.Seed).MoveTo(device);
        bool succeeded = false;
        try
        {
            using var dataScope = NewDisposeScope();
            flow.FitStandardization(firstTarget.to(ScalarType.Float32, device), firstContext?.to(ScalarType.Float32, device));
            TrainingRows? validation = null;
            if (data.Validation() is { } held)
            {
                if (!held.IsSuccess) return held.Error;
                validation = OnDevice(held.Value, device);
            }
            var parameters = flow.parameters().ToList();
            using var optimizer = new AdamOptimizer(parameters, options.LearningRate);
            using var stopping = new EarlyStopping(flow, options);
            long trainingRows = 0;
            for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
            {
                double learningRate = options.Schedule.At(options.LearningRate, epoch - 1, options.MaxEpochs);
                optimizer.LearningRate = learningRate;
                double sum = 0;
                long rows = 0;
                using var buffers = epoch == 1 ? firstEpoch : data.Epoch(epoch).GetEnumerator();
                var pending = epoch == 1 ? first : null;
                while (true)
                {
                    // Each buffer's tensors (made while moving to it) belong to this scope and go when it ends.
                    using var bufferScope = NewDisposeScope();
                    var buffer = pending ?? NextBuffer(buffers);
                    pending = null;
                    if (buffer is not { } current) break;
                    if (!current.IsSuccess) return current.Error;
                    var (target, context, score) = OnDevice(current.Value, device);
                    long n = target.shape[0];
                    var order = shuffle.Permutation(n);
                    for (long start = 0; start < n; start += options.BatchSize)
                    {
                        using var scope = NewDisposeScope();
                        long size = Math.Min(options.BatchSize, n - start);
                        var index = tensor(order.AsSpan((int)start, (int)size).ToArray(), device: device);
                        double value = ConditionalDensityTrainer.Step(flow, optimizer, parameters, target.index_select(0, index),
                            context?.index_select(0, index), score?.index_select(0, index), scoreWeight, options.GradientClipNorm);
                        if (!double.IsFinite(value))
                            return SbiResult<(ConditionalFlow, TrainingReport)>.Failure(SbiError.Diverged, ConditionalDensityTrainer.DivergedMessage(value, epoch));
                        sum += value * size;
                    }
                    rows += n;
                }
                if (rows < 2)
                    return SbiResult<(ConditionalFlow, TrainingReport)>.Failure(SbiError.TooFewRows,
                        $"Only {rows} finite simulations to train on ({data.DroppedRows} dropped); at least 2 are needed.");
                trainingRows = rows;
                double validationLoss = validation is { } v ? ConditionalDensityTrainer.Evaluate(flow, v.Target, v.Context, v.Score, scoreWeight) : double.NaN;
                if (stopping.EndEpoch(epoch, sum / rows, validationLoss, validation is not null, learningRate, progress)) break;
            }
            var report = stopping.Finish(data.DroppedRows, trainingRows, validation?.Target.shape[0] ?? 0, stopwatch.Elapsed.TotalSeconds);
            succeeded = true;
            return SbiResult<(ConditionalFlow, TrainingReport)>.Success((flow, report));
        }
        finally
        {
            if (!succeeded) flow.Dispose();
        }
    }

    private static TrainingRows OnDevice(TrainingRows rows, Device device) =>
        new(rows.Target.to(ScalarType.Float32, device), rows.Context?.to(ScalarType.Float32, device), rows.Score?.to(ScalarType.Float32, device));

    private static SbiResult<TrainingRows>? NextBuffer(IEnumerator<SbiResult<TrainingRows>> buffers) =>
        buffers.MoveNext() ? buffers.Current : (SbiResult<TrainingRows>?)null;
}
