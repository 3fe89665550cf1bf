using System.Globalization;
using Ppl.Runtime.IO;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// What `ppl train` writes once the flow is trained, the same for simulations held in memory and for shards streamed
/// from a folder: the estimator bundle (the model record — params, x layout, data, where the simulations came from, the
/// compressor — and where the training x's lie), the report on stdout and the loss curves beside the bundle.
/// </summary>
public static class TrainingOutputs
{
    /// <param name="trainingX">x as the estimator saw it (summaries with a compressor) for the observation range: all
    /// training x's, or a sample of them; null records no range.</param>
    public static int Write(CliContext ctx, TrainingSetup setup, TrainedEstimator estimator, TrainingSimulationSource simulations, Tensor? trainingX)
    {
        var inv = CultureInfo.InvariantCulture;
        var (model, line, compressor) = (setup.Model, setup.Line, setup.Compressor);
        var report = estimator.Report!;
        var modelPath = Path.GetFullPath(setup.ModelFile);
        var record = new ModelEstimatorRecord
        {
            ModelName = model.Description.Name,
            ModelPath = modelPath,
            ModelPathFromBundle = Path.GetRelativePath(setup.OutputDir ?? ".", modelPath),
            Method = setup.Method,
            Params = ModelEstimatorRecord.ParamsOf(model),
            ParamColumns = model.ParamColumnNames(),
            Observation = setup.Layout,
            TrainingData = JsonDataWriter.Format(setup.Data.Select(kv => KeyValuePair.Create(kv.Key, DataValue.FromTensor(kv.Value.Value, kv.Value.Origin)))),
            Simulations = simulations.Count,
            SimulationSeed = simulations.Seed,
            SimulationSource = simulations.Source,
            DroppedSimulations = report.DroppedRows,
            Compressor = compressor is null ? null : CompressorOption.Reference(compressor, setup.OutputDir),
        };
        var metadata = record.ToMetadata();
        // Where the training x's lie, so that `ppl posterior` can warn about an observation outside them.
        if (trainingX is not null && ObservationRange.FromTraining(trainingX) is { } range) metadata.Add(range.ToMetadata().Key, range.ToMetadata().Value);
        var saved = EstimatorBundle.Save(estimator, setup.Output, setup.Compilation.SourceHash!, metadata);
        if (!saved.IsSuccess) return SbiErrorRendering.Report(ctx, saved.Error);

        var kind = setup.Method == EstimationMethod.Npe
            ? (setup.UsesScore ? $"score-augmented NPE (λ = {setup.ScoreWeight.ToString("G3", inv)})" : "NPE")
            : "NLE";
        ctx.Out.WriteLine($"trained {kind} for {model.Description.Name}: {EstimatorSettings.Describe(estimator.Architecture)}");
        ctx.Out.WriteLine($"  simulations   {simulations.Count} ({simulations.Description}); {report.TrainingRows} for training, {report.ValidationRows} for validation, {report.DroppedRows} dropped");
        string ending = report.Cancelled ? "interrupted" : report.StoppedEarly ? "stopped early" : "reached --epochs";
        ctx.Out.WriteLine($"  epochs        {report.Epochs} ({ending}); best epoch {report.BestEpoch}, validation loss {report.BestValidationLoss.ToString("F4", inv)}");
        ctx.Out.WriteLine($"  training time {report.Seconds.ToString("F1", inv)} s");
        ctx.Out.WriteLine($"  params        {string.Join(", ", record.ParamColumns)} (unconstrained space; posterior samples are mapped back)");
        ctx.Out.WriteLine(compressor is null
            ? $"  x             {setup.Layout.Describe()}{(setup.Layout.Arrangement == ObservationArrangement.Series ? " as a series" : "")}"
            : $"  x             {compressor.Summaries} summaries of {compressor.Record.Site} by {line.Get("--compressor")}");
        string? lossPlot = null;
        if (!line.Has("--no-plots") && report.History.Count > 0)
        {
            lossPlot = LossPlotPath(setup.Output);
            var plotted = Runtime.Plotting.LossCurvePlot.Render(report.History, $"{kind} for {model.Description.Name}: loss per epoch").Write(lossPlot);
            if (!plotted.Succeeded)
            {
                foreach (var e in plotted.Errors) ErrorRendering.Write(ctx.Err, e);
                return ExitCodes.UsageError;
            }
        }
        ctx.Out.WriteLine($"wrote {setup.Output}{(lossPlot is null ? "" : $" and the loss curves to {lossPlot}")}");
        return report.Cancelled ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    /// <summary>The loss curves' path: the bundle's with <c>.loss.png</c> for its extension (est.pplz → est.loss.png).</summary>
    public static string LossPlotPath(string output) => Path.ChangeExtension(output, ".loss.png");
}
