using Ppl.Compiler;
using Ppl.Runtime.Campaigns;
using System.Globalization;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Compression;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl compress MODEL --loss vmim|mse|mae|gnll (--sims N | --from sims.npz) [--arch cnn|resnet18] [--summaries d]
/// [--site NAME] --seed S -o comp.pplz`: trains a 2-D CNN that compresses an observed map site to d summaries, with the
/// observation noise redrawn from the model for every batch (unless --fixed-noise), and writes a compressor bundle.
/// </summary>
public static class CompressCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Value("--loss", "vmim|mse|mae|gnll", "training loss: variational mutual information (default), mean squared or absolute error, Gaussian NLL", "vmim", "mse", "mae", "gnll")
        .Value("--sims", "N", "simulations per epoch, drawn from the model")
        .Value("--from", "FILE|DIR", "train on stored simulations: an .npz/.h5 archive or a folder of `simulate --shard` shards")
        .Value("--arch", "cnn|resnet18", "the compressor network (default cnn)", "cnn", "resnet18")
        .Value("--summaries", "d", "number of summaries (default: the params' dimension)")
        .Value("--site", "NAME", "the observed map (default: the only observed site of rank 2 or 3)")
        .Value("--channels", "first|last", "where the channels of a rank-3 map are", "first", "last")
        .Value("--width", "W", "channel multiplier of the network")
        .Flag("--fixed-noise", "train on the stored observations instead of redrawing the noise every batch")
        .Flag("--augment", "turn and mirror each batch (the 8 symmetries of the square)")
        .Value("--epochs", "E", "most epochs")
        .Value("--batch-size", "B", "simulations per batch")
        .Value("--lr", "LR", "learning rate")
        .Value("--schedule", "S", "learning-rate schedule: constant, cosine, exponential:γ or step:γ:k")
        .Value("--patience", "P", "epochs without validation progress before stopping")
        .Value("--validation-fraction", "F", "fraction of simulations held out for validation")
        .Value("--clip", "C", "gradient-norm clip")
        .Data().Set()
        .Value("--seed", "S", "random seed")
        .Value("-o, --output", "FILE", "the compressor bundle to write (.pplz)")
        .Value("--chunk", "C", "simulations per chunk when drawing from the model")
        .Value("--buffer", "N", "with --from DIR: simulations held in memory at once (default 50,000)")
        .Float64().Device();

    private static readonly IReadOnlyDictionary<string, CompressionLoss> Losses = new Dictionary<string, CompressionLoss>
    {
        ["vmim"] = CompressionLoss.Vmim, ["mse"] = CompressionLoss.Mse, ["mae"] = CompressionLoss.Mae, ["gnll"] = CompressionLoss.Gnll,
    };

    public static int Run(CliContext ctx, CommandLine line)
    {
        var inv = CultureInfo.InvariantCulture;
        if (line.Positional.Count != 1)
            return ctx.Usage("compress expects one model file", "ppl compress MODEL.ppl --loss vmim --sims 2000 --seed 1 -o comp.pplz");
        var lossName = line.Get("--loss");
        if (lossName is null || !Losses.TryGetValue(lossName, out var loss))
            return ctx.Usage($"--loss must be one of {string.Join(", ", Losses.Keys)}{(lossName is null ? "" : $"; got '{lossName}'")}");
        var archName = line.Get("--arch") ?? "cnn";
        if (archName is not ("cnn" or "resnet18")) return ctx.Usage($"--arch must be cnn or resnet18; got '{archName}'");
        var from = line.Get("--from");
        long? sims = null;
        if (line.Get("--sims") is { } simsText)
        {
            if (!SimulateCommand.TryLong(simsText, 2, out long n)) return ctx.Usage("--sims must be an integer of at least 2 (the number of simulations)");
            sims = n;
        }
        if (sims is null && from is null)
            return ctx.Usage("compress needs --sims N (simulations drawn from the model) or --from sims.npz (simulations written by `ppl simulate`)");
        if (from is not null && !File.Exists(from) && !Directory.Exists(from)) return ctx.Usage($"simulation file '{from}' not found");
        bool streamed = from is not null && Directory.Exists(from);
        if (!SimulateCommand.TryLong(line.Get("--buffer") ?? "50000", 2, out long bufferRows)) return ctx.Usage("--buffer must be an integer of at least 2 (simulations held in memory at once)");
        int? summaries = null;
        if (line.Get("--summaries") is { } summariesText)
        {
            if (!SimulateCommand.TryLong(summariesText, 1, out long d) || d > 10_000)
                return ctx.Usage($"--summaries must be a positive integer (the number of summaries); got '{summariesText}'");
            summaries = (int)d;
        }
        int width = 1;
        if (line.Get("--width") is { } widthText && (!int.TryParse(widthText, NumberStyles.Integer, inv, out width) || width < 1 || width > 64))
            return ctx.Usage("--width must be an integer from 1 to 64 (the small CNN's channel multiplier)");
        ChannelPosition? channels = null;
        if (line.Get("--channels") is { } channelText)
        {
            if (channelText is not ("first" or "last")) return ctx.Usage($"--channels must be first or last; got '{channelText}'");
            channels = channelText == "first" ? ChannelPosition.First : ChannelPosition.Last;
        }
        if (!SimulateCommand.TryLong(line.Get("--seed") ?? "0", 0, out long seed)) return ctx.Usage("--seed must be a non-negative integer");
        if (!SimulateCommand.TryLong(line.Get("--chunk") ?? "1000", 1, out long chunk)) return ctx.Usage("--chunk must be a positive integer");
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("compress needs an output file: -o comp.pplz");
        var outputDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outputDir is not null && !Directory.Exists(outputDir)) return ctx.Usage($"the folder of '{output}' does not exist");
        var (training, trainingError) = EstimatorSettings.Training(line, (ulong)seed, ctx.Cancellation);
        if (training is null) return ctx.Usage(trainingError!);
        training = WithCompressorDefaults(training, line, loss);

        var (loaded, model, exit) = ModelLoading.CompileForSimulation(ctx, line);
        if (loaded is null || model is null) return exit;
        var (compilation, data, options) = loaded;
        training = training with { Device = options.Device };
        if (model.ParamDimension == 0)
            return SbiErrorRendering.Report(ctx, new SbiError(SbiError.ShapeMismatch, $"model {model.Description.Name} has no params to compress for"));

        var (site, siteError) = MapSite(model, line.Get("--site"));
        if (site is null) return ctx.Usage(siteError!);
        var (map, mapError) = MapShape.Of(site.Shape, channels);
        if (map is null) return ctx.Usage($"--site {site.Name}: {mapError}");
        var architecture = new CompressorArchitecture
        {
            Preset = archName == "resnet18" ? CompressorPreset.ResNet18 : CompressorPreset.Cnn,
            Loss = loss,
            Map = map,
            Summaries = summaries ?? model.ParamDimension,
            Params = model.ParamDimension,
            Width = width,
        };
        if (architecture.Problem() is { } problem) return ctx.Usage(problem);
        bool redrawNoise = !line.Has("--fixed-noise");

        using var scope = NewDisposeScope();
        var settings = new CompressorTrainingOptions(training, line.Has("--augment"));
        SbiResult<CompressorTraining> result;
        long count;
        if (streamed)
        {
            var (shardResult, shardCount, shardExit) = TrainOnShards(ctx, compilation, model, site.Name, architecture, settings, from!, (ulong)seed, chunk, bufferRows, redrawNoise);
            if (shardResult is null) return shardExit;
            (result, count) = (shardResult.Value, shardCount);
        }
        else
        {
            var (sims_, simulationExit) = Simulations(ctx, compilation.Source, model, site.Name, from, sims, (ulong)seed, chunk);
            if (sims_ is null) return simulationExit;
            var (theta, maps, stored, simulated) = sims_.Value;
            count = simulated;
            if (ctx.Cancellation.IsCancellationRequested)
            {
                ctx.Err.WriteLine("interrupted while simulating: nothing was trained");
                return ExitCodes.Interrupted;
            }
            ObservationRedraw? redraw = null;
            if (redrawNoise)
            {
                var (created, missing) = ObservationRedraw.Create(model, site.Name, stored, (ulong)seed ^ 0xC0FFEEUL);
                if (created is null)
                    return SbiErrorRendering.Report(ctx, new SbiError(SbiError.SimulationsIncomplete,
                        $"{from}: redrawing the noise of '{site.Name}' replays the model with the stored params and latents, but the simulations lack {string.Join(", ", missing.Select(m => $"'{m}'"))}."),
                        "write the simulations with `ppl simulate` (it stores every site), or train on the stored noise with --fixed-noise");
                redraw = created;
            }

            var bar = new ProgressBar(ctx, "compress", training.MaxEpochs, "epochs");
            result = CompressorTrainer.Train(architecture, theta, maps, redraw, settings, new EpochProgress(bar));
            bar.Finish();
        }
        if (!result.IsSuccess) return SbiErrorRendering.Report(ctx, result.Error, result.Error.Code == SbiError.TooFewRows ? "check the simulations for NaN maps" : null);
        using var compressor = result.Value.Compressor;
        var report = result.Value.Report;
        if (report.DroppedRows > 0)
            ctx.Err.WriteLine($"warning: {report.DroppedRows} of {count} simulations hold NaN or infinite values (in θ or '{site.Name}'); they were dropped");
        if (result.Value.NonFiniteRedraws > 0)
            ctx.Err.WriteLine($"warning: {result.Value.NonFiniteRedraws} redrawn maps held NaN or infinite values; they were left out of their batches");

        var record = new CompressorRecord
        {
            ModelName = model.Description.Name,
            ModelPath = Path.GetFullPath(line.Positional[0]),
            ModelPathFromBundle = Path.GetRelativePath(outputDir ?? ".", Path.GetFullPath(line.Positional[0])),
            Site = site.Name,
            Params = ModelEstimatorRecord.ParamsOf(model),
            ParamColumns = model.ParamColumnNames(),
            TrainingData = JsonDataWriter.Format(data.Select(kv => KeyValuePair.Create(kv.Key, DataValue.FromTensor(kv.Value.Value, kv.Value.Origin)))),
            Simulations = count,
            SimulationSeed = (ulong)seed,
            SimulationSource = from is null ? "model" : Path.GetFullPath(from),
            NoiseRedrawn = redrawNoise,
            Augmented = settings.Augment,
            NonFiniteRedraws = result.Value.NonFiniteRedraws,
        };
        var saved = CompressorBundle.Save(compressor, record, compilation.SourceHash!, training, report, output);
        if (!saved.IsSuccess) return SbiErrorRendering.Report(ctx, saved.Error);

        string ending = report.Cancelled ? "interrupted" : report.StoppedEarly ? "stopped early" : "reached --epochs";
        ctx.Out.WriteLine($"trained a {archName} compressor of {site.Name} {map.Describe()} to {architecture.Summaries} summaries ({loss.ToString().ToUpperInvariant()} loss) for {model.Description.Name}");
        ctx.Out.WriteLine($"  simulations   {count} ({(from is null ? $"drawn with seed {seed}" : from)}); {report.TrainingRows} for training, {report.ValidationRows} for validation, {report.DroppedRows} dropped");
        ctx.Out.WriteLine($"  noise         {(redrawNoise ? "redrawn from the model for every batch" : "as stored")}{(settings.Augment ? "; random 90° turns and mirrors" : "")}");
        ctx.Out.WriteLine(string.Create(inv, $"  epochs        {report.Epochs} ({ending}); best epoch {report.BestEpoch}, validation loss {report.BestValidationLoss:F4}"));
        ctx.Out.WriteLine(string.Create(inv, $"  training time {report.Seconds:F1} s"));
        ctx.Out.WriteLine($"wrote {output}");
        return report.Cancelled ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    /// <summary>
    /// `--from DIR`: trains on the shards of a `ppl simulate --shard` run without loading them whole — each epoch a seeded
    /// permutation of all simulations read one buffer at a time (<see cref="ShardStream"/>, <see cref="StreamedCompressorTrainer"/>),
    /// whole blocks held out for validation (at most one buffer).
    /// </summary>
    private static (SbiResult<CompressorTraining>? Result, long Count, int Exit) TrainOnShards(CliContext ctx, Compilation compilation, Model model,
        string site, CompressorArchitecture architecture, CompressorTrainingOptions settings, string from, ulong seed, long chunk, long bufferRows, bool redraw)
    {
        var (set, loadExit) = ShardFolder.Load(ctx, from, compilation);
        if (set is null) return (null, 0, loadExit);
        using var stream = new ShardStream(set, ShardCompressorBuffers.Arrays(model, site), set.First.Chunk, bufferRows);
        stream.HoldOut(seed, settings.Training.ValidationFraction);
        var buffers = new ShardCompressorBuffers(stream, model, site, redraw, seed, chunk);
        var bar = new ProgressBar(ctx, "compress", settings.Training.MaxEpochs, "epochs");
        try
        {
            var result = StreamedCompressorTrainer.Train(architecture, buffers, settings, new EpochProgress(bar));
            return (result, stream.Total, ExitCodes.Ok);
        }
        catch (ModelRunException e)
        {
            ErrorRendering.Write(ctx.Err, e.Error, compilation.Source);
            return (null, 0, ExitCodes.ModelError);
        }
        finally
        {
            bar.Finish();
        }
    }

    /// <summary>The paper's settings where the user gave none: batch 128, Adam 1e-3 (1e-4 for GNLL), ×0.7 every tenth of
    /// 50 epochs, patience 10.</summary>
    private static TrainingOptions WithCompressorDefaults(TrainingOptions options, CommandLine line, CompressionLoss loss)
    {
        if (!line.Has("--epochs")) options = options with { MaxEpochs = 50 };
        if (!line.Has("--batch-size")) options = options with { BatchSize = 128 };
        if (!line.Has("--lr")) options = options with { LearningRate = loss == CompressionLoss.Gnll ? 1e-4 : 1e-3 };
        if (!line.Has("--patience")) options = options with { Patience = 10 };
        if (!line.Has("--schedule")) options = options with { Schedule = CompressorTrainingOptions.PaperSchedule(options.MaxEpochs) };
        return options;
    }

    /// <summary>The observed site to compress: the one named, or the only observed map.</summary>
    private static (SiteLayout? Site, string? Error) MapSite(Model model, string? name)
    {
        var observed = model.ObservedSites.ToList();
        if (name is not null)
        {
            var site = model.Sites.FirstOrDefault(s => s.Name == name);
            if (site is null || site.Role != SiteRole.Observed)
                return (null, $"--site {name}: model {model.Description.Name} has no observed site '{name}' (observed: {string.Join(", ", observed.Select(s => $"{s.Name} {s.ShapeText}"))})");
            return (site, null);
        }
        var maps = observed.Where(s => s.Shape.Length is 2 or 3).ToList();
        if (maps.Count == 1) return (maps[0], null);
        return (null, maps.Count == 0
            ? $"model {model.Description.Name} observes no map (a site of shape [N, M], [N, M, C] or [C, N, M]); observed: {string.Join(", ", observed.Select(s => $"{s.Name} {s.ShapeText}"))}"
            : $"model {model.Description.Name} observes several maps ({string.Join(", ", maps.Select(s => s.Name))}); choose one with --site NAME");
    }

    private static ((Tensor Theta, Tensor Maps, IReadOnlyDictionary<string, Tensor> Stored, long Count)? Simulations, int Exit) Simulations(
        CliContext ctx, string source, Model model, string site, string? from, long? count, ulong seed, long chunk)
    {
        try
        {
            if (from is null)
            {
                var bar = new ProgressBar(ctx, "simulate", count!.Value, "sims");
                var simulation = model.Simulate(new SimulationRequest(count.Value, seed)
                {
                    UnconstrainedParams = true,
                    RecordLets = new HashSet<string>(),
                    ChunkSize = chunk,
                    Progress = new LongProgress(bar),
                    Cancellation = ctx.Cancellation,
                });
                bar.Finish();
                return ((simulation.UnconstrainedParams!, simulation.Values[site], simulation.Values, simulation.Completed), ExitCodes.Ok);
            }
            var arrays = SimulationFiles.ReadAllTensors(from);
            if (!arrays.Succeeded)
            {
                foreach (var e in arrays.Errors) ErrorRendering.Write(ctx.Err, e);
                return (null, ExitCodes.ModelError);
            }
            var block = new ObservedBlock(site, model.Sites.First(s => s.Name == site).Shape);
            var layout = ObservationLayout.Create([block], ObservationArrangement.Flat).Value;
            var replayed = ModelSimulations.Replay(model, layout, arrays.Value!, score: false, count, chunk, cancellation: ctx.Cancellation);
            if (!replayed.IsSuccess) return (null, SbiErrorRendering.Report(ctx, replayed.Error));
            long n = replayed.Value.Count;
            var stored = arrays.Value!.ToDictionary(kv => kv.Key, kv => kv.Value.dim() > 0 && kv.Value.shape[0] >= n ? kv.Value.narrow(0, 0, n) : kv.Value);
            var maps = stored[site];
            return ((replayed.Value.Theta, maps, stored, n), ExitCodes.Ok);
        }
        catch (ModelRunException e)
        {
            ctx.Err.WriteLine();
            ErrorRendering.Write(ctx.Err, e.Error, source);
            return (null, ExitCodes.ModelError);
        }
    }
}
