using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// `ppl train MODEL --from DIR`: NPE or NLE trained on the shards in DIR without loading them whole — each epoch a seeded
/// permutation of all simulations read one buffer at a time (<see cref="ShardStream"/>, <see cref="StreamedDensityTrainer"/>),
/// a held-out set of whole blocks (at most one buffer) for validation — with the options of the in-memory path (the
/// score of score-augmented NPE recomputed at each buffer's stored values, a compressor's summaries in place of x, a CNN
/// embedding of series), and the bundle written as `ppl train` writes it (<see cref="TrainingOutputs"/>).
/// </summary>
public static class StreamedTraining
{
    public static int Run(CliContext ctx, TrainingSetup setup, string from, long bufferRows)
    {
        var (set, loadExit) = ShardFolder.Load(ctx, from, setup.Compilation);
        if (set is null) return loadExit;
        var model = setup.Model;
        var arrays = ShardTrainingBuffers.Arrays(model, setup.UsesScore);
        if (ShardTrainingBuffers.Missing(set.First, arrays, from, setup.UsesScore) is { } missing) return SbiErrorRendering.Report(ctx, missing);
        using var stream = new ShardStream(set, arrays, set.First.Chunk, bufferRows);
        var training = setup.Training;
        stream.HoldOut(setup.Seed, training.ValidationFraction);
        var buffers = new ShardTrainingBuffers(stream, model, setup.Layout, setup.Method == EstimationMethod.Nle, setup.UsesScore, setup.Compressor,
            setup.Seed, setup.Chunk);
        var bar = new ProgressBar(ctx, "train", training.MaxEpochs, "epochs");
        SbiResult<(ConditionalFlow Flow, TrainingReport Report)> trained;
        try
        {
            trained = StreamedDensityTrainer.Train(buffers, setup.Architecture, training, new EpochProgress(bar), setup.ScoreWeight);
        }
        catch (ModelRunException e)
        {
            bar.Finish();
            ErrorRendering.Write(ctx.Err, e.Error, setup.Compilation.Source);
            return ExitCodes.ModelError;
        }
        bar.Finish();
        if (!trained.IsSuccess) return SbiErrorRendering.Report(ctx, trained.Error);
        using var estimator = new TrainedEstimator(setup.Method == EstimationMethod.Nle ? EstimatorKind.Likelihood : EstimatorKind.Posterior,
            trained.Value.Flow, training, trained.Value.Report, setup.ScoreWeight);
        var source = new TrainingSimulationSource(stream.Total, set.First.Seed, Path.GetFullPath(from),
            $"streamed from {set.Shards.Count} shards in {from}, buffers of {stream.BufferRows}");
        // The observation range from the held-out simulations (a sample of the training x's).
        using var rangeScope = NewDisposeScope();
        var held = buffers.Validation() is { IsSuccess: true } rows ? rows.Value : null;
        var x = held is null ? null : setup.Method == EstimationMethod.Nle ? held.Target : held.Context;
        return TrainingOutputs.Write(ctx, setup, estimator, source, x);
    }
}
