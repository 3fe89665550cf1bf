using System.Globalization;
using Ppl.Compiler;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl posterior est.pplz --data obs -n 10000 --seed S -o post.csv|post.npz [--model MODEL]`: samples the posterior of
/// the model's params at an observation with a bundle written by `ppl train`. NPE draws q(u | x_o) and maps the draws
/// through the model's bijectors; NLE runs NUTS on log q(x_o | u) + log p(u). The model file is the one recorded in
/// the bundle unless `--model` names another; a model whose text changed since training is refused. A corner plot is
/// written beside the output.
/// </summary>
public static class PosteriorCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Value("--model", "MODEL", "the model file (default: the one recorded in the bundle)")
        .Data().Set()
        .Value("-n, --count", "N", "number of posterior draws (default 10000)")
        .Value("--seed", "S", "random seed (default 0)")
        .Value("-o, --output", "FILE", "the draws to write: .csv or .npz")
        .Value("--chains", "C", "NLE: MCMC chains")
        .Value("--warmup", "W", "NLE: warm-up iterations per chain")
        .Value("--max-depth", "D", "NLE: maximum tree depth of NUTS")
        .Flag("--no-plot", "same as --no-plots (kept for old scripts)")
        .Flag("--no-plots", "do not write the corner plot")
        .Device();

    public static int Run(CliContext ctx, CommandLine line)
    {
        var inv = CultureInfo.InvariantCulture;
        if (line.Positional.Count != 1)
            return ctx.Usage("posterior expects one estimator bundle", "ppl posterior est.pplz --data obs.json -n 10000 --seed 1 -o post.csv");
        var bundlePath = line.Positional[0];
        if (!SimulateCommand.TryLong(line.Get("-n") ?? "10000", 1, out long count)) return ctx.Usage("-n must be a positive integer (the number of posterior draws)");
        if (!SimulateCommand.TryLong(line.Get("--seed") ?? "0", 0, out long seed)) return ctx.Usage("--seed must be a non-negative integer");
        var nle = new NleSamplingOptions { Seed = (ulong)seed };
        if (line.Get("--chains") is { } chainsText)
        {
            if (!SimulateCommand.TryLong(chainsText, 1, out long chains) || chains > 10_000) return ctx.Usage("--chains must be a positive integer");
            nle = nle with { Chains = (int)chains };
        }
        if (line.Get("--warmup") is { } warmupText)
        {
            if (!SimulateCommand.TryLong(warmupText, 0, out long warmup) || warmup > 1_000_000) return ctx.Usage("--warmup must be a non-negative integer");
            nle = nle with { Warmup = (int)warmup };
        }
        if (line.Get("--max-depth") is { } depthText)
        {
            if (!SimulateCommand.TryLong(depthText, 1, out long depth) || depth > 20) return ctx.Usage("--max-depth must be an integer from 1 to 20");
            nle = nle with { MaxTreeDepth = (int)depth };
        }
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("posterior needs an output file: -o post.csv or -o post.npz");
        if (!output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !output.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            return ctx.Usage($"the output '{output}' must end in .csv or .npz");
        var outputDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outputDir is not null && !Directory.Exists(outputDir)) return ctx.Usage($"the folder of '{output}' does not exist");
        var (device, deviceError) = Ppl.Runtime.Tensors.TorchSetup.ResolveDevice(line.Get("--device") ?? Environment.GetEnvironmentVariable("PPL_DEVICE"));
        if (deviceError is not null) return ctx.Usage(deviceError);

        if (!File.Exists(bundlePath)) return ctx.Usage($"estimator bundle '{bundlePath}' not found", "write one with `ppl train`");
        var loaded = EstimatorBundle.Load(bundlePath, expectedModelHash: null, device);
        if (!loaded.IsSuccess) return SbiErrorRendering.Report(ctx, loaded.Error);
        using var estimator = loaded.Value.Estimator;
        var record = ModelEstimatorRecord.FromMetadata(loaded.Value.Metadata, bundlePath);
        if (!record.IsSuccess) return SbiErrorRendering.Report(ctx, record.Error);

        var modelPath = line.Get("--model") ?? RecordedModelPath(bundlePath, record.Value);
        if (modelPath is null)
            return ctx.Usage($"the model file recorded in '{bundlePath}' ({record.Value.ModelPath}) no longer exists", "give the model with --model MODEL.ppl");
        var (compilation, exit) = ModelLoading.Compile(ctx, modelPath);
        if (compilation is null) return exit;
        if (EstimatorBundle.CheckModelHash(bundlePath, loaded.Value.ModelHash, compilation.SourceHash, $"'{modelPath}'") is { } changed)
            return SbiErrorRendering.Report(ctx, changed, $"retrain with `ppl train {modelPath} ...`, or give the model it was trained on with --model");

        var (model, observation, values, bindExit) = BindWithObservation(ctx, compilation, record.Value, line, device!);
        if (model is null || observation is null) return bindExit;
        var arrangement = record.Value.Observation.Arrangement;
        if (record.Value.CheckModel(model, arrangement) is { } mismatch) return SbiErrorRendering.Report(ctx, mismatch);
        if (record.Value.Compressor is { } compressor)
        {
            var origin = string.Join(", ", line.GetAll("--data").Concat(line.GetAll("--set")));
            (observation, var compressExit) = CompressorOption.CompressObservation(ctx, compressor, bundlePath, compilation, model,
                record.Value.Observation, observation!, origin, device);
            if (observation is null) return compressExit;
        }
        if (ObservationRange.FromMetadata(loaded.Value.Metadata) is { } range)
        {
            using var flat = observation.to_type(ScalarType.Float64).cpu().reshape(-1);
            if (range.Warning(flat.data<double>().ToArray()) is { } far) ctx.Err.WriteLine($"warning {SbiError.ObservationOutsideTraining}: {far}");
        }

        var clock = ModelLoading.Start();
        PosteriorDraws draws;
        string how;
        try
        {
            if (record.Value.Method == EstimationMethod.Npe)
            {
                draws = ModelPosterior.SampleNpe(estimator, model, observation, count, (ulong)seed);
                how = "NPE: direct draws from q(θ | x_o), mapped through the model's bijectors";
            }
            else
            {
                var bar = new ProgressBar(ctx, "nuts", (long)nle.Chains * (nle.Warmup + (count + nle.Chains - 1) / nle.Chains), "iterations");
                var sampled = ModelPosterior.SampleNle(estimator, model, observation, count, nle, new SamplingBar(bar), ctx.Cancellation);
                bar.Finish();
                if (!sampled.IsSuccess) return SbiErrorRendering.Report(ctx, sampled.Error);
                draws = sampled.Value.Draws;
                how = string.Create(inv, $"NLE: NUTS on log q(x_o | θ) + log p(θ), {nle.Chains} chains × ({nle.Warmup} warm-up + {sampled.Value.Run.Chains.Min(c => c.Samples.Count)}) iterations, " +
                    $"{sampled.Value.Divergences} divergences, max R-hat {sampled.Value.MaxRHat:F3}");
                if (sampled.Value.Run.StopReason == StopReason.Cancelled)
                    ctx.Err.WriteLine($"interrupted: writing the {draws.Count} draws sampled so far");
            }
        }
        catch (ModelRunException e)
        {
            ErrorRendering.Write(ctx.Err, e.Error, compilation.Source);
            return ExitCodes.ModelError;
        }
        var elapsed = clock.Elapsed;

        var comments = new[]
        {
            $"ppl posterior {Path.GetFileName(bundlePath)}: {draws.Count} draws of {model.Description.Name} ({record.Value.Method.ToString().ToUpperInvariant()})",
            $"model {Path.GetFullPath(modelPath)} (hash {compilation.SourceHash})",
            $"observation {string.Join(", ", line.GetAll("--data").Concat(line.GetAll("--set")))}; seed {seed}",
        };
        var written = PosteriorOutputs.Write(output, draws, comments);
        if (!written.Succeeded)
        {
            foreach (var e in written.Errors) ErrorRendering.Write(ctx.Err, e);
            return ExitCodes.UsageError;
        }
        string? corner = null;
        if (!line.Has("--no-plot") && !line.Has("--no-plots"))
        {
            corner = PosteriorOutputs.CornerPath(output);
            var truths = Truths(model, values);
            var plotted = PosteriorOutputs.WriteCorner(corner, draws, record.Value.Method == EstimationMethod.Npe ? "NPE" : "NLE",
                $"{model.Description.Name}: {draws.Count} posterior draws", truths);
            if (!plotted.Succeeded)
            {
                foreach (var e in plotted.Errors) ErrorRendering.Write(ctx.Err, e);
                return ExitCodes.UsageError;
            }
        }
        ctx.Out.WriteLine(how);
        PosteriorOutputs.Summarise(ctx.Out, draws);
        ctx.Out.WriteLine($"wrote {draws.Count} draws to {output}{(corner is null ? "" : $" and the corner plot to {corner}")} ({ModelLoading.Seconds(elapsed)})");
        return ctx.Cancellation.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    /// <summary>The recorded model file: beside the bundle as it was when training, else at its absolute path; null when neither exists.</summary>
    private static string? RecordedModelPath(string bundlePath, ModelEstimatorRecord record)
    {
        if (record.ModelPathFromBundle is { } relative)
        {
            var candidate = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bundlePath)) ?? ".", relative));
            if (File.Exists(candidate)) return candidate;
        }
        return File.Exists(record.ModelPath) ? record.ModelPath : null;
    }

    /// <summary>
    /// Binds the model (float64) with the training data, overridden by the user's data, and arranges the observation:
    /// observed sites from JSON/npz data or `--set`, or a CSV whose one row holds the observed values (by column name, or
    /// all of them in declaration order, as sbibm's observation files do).
    /// </summary>
    private static (Model? Model, Tensor? Observation, Dictionary<string, DataInput> Values, int Exit) BindWithObservation(
        CliContext ctx, Compilation compilation, ModelEstimatorRecord record, CommandLine line, Device device)
    {
        var none = new Dictionary<string, DataInput>();
        var files = line.GetAll("--data");
        var csvFiles = files.Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList();
        var (inputs, dataExit) = DataArguments.Load(ctx, files.Except(csvFiles).ToList(), line.GetAll("--set"));
        if (inputs is null) return (null, null, none, dataExit);
        var trainingData = JsonDataReader.Parse(record.TrainingData, "training data recorded in the bundle");
        if (!trainingData.Succeeded)
        {
            foreach (var e in trainingData.Errors) ErrorRendering.Write(ctx.Err, e);
            return (null, null, none, ExitCodes.ModelError);
        }
        var dataNames = compilation.Description!.Data.Select(d => d.Name).ToHashSet();
        var data = trainingData.Value!.ToDictionary(kv => kv.Key, kv => DataArguments.ToInput(kv.Value));
        foreach (var (name, value) in inputs.Where(kv => dataNames.Contains(kv.Key))) data[name] = value;
        var (model, bindExit) = ModelLoading.Bind(ctx, compilation, data, new ModelOptions { RealType = ScalarType.Float64, Device = device });
        if (model is null) return (null, null, none, bindExit);

        var layout = record.Observation;
        SbiResult<Tensor> arranged;
        string? nonFinite = null;
        if (csvFiles.Count > 0)
        {
            if (csvFiles.Count > 1) return (null, null, none, ctx.Usage("give the observation in one CSV file"));
            var (table, tableExit) = SampleTable.Read(ctx, csvFiles[0]);
            if (table is null) return (null, null, none, tableExit);
            if (table.Rows != 1)
                return (null, null, none, ctx.Usage($"the observation file '{csvFiles[0]}' has {table.Rows} rows; it must hold one observation (one row)"));
            var wanted = layout.Blocks.SelectMany(b => SampleTable.ElementNames(b.Name, b.Shape)).ToList();
            var names = table.Names.Select(SampleTable.CanonicalName).ToList();
            var byName = wanted.Select(w => names.IndexOf(w)).ToList();
            var columns = byName.All(i => i >= 0) ? byName : Enumerable.Range(0, table.Names.Count).ToList();
            var row = columns.Select(j => table.Values[0, j]).ToArray();
            int bad = Array.FindIndex(row, v => !double.IsFinite(v));
            if (bad >= 0) nonFinite = $"the observation '{csvFiles[0]}' holds {DataArguments.Format(row[bad])} in column '{table.Names[columns[bad]]}'";
            arranged = layout.ArrangeFlat(tensor(row, ScalarType.Float64));
        }
        else
        {
            var observed = new Dictionary<string, Tensor>();
            foreach (var block in layout.Blocks)
            {
                if (!inputs.TryGetValue(block.Name, out var value)) continue;
                var v = value.Value.to_type(ScalarType.Float64);
                // One simulation written by `ppl simulate -n 1` keeps its leading draw dimension.
                if (v.dim() == block.Shape.Length + 1 && v.shape[0] == 1 && v.shape.Skip(1).SequenceEqual(block.Shape)) v = v[0];
                observed[block.Name] = v;
                nonFinite ??= NonFiniteElement(block.Name, value.Origin, v);
            }
            arranged = layout.ArrangeOne(observed);
        }
        if (!arranged.IsSuccess)
            return (null, null, none, SbiErrorRendering.Report(ctx, arranged.Error,
                "give the observation with --data obs.json|obs.npz|obs.csv or --set NAME=VALUE"));
        if (nonFinite is not null)
            return (null, null, none, SbiErrorRendering.Report(ctx, new SbiError(SbiError.ObservationNotFinite, nonFinite),
                "a posterior at a NaN or infinite observation is meaningless; give the observed values"));
        return (model, arranged.Value, inputs, ExitCodes.Ok);
    }

    /// <summary>The first NaN or infinite element of an observed value, located by its name, index and origin; else null.</summary>
    private static string? NonFiniteElement(string name, string origin, Tensor value)
    {
        using var flat = value.reshape(-1).cpu();
        var values = flat.data<double>().ToArray();
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        if (bad < 0) return null;
        var shape = value.shape;
        var index = new long[shape.Length];
        long rest = bad;
        for (int k = shape.Length - 1; k >= 0; k--)
        {
            index[k] = rest % shape[k];
            rest /= shape[k];
        }
        string at = shape.Length == 0 ? "" : "[" + string.Join(", ", index) + "]";
        int count = values.Count(v => !double.IsFinite(v));
        return $"the observation {name}{at} ({origin}) is {DataArguments.Format(values[bad])}" + (count > 1 ? $" ({count} of its {values.Length} elements are not finite)" : "");
    }

    /// <summary>True param values from the data (e.g. an .npz written by `ppl simulate -n 1`), for the corner plot.</summary>
    private static IReadOnlyList<double>? Truths(Model model, Dictionary<string, DataInput> values)
    {
        var truths = new List<double>();
        foreach (var p in model.Params)
        {
            if (!values.TryGetValue(p.Name, out var value) || value.Value.numel() != p.Size) return null;
            using var flat = value.Value.to_type(ScalarType.Float64).reshape(-1);
            truths.AddRange(flat.data<double>().ToArray());
        }
        return truths;
    }

    private sealed class SamplingBar(ProgressBar bar) : IProgress<SamplingProgress>
    {
        public void Report(SamplingProgress value)
        {
            long done = value.Chains.Sum(c => (long)c.Iteration);
            int divergences = value.Chains.Sum(c => c.Divergences);
            bar.Report(done, $"{(value.Chains.Any(c => c.InWarmup) ? "warm-up" : "sampling")}, {divergences} divergent");
        }
    }
}
