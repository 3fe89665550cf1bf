using System.Globalization;
using Ppl.Cli.Commands;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>
/// Writes the outputs of `ppl sample` to its folder — one CmdStan CSV per chain, <c>draws.npz</c>, the corner, trace,
/// rank and energy plots and <c>summary.txt</c> — and prints the summary.
/// </summary>
public static class SampleOutputs
{
    /// <summary>The CSV header's run-level facts.</summary>
    public static CmdStanCsvHeader Header(Model model, IReadOnlyList<string> dataFiles, string init) =>
        new(model.Description.Name, dataFiles.Count == 0 ? null : string.Join(", ", dataFiles), Init: init);

    /// <summary>
    /// Opens the per-chain CSV files before the run so that draws are written as they come (an interruption, even a
    /// kill, keeps the complete rows written so far); null with the exit code when the files cannot be created.
    /// </summary>
    public static (CmdStanCsvStream? Stream, int Exit) OpenStream(CliContext ctx, string directory, SamplingOptions options, Model model,
        bool saveLatents, IReadOnlyList<string> dataFiles, string init, IReadOnlyList<string>? recordLets = null)
    {
        try
        {
            var stream = new CmdStanCsvStream(Path.Combine(directory, SampleCommand.CsvPrefix), options, ModelColumns.For(model, saveLatents, recordLets),
                Header(model, dataFiles, init));
            return (stream, ExitCodes.Ok);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, ctx.Usage($"cannot write the CSV files to '{directory}': {e.Message}"));
        }
    }

    /// <summary>Writes everything; returns the exit code (a failure to write is reported like a bad output path).</summary>
    /// <param name="ctx">Where messages go.</param>
    /// <param name="directory">The output folder (it exists).</param>
    /// <param name="run">The run.</param>
    /// <param name="model">The bound model.</param>
    /// <param name="density">The density the run sampled (for its count of numerical failures).</param>
    /// <param name="saveLatents">Write the latents too.</param>
    /// <param name="dataFiles">The data files, for the CSV header.</param>
    /// <param name="init">How the chains were initialised, for the CSV header.</param>
    /// <param name="plots">Draw the corner, trace, rank and energy plots (off with --no-plots).</param>
    /// <param name="recordLets">The lets saved per draw after the params (--record).</param>
    public static int Write(CliContext ctx, string directory, SamplingRun run, Model model, ModelLogDensity density, bool saveLatents,
        IReadOnlyList<string> dataFiles, string init, bool plots = true, IReadOnlyList<string>? recordLets = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var columns = ModelColumns.For(model, saveLatents, recordLets);
        string modelName = model.Description.Name;

        IReadOnlyList<string> csvFiles;
        try
        {
            csvFiles = CmdStanCsvWriter.WriteAll(Path.Combine(directory, SampleCommand.CsvPrefix), run, columns, Header(model, dataFiles, init));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Usage($"cannot write the CSV files to '{directory}': {e.Message}");
        }

        // The npz keeps the params' unconstrained coordinates always and the latents' only when they are saved.
        var npz = DrawsNpzWriter.Write(Path.Combine(directory, SampleCommand.DrawsFile), run, columns, saveLatents ? null : model.ParamDimension);
        if (!npz.Succeeded)
        {
            foreach (var e in npz.Errors) ErrorRendering.Write(ctx.Err, e);
            return ExitCodes.UsageError;
        }

        var report = new SampleReport(run, columns, ModelColumns.ParamColumnCount(model), model.Params.Select(p => p.Size).ToArray());
        var figures = new List<string>();
        if (plots)
        {
            string title = $"{modelName}: {run.Chains.Count} chain{(run.Chains.Count == 1 ? "" : "s")} of {report.Draws} draws";
            var (plotted, plot) = report.WriteCornerPlot(Path.Combine(directory, SampleCommand.CornerFile), title);
            var (chainPlots, chainFailure) = report.WriteChainPlots(directory, title);
            foreach (var figure in new[] { plot, chainFailure })
                if (figure is { Succeeded: false })
                {
                    foreach (var e in figure.Errors) ErrorRendering.Write(ctx.Err, e);
                    return ExitCodes.UsageError;
                }
            if (plotted) figures.Add(SampleCommand.CornerFile);
            figures.AddRange(chainPlots);
        }

        string? failureNote = null;
        if (density.FailedEvaluations > 0 && density.LastFailure is { } failure)
            failureNote = string.Format(inv, "Note: the model failed numerically at {0} proposed point(s), each counted as a divergence; the last failure{1}: {2}",
                density.FailedEvaluations, failure.Location.Line > 0 ? " (" + failure.Location + ")" : "", failure.Message);
        var text = report.Render(modelName, failureNote);
        var written = WriteText(Path.Combine(directory, SampleCommand.SummaryFile), text);
        if (written is not null) return ctx.Usage(written);

        ctx.Out.Write(text);
        ctx.Out.WriteLine();
        // Many chains: the first and last CSV names stand for all of them.
        string csvNames = csvFiles.Count > 8
            ? $"{Path.GetFileName(csvFiles[0])} … {Path.GetFileName(csvFiles[^1])} ({csvFiles.Count} CSV files)"
            : string.Join(", ", csvFiles.Select(Path.GetFileName));
        ctx.Out.WriteLine($"wrote {string.Join(", ", new[] { csvNames, SampleCommand.DrawsFile }.Concat(figures))} and {SampleCommand.SummaryFile} to {directory}");
        if (plots && report.CornerTruncated)
            ctx.Out.WriteLine($"the corner plot shows {report.CornerColumns.Count} of {ModelColumns.ParamColumnCount(model)} param elements");
        // Summed-out latents are not sampled (--record NAME saves their values' probabilities).
        var sampledLatents = model.Latents.Where(l => !l.IsEnumerated).Select(l => l.Name).ToList();
        if (!saveLatents && sampledLatents.Count > 0)
            ctx.Out.WriteLine($"latents ({string.Join(", ", sampledLatents)}) were sampled but not saved; --save-latents keeps them");
        return ExitCodes.Ok;
    }

    /// <summary>Writes a text file; the error message, or null.</summary>
    private static string? WriteText(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write '{path}': {e.Message}";
        }
    }
}
