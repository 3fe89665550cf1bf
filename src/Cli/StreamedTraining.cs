using System.Globalization;
using Ppl.Compiler;
using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Flows;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;

namespace Ppl.Cli;

/// <summary>
/// `ppl train MODEL --from DIR`: NPE or NLE trained on the shards in DIR without loading them whole — each epoch a seeded
/// permutation of all simulations read one buffer at a time (<see cref="ShardStream"/>, <see cref="StreamedDensityTrainer"/>),
/// a held-out set of whole blocks (at most one buffer) for validation — and the bundle written as `ppl train` writes it.
/// </summary>
public static class StreamedTraining
{
    public static int Run(CliContext ctx, CommandLine line, Compilation compilation, IReadOnlyDictionary<string, DataInput> data, Model model,
        ObservationLayout layout, EstimationMethod method, FlowArchitecture architecture, TrainingOptions training, string from, ulong seed,
        long chunk, long bufferRows, string output, string? outputDir)
    {
        var inv = CultureInfo.InvariantCulture;
        var (set, loadExit) = ShardFolder.Load(ctx, from, compilation);
        if (set is null) return loadExit;
        using var stream = new ShardStream(set, ShardTrainingBuffers.Arrays(model), set.First.Chunk, bufferRows);
        stream.HoldOut(seed, training.ValidationFraction);
        var buffers = new ShardTrainingBuffers(stream, model, layout, method == EstimationMethod.Nle, seed, chunk);
        var bar = new ProgressBar(ctx, "train", training.MaxEpochs, "epochs");
        SbiResult<(ConditionalFlow Flow, TrainingReport Report)> trained;
        try
        {
            trained = StreamedDensityTrainer.Train(buffers, architecture, training, new EpochProgress(bar));
        }
        catch (ModelRunException e)
        {
            bar.Finish();
            ErrorRendering.Write(ctx.Err, e.Error, compilation.Source);
            return ExitCodes.ModelError;
        }
        bar.Finish();
        if (!trained.IsSuccess) return SbiErrorRendering.Report(ctx, trained.Error);
        using var estimator = new TrainedEstimator(method == EstimationMethod.Nle ? EstimatorKind.Likelihood : EstimatorKind.Posterior,
            trained.Value.Flow, training, trained.Value.Report);
        var report = estimator.Report!;
        var record = new ModelEstimatorRecord
        {
            ModelName = model.Description.Name,
            ModelPath = Path.GetFullPath(line.Positional[0]),
            ModelPathFromBundle = Path.GetRelativePath(outputDir ?? ".", Path.GetFullPath(line.Positional[0])),
            Method = method,
            Params = ModelEstimatorRecord.ParamsOf(model),
            ParamColumns = model.ParamColumnNames(),
            Observation = layout,
            TrainingData = JsonDataWriter.Format(data.Select(kv => KeyValuePair.Create(kv.Key, DataValue.FromTensor(kv.Value.Value, kv.Value.Origin)))),
            Simulations = stream.Total,
            SimulationSeed = set.First.Seed,
            SimulationSource = Path.GetFullPath(from),
            DroppedSimulations = report.DroppedRows,
            Compressor = null,
        };
        var metadata = record.ToMetadata();
        // The observation range from the held-out simulations (a sample of the training x's).
        if (buffers.Validation() is { IsSuccess: true } held)
        {
            var x = method == EstimationMethod.Nle ? held.Value.Target : held.Value.Context!;
            if (ObservationRange.FromTraining(x) is { } range) metadata.Add(range.ToMetadata().Key, range.ToMetadata().Value);
        }
        var saved = EstimatorBundle.Save(estimator, output, compilation.SourceHash!, metadata);
        if (!saved.IsSuccess) return SbiErrorRendering.Report(ctx, saved.Error);
        ctx.Out.WriteLine($"trained {(method == EstimationMethod.Npe ? "NPE" : "NLE")} for {model.Description.Name}: {EstimatorSettings.Describe(estimator.Architecture)}");
        ctx.Out.WriteLine($"  simulations   {stream.Total} streamed from {set.Shards.Count} shards in {from} (buffers of {stream.BufferRows}); {report.TrainingRows} for training, {report.ValidationRows} for validation, {report.DroppedRows} dropped");
        string ending = report.Cancelled ? "interrupted" : report.StoppedEarly ? "stopped early" : "reached --epochs";
        ctx.Out.WriteLine($"  epochs        {report.Epochs} ({ending}); best epoch {report.BestEpoch}, validation loss {report.BestValidationLoss.ToString("F4", inv)}");
        ctx.Out.WriteLine($"  training time {report.Seconds.ToString("F1", inv)} s");
        ctx.Out.WriteLine($"wrote {output}");
        return report.Cancelled ? ExitCodes.Interrupted : ExitCodes.Ok;
    }
}
