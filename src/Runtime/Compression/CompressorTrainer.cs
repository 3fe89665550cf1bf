using System.Diagnostics;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>Settings of compressor training beyond <see cref="TrainingOptions"/>.</summary>
/// <param name="Training">Batch size, Adam's learning rate and schedule, epochs, validation split, patience, clipping,
/// seed, device and cancellation, as for the flows.</param>
/// <param name="Augment">Turn and mirror each batch by a random symmetry of the grid (isotropic fields only).</param>
public sealed record CompressorTrainingOptions(TrainingOptions Training, bool Augment = false)
{
    /// <summary>The paper's schedule: the learning rate times 0.7 after every tenth of the epochs.</summary>
    public static LearningRateSchedule PaperSchedule(int maxEpochs) => LearningRateSchedule.Step(0.7, Math.Max(1, maxEpochs / 10));
}

/// <summary>A trained compressor with its report; <see cref="NonFiniteRedraws"/> counts redrawn maps that held a NaN or
/// infinity and were left out of their batch.</summary>
public sealed record CompressorTraining(MapCompressor Compressor, TrainingReport Report, long NonFiniteRedraws);

/// <summary>
/// Trains a <see cref="MapCompressor"/> on simulations (θ in the params' unconstrained space, the observed maps): Adam
/// over mini-batches with the per-epoch learning-rate schedule, gradient-norm clipping, a validation split (scored on the
/// stored maps, so the validation loss does not move with the noise) with early stopping that restores the best weights.
/// With an <see cref="ObservationRedraw"/> every training batch gets fresh noise from the model; optionally a random grid
/// symmetry. Simulations holding a NaN or infinity are dropped and counted. Seeded: the weights, the split, the batch
/// order, the noise and the symmetries depend only on the seed.
/// </summary>
public static class CompressorTrainer
{
    private const long EvaluationChunk = 256;

    public static SbiResult<CompressorTraining> Train(CompressorArchitecture architecture, Tensor theta, Tensor maps,
        ObservationRedraw? redraw, CompressorTrainingOptions settings, IProgress<TrainingProgress>? progress = null)
    {
        var options = settings.Training;
        if (Validate(architecture, theta, maps, options) is { } invalid) return invalid;
        var stopwatch = Stopwatch.StartNew();
        var device = options.Device ?? CPU;
        long n = theta.shape[0];

        var compressor = new MapCompressor(architecture, options.Seed).MoveTo(device);
        using var dataScope = NewDisposeScope();
        var thetaAll = theta.to(ScalarType.Float32, CPU);
        var mapsAll = maps.to(ScalarType.Float32, CPU);
        var finite = RowFinite(thetaAll).logical_and(RowFinite(mapsAll));
        var keptRows = finite.nonzero().squeeze(1);
        long kept = keptRows.shape[0];
        long dropped = n - kept;
        long validationRows = options.ValidationFraction > 0 ? Math.Max(1, (long)Math.Round(options.ValidationFraction * kept)) : 0;
        long trainingRows = kept - validationRows;
        if (trainingRows < 2)
        {
            compressor.Dispose();
            return SbiResult<CompressorTraining>.Failure(SbiError.TooFewRows,
                $"Only {kept} of {n} simulations are finite ({dropped} dropped); at least {validationRows + 2} are needed.");
        }

        var shuffle = new SeededShuffle(options.Seed);
        var order = shuffle.Permutation(kept);
        using var orderIndex = tensor(order);
        var shuffled = keptRows.index_select(0, orderIndex);
        var validation = shuffled.narrow(0, 0, validationRows);
        var training = shuffled.narrow(0, validationRows, trainingRows);
        var trainTheta = thetaAll.index_select(0, training);
        var trainMaps = mapsAll.index_select(0, training);
        var validTheta = thetaAll.index_select(0, validation);
        var validMaps = mapsAll.index_select(0, validation);
        compressor.FitStandardization(trainMaps, trainTheta);

        using var steps = new CompressorSteps(compressor, architecture, settings);
        using var stopping = new EarlyStopping(compressor, options);
        for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            double learningRate = options.Schedule.At(options.LearningRate, epoch - 1, options.MaxEpochs);
            steps.LearningRate = learningRate;
            var batches = shuffle.Permutation(trainingRows);
            double sum = 0;
            long seen = 0;
            for (long start = 0; start < trainingRows; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(options.BatchSize, trainingRows - start);
                var index = tensor(batches.AsSpan((int)start, (int)size).ToArray());
                var step = steps.Step(epoch, trainTheta.index_select(0, index), trainMaps.index_select(0, index), redraw, training.index_select(0, index));
                if (!step.IsSuccess)
                {
                    compressor.Dispose();
                    return step.Error;
                }
                sum += step.Value.Sum;
                seen += step.Value.Rows;
            }
            double trainLoss = seen > 0 ? sum / seen : double.NaN;
            double validationLoss = validationRows > 0 ? Evaluate(compressor, validMaps, validTheta, device) : double.NaN;
            if (stopping.EndEpoch(epoch, trainLoss, validationLoss, validationRows > 0, learningRate, progress)) break;
        }

        var report = stopping.Finish(dropped, trainingRows, validationRows, stopwatch.Elapsed.TotalSeconds);
        compressor.eval();
        return SbiResult<CompressorTraining>.Success(new CompressorTraining(compressor, report, steps.NonFiniteRedraws));
    }

    /// <summary>The mean loss over maps [n, ...site] and θ [n, P], in evaluation mode and without gradients.</summary>
    public static double Evaluate(MapCompressor compressor, Tensor maps, Tensor theta, Device device)
    {
        compressor.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long n = maps.shape[0];
        for (long start = 0; start < n; start += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(EvaluationChunk, n - start);
            sum += compressor.Loss(maps.narrow(0, start, size).to(device), theta.narrow(0, start, size).to(device)).item<float>() * size;
        }
        return sum / n;
    }

    private static SbiError? Validate(CompressorArchitecture architecture, Tensor theta, Tensor maps, TrainingOptions options)
    {
        if (architecture.Problem() is { } problem) return new SbiError(SbiError.InvalidOption, char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        if (theta.dim() != 2 || theta.shape[1] != architecture.Params)
            return new SbiError(SbiError.ShapeMismatch, $"θ must have shape [n, {architecture.Params}]; got [{string.Join(", ", theta.shape)}].");
        if (!architecture.Map.Fits(maps) || maps.shape[0] != theta.shape[0])
            return new SbiError(SbiError.ShapeMismatch,
                $"The maps must have shape [{theta.shape[0]}, {string.Join(", ", architecture.Map.SiteShape)}]; got [{string.Join(", ", maps.shape)}].");
        return options.Problem(minimumBatch: 2);
    }

    private static Tensor RowFinite(Tensor t) => t.isfinite().reshape(t.shape[0], -1).all(1);
}
