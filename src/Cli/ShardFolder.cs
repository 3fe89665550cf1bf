using Ppl.Compiler;
using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Sbi;

namespace Ppl.Cli;

/// <summary>
/// The shards a `--from DIR` of `ppl train` or `ppl compress` reads: every `*.shard-K-of-N.json` record in DIR, checked
/// together (<see cref="ShardSet.Check"/>) and against the model text being trained. Errors are reported here.
/// </summary>
public static class ShardFolder
{
    /// <summary>The checked set, or null with the exit code after writing the error.</summary>
    public static (ShardSet? Set, int Exit) Load(CliContext ctx, string from, Compilation compilation)
    {
        var records = Directory.GetFiles(from, "*.shard-*-of-*.json").Order(StringComparer.Ordinal).ToList();
        if (records.Count == 0) return (null, ctx.Usage($"'{from}' holds no shards of `ppl simulate --shard` (*.shard-K-of-N.json)"));
        var checkedSet = ShardSet.Check(records);
        if (!checkedSet.Succeeded)
        {
            foreach (var e in checkedSet.Errors) ErrorRendering.Write(ctx.Err, e);
            return (null, ExitCodes.ModelError);
        }
        var set = checkedSet.Value;
        if (set.First.ModelHash != compilation.SourceHash)
            return (null, SbiErrorRendering.Report(ctx, new SbiError(SbiError.SimulationsIncomplete,
                $"the shards in {from} were simulated from another model text (hash {set.First.ModelHash}, this model's is {compilation.SourceHash})")));
        return (set, ExitCodes.Ok);
    }
}
