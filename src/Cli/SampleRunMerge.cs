using Ppl.Cli.Commands;
using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.IO;

namespace Ppl.Cli;

/// <summary>
/// `ppl merge RUN_DIR... -o DIR`: the chains of several `ppl sample` runs (separate processes with their own
/// <c>--chain-offset</c>) joined into one run folder: every <c>samples_K.csv</c>, one <c>draws.npz</c> with all chains
/// (the runs' arrays joined along the chain axis), <c>summary.txt</c> over all chains and a <c>run.json</c>. The folder is
/// assembled under a temporary name and renamed at the end, so a refused or failed merge leaves nothing behind.
/// </summary>
public static class SampleRunMerge
{
    /// <summary>True for the output folder of `ppl sample`.</summary>
    public static bool IsRunFolder(string folder) =>
        File.Exists(Path.Combine(folder, SampleRunRecord.FileName)) || Directory.GetFiles(folder, SampleCommand.CsvPrefix + "_*.csv").Length > 0;

    /// <summary>Checks the runs (printing every problem); null with the exit code when they cannot be combined.</summary>
    public static (SampleRunSet? Set, int Exit) Check(CliContext ctx, IReadOnlyList<string> folders)
    {
        var set = SampleRunSet.Check(folders);
        if (set.Succeeded) return (set.Value, ExitCodes.Ok);
        foreach (var e in set.Errors) ErrorRendering.Write(ctx.Err, e);
        return (null, ExitCodes.ModelError);
    }

    public static int Run(CliContext ctx, IReadOnlyList<string> folders, string output)
    {
        var full = Path.GetFullPath(output);
        if (folders.Any(f => Path.GetFullPath(f).TrimEnd('/') == full.TrimEnd('/')))
            return ctx.Usage($"-o {output} is one of the runs; choose a new folder");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            return ctx.Usage($"-o {output} is a folder that is not empty; merge writes a new folder");
        if (File.Exists(full)) return ctx.Usage($"-o {output} is a file; merge of sampling runs writes a folder");
        var (set, exit) = Check(ctx, folders);
        if (set is null)
        {
            ctx.Err.WriteLine("merge: nothing written");
            return exit;
        }
        var csvs = new List<(string From, string Name)>();
        foreach (var (folder, record) in set.Runs)
            foreach (var chain in record.Chains)
            {
                var file = CmdStanCsvWriter.PathOf(Path.Combine(folder, SampleCommand.CsvPrefix), chain.Id);
                if (!File.Exists(file))
                {
                    ErrorRendering.Write(ctx.Err, new DataFileError(DiagnosticCatalogue.FileNotFound, $"the CSV file of chain {chain.Id} is missing", file));
                    ctx.Err.WriteLine("merge: nothing written");
                    return ExitCodes.ModelError;
                }
                csvs.Add((file, Path.GetFileName(file)));
            }

        var temporary = full.TrimEnd('/') + ".merging";
        try
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            Directory.CreateDirectory(temporary);
            foreach (var (from, name) in csvs) File.Copy(from, Path.Combine(temporary, name));
            var npzFiles = set.Runs.Select(r => (File: Path.Combine(r.Folder, SampleCommand.DrawsFile), Rows: (long)r.Record.Chains.Count)).ToList();
            var opened = NpzReader.Open(npzFiles[0].File);
            if (!opened.Succeeded) return Fail(ctx, opened.Errors, temporary);
            List<string> names;
            using (var reader = opened.Value) names = reader.Names.ToList();
            var joined = NpzJoin.Join(npzFiles, names, Path.Combine(temporary, SampleCommand.DrawsFile), compressed: false);
            if (!joined.Succeeded) return Fail(ctx, joined.Errors, temporary);
            var summary = DrawsSummary.Render(set);
            if (!summary.Succeeded) return Fail(ctx, summary.Errors, temporary);
            File.WriteAllText(Path.Combine(temporary, SampleCommand.SummaryFile), summary.Value);
            var first = set.Runs[0].Record;
            var merged = first with
            {
                FirstChain = 1,
                Chains = set.Runs.SelectMany(r => r.Record.Chains).ToList(),
                StopReason = set.Runs.All(r => r.Record.StopReason == first.StopReason) ? first.StopReason : "mixed",
            };
            var written = merged.Write(temporary);
            if (!written.Succeeded) return Fail(ctx, written.Errors, temporary);
            if (Directory.Exists(full)) Directory.Delete(full);
            Directory.Move(temporary, full);
            ctx.Out.Write(summary.Value);
            ctx.Out.WriteLine();
            ctx.Out.WriteLine($"merged {set.ChainCount} chains from {set.Runs.Count} runs into {output}: {csvs.Count} CSV files, {SampleCommand.DrawsFile}, {SampleCommand.SummaryFile}, {SampleRunRecord.FileName}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return ctx.Usage($"cannot write the merged run to '{output}': {e.Message}");
        }
    }

    private static int Fail(CliContext ctx, IReadOnlyList<DataFileError> errors, string temporary)
    {
        foreach (var e in errors) ErrorRendering.Write(ctx.Err, e);
        ctx.Err.WriteLine("merge: nothing written");
        TryDelete(temporary);
        return errors.All(e => e.Code == DiagnosticCatalogue.InputOutputFailure) ? ExitCodes.UsageError : ExitCodes.ModelError;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stray temporary folder is harmless; the output name was never used.
        }
    }
}
