using Ppl.Runtime.Campaigns;
using Ppl.Runtime.IO;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl merge SHARDS... -o out.npz`: joins the shards of a `ppl simulate --shard K/N` run into the archive one process
/// would have written, byte for byte; `ppl merge RUN_DIR... -o DIR`: joins `ppl sample` runs of separate chains
/// (<c>--chain-offset</c>) into one run folder with the summary over all chains. Nothing is written unless every
/// check passes: one model, seed and settings; every simulation (chain) exactly once; every shard file as its record
/// says (size and SHA-256).
/// </summary>
public static class MergeCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Value("-o, --output", "FILE|DIR", "the merged archive (shards) or run folder (`ppl sample` folders)");

    private const string ShardPattern = "*.shard-*-of-*.json";

    public static int Run(CliContext ctx, CommandLine line)
    {
        if (line.Positional.Count == 0)
            return ctx.Usage("merge expects the shards to join", "ppl merge sims.shard-*.npz -o sims.npz   (or a folder of shards, or ppl sample folders -o DIR)");
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("merge needs an output: -o sims.npz (shards) or -o DIR (ppl sample folders)");

        var sampleRuns = line.Positional.Where(p => Directory.Exists(p) && SampleRunMerge.IsRunFolder(p)).ToList();
        if (sampleRuns.Count > 0)
        {
            if (sampleRuns.Count != line.Positional.Count)
                return ctx.Usage("merge joins either shards of `ppl simulate --shard` or folders of `ppl sample`, not both");
            return SampleRunMerge.Run(ctx, sampleRuns, output);
        }

        var records = new List<string>();
        foreach (var input in line.Positional)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.GetFiles(input, ShardPattern).Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                {
                    ErrorRendering.Write(ctx.Err, new DataFileError(DiagnosticCatalogue.NotAShard,
                        "the folder holds neither shard records (*.shard-K-of-N.json) nor the output of `ppl sample`", input));
                    return ExitCodes.ModelError;
                }
                records.AddRange(found);
            }
            else if (!File.Exists(input)) return ctx.Usage($"'{input}' not found");
            else records.Add(input.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? input : ShardPlan.RecordFile(input));
        }
        if (!output.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            return ctx.Usage($"merge writes a .npz archive, not '{output}'");
        var outputDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outputDir is not null && !Directory.Exists(outputDir)) return ctx.Usage($"the folder of '{output}' does not exist");

        var checkedSet = ShardSet.Check(records);
        if (!checkedSet.Succeeded)
        {
            foreach (var e in checkedSet.Errors) ErrorRendering.Write(ctx.Err, e);
            ctx.Err.WriteLine($"merge: nothing written ({checkedSet.Errors.Count} problem{(checkedSet.Errors.Count == 1 ? "" : "s")})");
            return ExitCodes.ModelError;
        }
        var set = checkedSet.Value;
        var parts = set.Shards.Select(s => (File: ShardSet.DataFile(s.Path, s.Record), Rows: s.Record.Count)).ToList();
        var full = Path.GetFullPath(output);
        if (parts.Any(p => Path.GetFullPath(p.File) == full) || set.Shards.Any(s => Path.GetFullPath(s.Path) == full))
            return ctx.Usage($"-o {output} is one of the shards; choose another name");

        var first = set.First;
        var joined = NpzJoin.Join(parts, first.Arrays.Select(a => a.Name).ToList(), output, first.Settings.GetValueOrDefault("compress") == "deflate");
        if (!joined.Succeeded)
        {
            foreach (var e in joined.Errors) ErrorRendering.Write(ctx.Err, e);
            ctx.Err.WriteLine("merge: nothing written");
            return joined.Errors.All(e => e.Code == DiagnosticCatalogue.InputOutputFailure) ? ExitCodes.UsageError : ExitCodes.ModelError;
        }
        ctx.Out.WriteLine($"merged {set.Shards.Count} shards of {first.Model} (seed {first.Seed}, simulations {ShardSet.Span(0, first.Total)}) into {output}");
        foreach (var a in first.Arrays)
            ctx.Out.WriteLine($"  {a.Name,-12} [{string.Join(", ", a.Shape.Select((n, k) => k == 0 ? first.Total : n))}] {a.DType}");
        return ExitCodes.Ok;
    }
}
