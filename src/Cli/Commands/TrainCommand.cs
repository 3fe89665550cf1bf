using System.Globalization;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl train MODEL --method npe|nle --flow spline|affine|maf|smooth --sims N --seed S -o est.pplz`: trains a neural
/// posterior (NPE) or likelihood (NLE) estimator on simulations of the model — drawn on the fly, or replayed from an
/// archive written by `ppl simulate` (`--from sims.npz`) — with θ in the model's unconstrained space, optionally
/// score-augmented (`--score-weight λ`, NPE with a smooth flow), and writes an estimator bundle that records the model's
/// hash, params, x layout, data, seed and training report.
/// </summary>
public static class TrainCommand
{
    public static readonly OptionSpec Options = EstimatorSettings.AddTo(new OptionSpec()
        .Value("--method", "npe|nle", "neural posterior (default) or likelihood estimation", "npe", "nle")
        .Value("--sims", "N", "simulations to draw from the model and train on")
        .Value("--score-weight", "λ", "weight of the score-matching term (needs simulations with --score)")
        .Value("--from", "FILE|DIR", "train on stored simulations: an .npz/.h5 archive or a folder of `simulate --shard` shards")
        .Data().Set()
        .Value("--seed", "S", "random seed (default 0)")
        .Value("-o, --output", "FILE", "the estimator bundle to write (.pplz)")
        .Value("--chunk", "C", "simulations per chunk when drawing from the model")
        .Value("--buffer", "N", "with --from DIR: simulations held in memory at once (default 50,000)")
        .Float64().Device()
        .Value("--compressor", "FILE", "train on the summaries of a compressor bundle (ppl compress)")
        .Flag("--no-plots", "do not write the loss curves"));

    public static int Run(CliContext ctx, CommandLine line)
    {
        var inv = CultureInfo.InvariantCulture;
        if (line.Positional.Count != 1)
            return ctx.Usage("train expects one model file", "ppl train MODEL.ppl --method npe --flow spline --sims 10000 --seed 1 -o est.pplz");
        var methodName = line.Get("--method") ?? "npe";
        if (methodName is not ("npe" or "nle")) return ctx.Usage($"--method must be npe or nle; got '{methodName}'");
        var method = methodName == "npe" ? EstimationMethod.Npe : EstimationMethod.Nle;
        var from = line.Get("--from");
        long? sims = null;
        if (line.Get("--sims") is { } simsText)
        {
            if (!SimulateCommand.TryLong(simsText, 2, out long n)) return ctx.Usage("--sims must be an integer of at least 2 (the number of simulations)");
            sims = n;
        }
        if (sims is null && from is null)
            return ctx.Usage("train needs --sims N (simulations drawn from the model) or --from sims.npz (simulations written by `ppl simulate`)");
        if (from is not null && !File.Exists(from) && !Directory.Exists(from)) return ctx.Usage($"simulation file '{from}' not found");
        bool streamed = from is not null && Directory.Exists(from);
        if (!SimulateCommand.TryLong(line.Get("--buffer") ?? "50000", 1, out long bufferRows)) return ctx.Usage("--buffer must be a positive integer (simulations held in memory at once)");
        if (streamed && line.Has("--sims"))
            return ctx.Usage("--from DIR streams every simulation of the shards of `ppl simulate --shard`; --sims (the first N) needs an archive (`ppl merge` the shards, then --from sims.npz)");
        if (!SimulateCommand.TryLong(line.Get("--seed") ?? "0", 0, out long seed)) return ctx.Usage("--seed must be a non-negative integer");
        if (!SimulateCommand.TryLong(line.Get("--chunk") ?? "1000", 1, out long chunk)) return ctx.Usage("--chunk must be a positive integer");
        double scoreWeight = 0;
        if (line.Get("--score-weight") is { } weightText
            && (!double.TryParse(weightText, NumberStyles.Float, inv, out scoreWeight) || !(scoreWeight >= 0) || !double.IsFinite(scoreWeight)))
            return ctx.Usage("--score-weight must be a non-negative number (λ of the score-matching term; 0 trains without the score)");
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("train needs an output file: -o est.pplz");
        var outputDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outputDir is not null && !Directory.Exists(outputDir)) return ctx.Usage($"the folder of '{output}' does not exist");

        var (architecture, architectureError) = EstimatorSettings.Architecture(line);
        if (architecture is null) return ctx.Usage(architectureError!);
        var (training, trainingError) = EstimatorSettings.Training(line, (ulong)seed, ctx.Cancellation);
        if (training is null) return ctx.Usage(trainingError!);
        if (method == EstimationMethod.Nle && scoreWeight > 0)
            return ctx.Usage("--score-weight is for NPE: score-augmented training fits ∇θ log q(θ | x) to the simulator's joint score", "use --method npe");
        if (method == EstimationMethod.Nle && architecture.Embedding.Kind == EmbeddingKind.Conv1d)
            return ctx.Usage("--embedding cnn embeds the observations NPE conditions on; NLE models x itself and conditions on θ", "use --embedding identity or mlp with NLE");
        if (line.Has("--compressor") && architecture.Embedding.Kind == EmbeddingKind.Conv1d)
            return ctx.Usage("--compressor replaces x by summaries, which a --embedding cnn cannot read", "use --embedding identity or mlp with --compressor");
        if (scoreWeight > 0 && ConditionalDensityTrainer.ScoreAugmentationError(architecture, scoreWeight) is { } unsupported)
            return SbiErrorRendering.Report(ctx, unsupported, "use --flow smooth for score-augmented NPE");

        var (loaded, model, exit) = ModelLoading.CompileForSimulation(ctx, line);
        if (loaded is null || model is null) return exit;
        var (compilation, data, options) = loaded;
        training = training with { Device = options.Device };
        var caps = model.Description.Capabilities;
        if (scoreWeight > 0 && !caps.Score)
            return SbiErrorRendering.Report(ctx, new SbiError(DiagnosticCatalogue.NoSimulatorScore, CapabilityErrors.NoSimulatorScoreMessage(model.Description.Name, caps.ScoreReason)),
                "train without --score-weight");
        if (model.ParamDimension == 0)
            return SbiErrorRendering.Report(ctx, new SbiError(SbiError.ShapeMismatch, $"model {model.Description.Name} has no params to infer"));
        var arrangement = architecture.Embedding.Kind == EmbeddingKind.Conv1d ? ObservationArrangement.Series : ObservationArrangement.Flat;
        var layout = ObservationLayout.For(model, arrangement);
        if (!layout.IsSuccess) return SbiErrorRendering.Report(ctx, layout.Error);
        Runtime.Compression.TrainedCompressor? compressor = null;
        if (line.Get("--compressor") is { } compressorPath)
        {
            (compressor, var compressorExit) = CompressorOption.Load(ctx, compressorPath, compilation, model, options.Device);
            if (compressor is null) return compressorExit;
        }
        using var compressorLifetime = compressor;

        var setup = new TrainingSetup(line, compilation, data, model, layout.Value, method, architecture, training, scoreWeight, compressor,
            (ulong)seed, chunk, output, outputDir);
        if (streamed) return StreamedTraining.Run(ctx, setup, from!, bufferRows);
        using var scope = NewDisposeScope();
        var (simulations, simulationExit) = Simulations(ctx, compilation.Source, model, layout.Value, from, sims, (ulong)seed, scoreWeight > 0, chunk);
        if (simulations is null) return simulationExit;
        if (ctx.Cancellation.IsCancellationRequested)
        {
            ctx.Err.WriteLine("interrupted while simulating: nothing was trained");
            return ExitCodes.Interrupted;
        }
        if (compressor is not null)
        {
            (simulations, var compressExit) = CompressorOption.Compress(ctx, compressor, layout.Value, simulations!);
            if (simulations is null) return compressExit;
        }
        if (simulations.NonFiniteRows > 0)
            ctx.Err.WriteLine($"warning: {simulations.NonFiniteRows} of {simulations.Count} simulations hold NaN or infinite values (in θ, x{(scoreWeight > 0 ? " or the score" : "")}); they are dropped");

        var bar = new ProgressBar(ctx, "train", training.MaxEpochs, "epochs");
        var progress = new EpochProgress(bar);
        var result = method switch
        {
            EstimationMethod.Nle => NeuralLikelihoodEstimation.Train(simulations.Theta, simulations.X, architecture, training, progress),
            _ when scoreWeight > 0 => NeuralPosteriorEstimation.TrainWithScore(simulations.Theta, simulations.X, simulations.Score!, scoreWeight, architecture, training, progress),
            _ => NeuralPosteriorEstimation.Train(simulations.Theta, simulations.X, architecture, training, progress),
        };
        bar.Finish();
        if (!result.IsSuccess) return SbiErrorRendering.Report(ctx, result.Error);
        using var estimator = result.Value;
        var source = from is null
            ? new TrainingSimulationSource(simulations.Count, (ulong)seed, "model", $"drawn with seed {seed}")
            : new TrainingSimulationSource(simulations.Count, (ulong)seed, Path.GetFullPath(from), from);
        return TrainingOutputs.Write(ctx, setup, estimator, source, simulations.X);
    }

    private static (TrainingSimulations? Simulations, int Exit) Simulations(CliContext ctx, string source, Model model, ObservationLayout layout,
        string? from, long? count, ulong seed, bool score, long chunk)
    {
        try
        {
            if (from is null)
            {
                var bar = new ProgressBar(ctx, "simulate", count!.Value, "sims");
                var drawn = ModelSimulations.Draw(model, layout, count.Value, seed, score, chunk, new LongProgress(bar), ctx.Cancellation);
                bar.Finish();
                return (drawn, ExitCodes.Ok);
            }
            var arrays = SimulationFiles.ReadAllTensors(from);
            if (!arrays.Succeeded)
            {
                foreach (var e in arrays.Errors) ErrorRendering.Write(ctx.Err, e);
                return (null, ExitCodes.ModelError);
            }
            var replayed = ModelSimulations.Replay(model, layout, arrays.Value!, score, count, chunk, cancellation: ctx.Cancellation);
            return replayed.IsSuccess ? (replayed.Value, ExitCodes.Ok) : (null, SbiErrorRendering.Report(ctx, replayed.Error));
        }
        catch (ModelRunException e)
        {
            ctx.Err.WriteLine();
            ErrorRendering.Write(ctx.Err, e.Error, source);
            return (null, ExitCodes.ModelError);
        }
    }
}
