using System.Diagnostics;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>One buffer of compressor training data: θ [n, P] (unconstrained), the stored maps [n, ...site], and the
/// redraw of the map's noise for these rows (null: train on the stored noise) with the stored params and latents it
/// replays (<paramref name="Owned"/>). Disposing it frees all these tensors.</summary>
public sealed record CompressorBuffer(Tensor Theta, Tensor Maps, ObservationRedraw? Redraw, IReadOnlyList<Tensor>? Owned = null) : IDisposable
{
    public void Dispose()
    {
        Theta.Dispose();
        Maps.Dispose();
        foreach (var t in Owned ?? []) t.Dispose();
    }
}

/// <summary>Compressor training data delivered one bounded buffer at a time (e.g. shards read by <c>Campaigns.ShardStream</c>).</summary>
public interface ICompressorBuffers
{
    /// <summary>The buffers of one epoch (1-based), finite rows only, already shuffled; the caller disposes each.</summary>
    IEnumerable<SbiResult<CompressorBuffer>> Epoch(int epoch);

    /// <summary>The held-out rows, or null without validation.</summary>
    SbiResult<CompressorBuffer>? Validation();

    /// <summary>Rows with NaN or infinite values dropped so far.</summary>
    long DroppedRows { get; }
}

/// <summary>
/// Trains a <see cref="MapCompressor"/> on simulations that need not fit in memory: the same steps as
/// <see cref="CompressorTrainer"/> (<see cref="CompressorSteps"/>: Adam, schedule, clipping, noise redrawn per batch,
/// symmetries), the standardisation fitted on the first buffer, mini-batches drawn within each buffer in a seeded order,
/// validation on the held-out rows' stored maps with early stopping. Memory: one buffer plus the held-out rows.
/// </summary>
public static class StreamedCompressorTrainer
{
    public static SbiResult<CompressorTraining> Train(CompressorArchitecture architecture, ICompressorBuffers data,
        CompressorTrainingOptions settings, IProgress<TrainingProgress>? progress = null)
    {
        var options = settings.Training;
        if (architecture.Problem() is { } problem) return new SbiError(SbiError.InvalidOption, char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        if (options.Problem(minimumBatch: 2) is { } invalid) return invalid;
        var stopwatch = Stopwatch.StartNew();
        var device = options.Device ?? CPU;
        var shuffle = new SeededShuffle(options.Seed);
        using var firstEpoch = data.Epoch(1).GetEnumerator();
        if (!firstEpoch.MoveNext()) return SbiResult<CompressorTraining>.Failure(SbiError.TooFewRows, "No simulations to train on.");
        if (!firstEpoch.Current.IsSuccess) return firstEpoch.Current.Error;
        SbiResult<CompressorBuffer>? pending = firstEpoch.Current;
        var compressor = new MapCompressor(architecture, options.Seed).MoveTo(device);
        bool succeeded = false;
        CompressorBuffer? validation = null;
        try
        {
            using var dataScope = NewDisposeScope();
            compressor.FitStandardization(pending.Value.Value.Maps.to(ScalarType.Float32), pending.Value.Value.Theta.to(ScalarType.Float32));
            if (data.Validation() is { } held)
            {
                if (!held.IsSuccess) return held.Error;
                validation = held.Value;
            }
            using var steps = new CompressorSteps(compressor, architecture, settings);
            using var stopping = new EarlyStopping(compressor, options);
            long trainingRows = 0;
            for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
            {
                double learningRate = options.Schedule.At(options.LearningRate, epoch - 1, options.MaxEpochs);
                steps.LearningRate = learningRate;
                double sum = 0;
                long seen = 0, rows = 0;
                using var buffers = epoch == 1 ? firstEpoch : data.Epoch(epoch).GetEnumerator();
                while (true)
                {
                    using var bufferScope = NewDisposeScope();
                    var next = pending ?? (buffers.MoveNext() ? buffers.Current : (SbiResult<CompressorBuffer>?)null);
                    pending = null;
                    if (next is not { } read) break;
                    if (!read.IsSuccess) return read.Error;
                    using var buffer = read.Value;
                    var theta = buffer.Theta.to(ScalarType.Float32);
                    var maps = buffer.Maps.to(ScalarType.Float32);
                    long n = theta.shape[0];
                    rows += n;
                    var order = shuffle.Permutation(n);
                    for (long start = 0; start < n; start += options.BatchSize)
                    {
                        using var scope = NewDisposeScope();
                        long size = Math.Min(options.BatchSize, n - start);
                        var index = tensor(order.AsSpan((int)start, (int)size).ToArray());
                        var step = steps.Step(epoch, theta.index_select(0, index), maps.index_select(0, index), buffer.Redraw, index);
                        if (!step.IsSuccess) return step.Error;
                        sum += step.Value.Sum;
                        seen += step.Value.Rows;
                    }
                }
                if (epoch == 1) trainingRows = rows;
                double trainLoss = seen > 0 ? sum / seen : double.NaN;
                double validationLoss = validation is null ? double.NaN
                    : CompressorTrainer.Evaluate(compressor, validation.Maps.to(ScalarType.Float32), validation.Theta.to(ScalarType.Float32), device);
                if (stopping.EndEpoch(epoch, trainLoss, validationLoss, validation is not null, learningRate, progress)) break;
            }
            var report = stopping.Finish(data.DroppedRows, trainingRows, validation?.Theta.shape[0] ?? 0, stopwatch.Elapsed.TotalSeconds);
            compressor.eval();
            succeeded = true;
            return SbiResult<CompressorTraining>.Success(new CompressorTraining(compressor, report, steps.NonFiniteRedraws));
        }
        finally
        {
            validation?.Dispose();
            if (!succeeded) compressor.Dispose();
        }
    }
}
