using System.Globalization;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Cli.Commands;

/// <summary>`ppl simulate MODEL -n N --seed S [--set name=value ...] [--score] -o out.npz`: draws N simulations (params,
/// latents, observations and recorded lets, batch first) and writes them to a NumPy archive, or to an HDF5 archive for
/// <c>-o sims.h5</c> (<c>--append</c> adds to one, continuing its index range). Ctrl-C stops after the current chunk and
/// writes what was simulated. With `--shard K/N` it runs shard K of N of the run (whole chunks of it, see
/// <see cref="Ppl.Runtime.Campaigns.ShardPlan"/>) into <c>out.shard-K-of-N.npz</c> with its record beside it; `ppl merge`
/// joins the shards into the archive a single process writes.</summary>
public static class SimulateCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Value("-n, --count", "N", "number of simulations (with --from-draws: simulations per draw, default 1)")
        .Value("--seed", "S", "random seed (default 0)")
        .Value("-o, --output", "FILE", "the archive to write: .npz or .h5")
        .Data().Set()
        .Flag("--score", "also write the score of each simulation (gradient of log p(x | θ) in θ)")
        .Flag("--joint-score", "also write the joint score (gradient of the joint log density)")
        .Value("--record", "LET,...", "also write these lets per simulation")
        .Value("--chunk", "C", "simulations per batch (default 1000; results do not depend on it)")
        .Value("--first-index", "I", "index of the first simulation, for runs split over processes")
        .Value("--shard", "K/N", "shard K of N of the run, into out.shard-K-of-N.npz (a complete shard is skipped)")
        .Float64().Device()
        .Flag("--compress", "deflate the archive")
        .Flag("--append", "continue an existing .h5 archive")
        .Value("--from-draws", "DIR|FILE", "posterior predictive: simulate at each draw of a `ppl sample` folder or draws.npz");

    public static int Run(CliContext ctx, CommandLine line)
    {
        if (line.Positional.Count != 1) return ctx.Usage("simulate expects one model file", "ppl simulate MODEL.ppl -n 1000 --seed 1 -o sims.npz");
        var fromDraws = line.Get("--from-draws");
        if (fromDraws is not null && PosteriorPredictive.Refusal(line) is { } combination) return ctx.Usage(combination);
        if (!TryLong(line.Get("-n") ?? (fromDraws is null ? null : "1"), 1, out long count))
            return ctx.Usage(fromDraws is null ? "-n must be a positive integer (the number of simulations)" : "-n must be a positive integer (the simulations per posterior draw)");
        if (!TryLong(line.Get("--seed") ?? "0", 0, out long seed)) return ctx.Usage("--seed must be a non-negative integer");
        if (!TryLong(line.Get("--chunk") ?? "1000", 1, out long chunk)) return ctx.Usage("--chunk must be a positive integer");
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("simulate needs an output file: -o sims.npz");
        bool append = line.Has("--append");
        if (append && !Hdf5Archive.IsHdf5Path(output)) return ctx.Usage("--append adds to an HDF5 archive; give -o sims.h5");
        // An append continues the archive's index range unless --first-index says otherwise (then it must agree).
        long defaultFirst = 0;
        ulong? archiveSeed = null;
        if (append)
        {
            var start = SimulationFiles.AppendStart(output);
            if (!start.Succeeded)
            {
                foreach (var e in start.Errors) ErrorRendering.Write(ctx.Err, e);
                return ExitCodes.ModelError;
            }
            (defaultFirst, archiveSeed) = start.Value;
        }
        if (!TryLong(line.Get("--first-index") ?? defaultFirst.ToString(CultureInfo.InvariantCulture), 0, out long first))
            return ctx.Usage("--first-index must be a non-negative integer");
        if (archiveSeed is { } s && s != (ulong)seed)
            return ctx.Usage($"--append: '{output}' holds simulations of seed {s}, not {seed}", $"append with --seed {s}, or write another file");
        if (archiveSeed is not null && first != defaultFirst)
            return ctx.Usage($"--append: '{output}' ends before simulation {defaultFirst}; --first-index {first} would leave a gap or overlap",
                "leave --first-index out to continue the archive");
        var outputDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outputDir is not null && !Directory.Exists(outputDir)) return ctx.Usage($"the folder of '{output}' does not exist");
        SimulationShard? shard = null;
        if (line.Get("--shard") is { } shardText)
        {
            if (line.Has("--first-index")) return ctx.Usage("--shard and --first-index cannot be combined: the shard decides the first index");
            var (parsed, shardError) = SimulationShard.Parse(shardText, count, chunk, output);
            if (parsed is null) return ctx.Usage(shardError!, "ppl simulate MODEL -n 100000 --seed 1 --shard 3/16 -o sims.npz");
            shard = parsed;
        }

        var (loaded, exit) = ModelLoading.CompileWithInputs(ctx, line);
        if (loaded is null) return exit;
        var (compilation, inputs, options) = loaded;
        if (Compiler.CapabilityRefusals.Simulation(compilation) is { } notSimulatable)
        {
            ErrorRendering.Report(ctx, new[] { notSimulatable }, compilation.Source);
            return ExitCodes.ModelError;
        }

        // Values for sites condition the simulation; the rest are data.
        // A site that observes data (`observe y[5:N] ~ d`) takes the data's name, which stays data here.
        var dataNames = compilation.Description!.Data.Select(d => d.Name).ToHashSet();
        var siteNames = compilation.Description.Sites.Select(s => s.Name).Where(n => !dataNames.Contains(n)).ToHashSet();
        var data = inputs.Where(kv => !siteNames.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var conditioning = inputs.Where(kv => siteNames.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var (model, bindExit) = ModelLoading.Bind(ctx, compilation, data, options);
        if (model is null) return bindExit;

        IReadOnlySet<string>? record = null;
        if (line.Get("--record") is { } r)
        {
            record = r == "none" ? new HashSet<string>() : r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            var unknown = record.Where(n => model.Lets.All(l => l.Name != n)).ToList();
            if (unknown.Count > 0)
                return ctx.Usage($"--record: {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is" : "are")} not a recordable let of {model.Description.Name}",
                    model.Lets.Count == 0 ? "this model records no lets" : $"recordable: {string.Join(", ", model.Lets.Select(l => l.Name))}");
        }
        PredictiveDraws? draws = null;
        if (fromDraws is not null)
        {
            (draws, var drawsExit) = PosteriorPredictive.Load(ctx, compilation, model, fromDraws, count, conditioning);
            if (draws is null) return drawsExit;
            conditioning = draws.Conditioning.ToDictionary(kv => kv.Key, kv => kv.Value);
            count *= draws.Draws;
        }
        bool score = line.Has("--score") || line.Has("--joint-score");
        Ppl.Runtime.Campaigns.ShardRecord? expected = null;
        if (shard is not null)
        {
            var settings = SimulationShard.Settings(model, line.Has("--joint-score") ? "joint" : score ? "likelihood" : "none", record, line.Has("--compress"), inputs);
            expected = shard.Expected(model.Description.Name, Path.GetFileName(line.Positional[0]), compilation.SourceHash!, (ulong)seed, settings);
            var (state, message, refusal) = shard.Existing(expected);
            if (refusal is not null)
            {
                ErrorRendering.Write(ctx.Err, refusal);
                return ExitCodes.UsageError;
            }
            if (message is not null) (state == ShardState.Skip ? ctx.Out : ctx.Err).WriteLine(message);
            if (state == ShardState.Skip) return ExitCodes.Ok;
            conditioning = shard.Slice(conditioning, model);
            (first, count, output) = (shard.First, shard.Count, shard.DataFile);
        }
        var bar = new ProgressBar(ctx, "simulate", count, "sims");
        Simulation sim;
        try
        {
            sim = model.Simulate(new SimulationRequest(count, (ulong)seed)
            {
                FirstIndex = first,
                Conditioning = conditioning,
                RecordLets = record,
                Score = score,
                ScoreKind = line.Has("--joint-score") ? ScoreKind.Joint : ScoreKind.Likelihood,
                ChunkSize = chunk,
                Progress = new Progress(bar),
                Cancellation = ctx.Cancellation,
            });
        }
        catch (ModelRunException e)
        {
            bar.Finish();
            ErrorRendering.Write(ctx.Err, e.Error, compilation.Source);
            return ExitCodes.ModelError;
        }
        bar.Finish();

        var arrays = new List<KeyValuePair<string, Tensor>>();
        foreach (var name in sim.SiteNames.Concat(sim.LetNames))
            if (sim.Values.TryGetValue(name, out var t)) arrays.Add(new(name, t));
        if (sim.Score is not null) arrays.Add(new("score", sim.Score));
        if (shard is not null && sim.Completed < count)
        {
            ctx.Err.WriteLine($"interrupted: shard {shard.Index}/{shard.Plan.Shards} was not written ({sim.Completed} of {count} simulations done); rerun the same command to simulate it");
            return ExitCodes.Interrupted;
        }
        if (draws is not null)
        {
            if (sim.Completed < count)
            {
                ctx.Err.WriteLine($"interrupted: {sim.Completed} of {count} simulations were done; nothing was written");
                return ExitCodes.Interrupted;
            }
            arrays = PosteriorPredictive.ByDraw(arrays, draws.Draws, line.Has("-n"));
        }
        var written = SimulationFiles.Write(output, arrays, line.Has("--compress"), append,
            new SimulationProvenance((ulong)seed, first, model.Description.Name));
        if (!written.Succeeded)
        {
            foreach (var e in written.Errors) ErrorRendering.Write(ctx.Err, e);
            return ExitCodes.UsageError;
        }
        if (shard is not null)
        {
            var recorded = shard.WriteRecord(expected!, arrays);
            if (!recorded.Succeeded)
            {
                foreach (var e in recorded.Errors) ErrorRendering.Write(ctx.Err, e);
                return ExitCodes.UsageError;
            }
        }
        var rate = sim.Completed / Math.Max(bar.Elapsed.TotalSeconds, 1e-9);
        var which = shard is null ? "" : $" (shard {shard.Index}/{shard.Plan.Shards}: {Ppl.Runtime.Campaigns.ShardSet.Span(first, count)}; record {Path.GetFileName(shard.RecordFile)})";
        ctx.Out.WriteLine($"wrote {sim.Completed} simulations of {model.Description.Name}{which} to {output} ({rate.ToString("F0", CultureInfo.InvariantCulture)} sims/s)");
        foreach (var (name, t) in arrays)
            ctx.Out.WriteLine($"  {name,-12} [{string.Join(", ", t.shape)}] {t.dtype.ToString().ToLowerInvariant()}");
        if (sim.Score is not null) ctx.Out.WriteLine($"  score columns: {string.Join(", ", sim.ScoreColumns)}");
        if (sim.Completed < count)
        {
            ctx.Err.WriteLine($"interrupted: {sim.Completed} of {count} simulations were written");
            return ExitCodes.Interrupted;
        }
        return ExitCodes.Ok;
    }

    private sealed class Progress(ProgressBar bar) : IProgress<long>
    {
        public void Report(long value) => bar.Report(value);
    }

    internal static bool TryLong(string? text, long min, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min;
}
