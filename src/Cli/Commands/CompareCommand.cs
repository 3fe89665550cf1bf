using System.Globalization;
using System.Text;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Plotting;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl compare post_a post_b … [--reference R] [--params a,b] [--labels A,B] [--seed S] -o report/`: several posteriors
/// of the same params side by side — C2ST of each against the reference, the figure of merit of every pair of params,
/// marginal tables, one corner plot with every posterior's 68/95 % contours, <c>report.md</c> and <c>compare.json</c>.
/// Draws come from any file <see cref="SampleTable"/> reads. Everything is computed before anything is written.
/// </summary>
public static class CompareCommand
{
    /// <summary>The most params one comparison takes (the corner plot and FoM table stay readable).</summary>
    public const int MaxParams = 16;

    /// <summary>68 % and 95 % of the mass, the credible regions cosmology papers draw.</summary>
    public static readonly IReadOnlyList<double> ContourLevels = [0.68, 0.95];

    private static readonly string[] ColorNames = ["blue", "red", "green", "purple", "yellow", "grey"];

    public static readonly OptionSpec Options = new OptionSpec()
        .Value("--reference", "R", "the reference posterior (file of draws or `ppl sample` folder) for C2ST")
        .Value("--params", "a,b", "the params to compare (default: those all inputs have)")
        .Value("--labels", "A,B", "a label per input for tables and the legend")
        .Value("--seed", "S", "seed of the C2ST subsets and folds (default 1)")
        .Value("--max-rows", "N", "at most N draws of each input in C2ST")
        .Value("-o, --output", "DIR", "the report folder: report.md, compare.json, corner.png");

    public static int Run(CliContext ctx, CommandLine line)
    {
        const string usage = "ppl compare post_a post_b … [--reference R] [--params a,b] [--labels A,B] [--seed S] -o report/";
        var inputs = line.Positional.ToList();
        var referenceArg = line.Get("--reference");
        if (inputs.Count == 0) return ctx.Usage("compare expects files (or `ppl sample` folders) of draws", usage);
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("compare needs an output folder: -o report/", usage);
        if (File.Exists(output)) return ctx.Usage($"the output '{output}' is a file; give a folder");
        if (!SimulateCommand.TryLong(line.Get("--seed") ?? "1", 0, out long seed) || seed > int.MaxValue) return ctx.Usage("--seed must be a non-negative integer");
        if (!SimulateCommand.TryLong(line.Get("--max-rows") ?? "10000", PosteriorComparison.MinDraws, out long maxRows))
            return ctx.Usage($"--max-rows must be an integer of at least {PosteriorComparison.MinDraws}");

        // The reference goes first: one of the inputs, or a file of its own.
        int referenceIndex = 0;
        bool separateReference = false;
        if (referenceArg is not null)
        {
            referenceIndex = inputs.FindIndex(i => SamePath(i, referenceArg));
            if (referenceIndex < 0)
            {
                separateReference = true;
                inputs.Insert(0, referenceArg);
                referenceIndex = 0;
            }
        }
        if (inputs.Count < 2) return ctx.Usage("compare needs at least two posteriors (the reference and one more)", usage);
        var ordered = new List<string> { inputs[referenceIndex] };
        ordered.AddRange(inputs.Where((_, k) => k != referenceIndex));

        var labels = DefaultLabels(inputs);
        if (line.Get("--labels") is { } labelText)
        {
            var given = labelText.Split(',', StringSplitOptions.TrimEntries);
            int forInputs = inputs.Count - (separateReference ? 1 : 0);
            if (given.Length == inputs.Count) labels = given.ToList();
            else if (separateReference && given.Length == forInputs) labels = labels.Take(1).Concat(given).ToList();
            else return ctx.Usage($"--labels has {given.Length} label{(given.Length == 1 ? "" : "s")} for {forInputs} input{(forInputs == 1 ? "" : "s")}",
                separateReference ? $"give {forInputs} (the inputs) or {inputs.Count} (the reference first)" : null);
            if (given.Any(string.IsNullOrEmpty)) return ctx.Usage("--labels has an empty label");
        }
        if (labels.Distinct().Count() != labels.Count) return ctx.Usage($"labels must differ: {string.Join(", ", labels)}", "name the posteriors with --labels A,B,…");
        var orderedLabels = new List<string> { labels[referenceIndex] };
        orderedLabels.AddRange(labels.Where((_, k) => k != referenceIndex));

        var requested = line.Get("--params")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(SampleTable.CanonicalName).Distinct().ToList();
        if (requested is { Count: 0 }) return ctx.Usage("--params names no param");
        var tables = new List<SampleTable>();
        foreach (var input in ordered)
        {
            if (requested is null && !Directory.Exists(input) && input.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                return ctx.Usage($"'{input}' is an .npy array without column names", "name its columns in order with --params a,b,…");
            var (table, exit) = SampleTable.Read(ctx, input, requested);
            if (table is null) return exit;
            tables.Add(table);
        }

        var (parameters, paramError, paramHint) = ChooseParams(tables, requested);
        if (parameters is null) return ctx.Usage(paramError!, paramHint);

        var posteriors = new List<ComparedPosterior>();
        for (int p = 0; p < tables.Count; p++)
        {
            var (posterior, error) = Extract(tables[p], orderedLabels[p], parameters);
            if (posterior is null)
            {
                ctx.Err.WriteLine($"{tables[p].Origin}: error: {error}");
                return ExitCodes.ModelError;
            }
            posteriors.Add(posterior);
        }

        var settings = new ComparisonSettings((ulong)seed, maxRows);
        var clock = ModelLoading.Start();
        var measures = PosteriorComparison.Measure(posteriors, settings, ctx.Cancellation,
            (posterior, rows) => ctx.Err.WriteLine($"C2ST of {posterior.Label} against {posteriors[0].Label} ({rows} draws each)…"));
        if (measures is null)
        {
            ctx.Err.WriteLine("interrupted: nothing was written");
            return ExitCodes.Interrupted;
        }
        var plotOptions = new CornerPlotOptions { ContourLevels = ContourLevels, Title = $"{posteriors.Count} posteriors; reference: {posteriors[0].Label}" };
        var image = CornerPlot.Render(posteriors.Select(p => new SampleSet(p.Label, p.Draws)).ToArray(), parameters, plotOptions);
        var report = new ComparisonReport(measures, parameters, settings, ColorNames, ContourLevels);
        var files = new List<(string Name, byte[] Bytes)>
        {
            (ComparisonReport.PlotFile, image.Png),
            (ComparisonReport.JsonFile, Encoding.UTF8.GetBytes(report.Json())),
            (ComparisonReport.MarkdownFile, Encoding.UTF8.GetBytes(report.Markdown())),
        };
        if (WriteAll(ctx, output, files) is { } writeExit) return writeExit;

        PrintSummary(ctx.Out, report, measures, parameters);
        ctx.Out.WriteLine($"wrote {string.Join(", ", files.Select(f => Path.Combine(output, f.Name)))} ({ModelLoading.Seconds(clock.Elapsed)})");
        return ExitCodes.Ok;
    }

    /// <summary>The compared params: those asked for (a name without index stands for all its elements, theta → theta[0],
    /// theta[1], …), else the columns every input has, in the reference's order.</summary>
    private static (List<string>? Params, string? Error, string? Hint) ChooseParams(IReadOnlyList<SampleTable> tables, IReadOnlyList<string>? requested)
    {
        var names = tables.Select(t => t.Names.Select(SampleTable.CanonicalName).ToList()).ToList();
        List<string> chosen;
        if (requested is not null)
        {
            chosen = new List<string>();
            foreach (var name in requested)
            {
                if (names[0].Contains(name))
                {
                    chosen.Add(name);
                    continue;
                }
                var elements = names[0].Where(n => n.StartsWith(name + "[", StringComparison.Ordinal)).ToList();
                if (elements.Count == 0)
                {
                    var suggestion = Spelling.Suggest(name, names[0]);
                    return (null, $"--params: '{name}' is not a column of '{tables[0].Origin}'",
                        (suggestion is null ? "" : suggestion + "; ") + $"its columns: {Listing(names[0])}");
                }
                chosen.AddRange(elements);
            }
            chosen = chosen.Distinct().ToList();
            for (int t = 1; t < tables.Count; t++)
            {
                var missing = chosen.Where(c => !names[t].Contains(c)).ToList();
                if (missing.Count > 0)
                    return (null, $"'{tables[t].Origin}' has no column {string.Join(", ", missing.Take(5).Select(m => $"'{m}'"))}{(missing.Count > 5 ? $" (and {missing.Count - 5} more)" : "")}",
                        $"its columns: {Listing(names[t])}");
            }
        }
        else
        {
            chosen = names[0].Where(n => names.Skip(1).All(other => other.Contains(n))).Distinct().ToList();
            if (chosen.Count == 0)
                return (null, "the inputs share no column names",
                    string.Join("; ", tables.Select((t, k) => $"{t.Origin}: {Listing(names[k])}")) + "; choose columns with --params");
        }
        if (chosen.Count > MaxParams)
            return (null, $"{chosen.Count} params to compare; at most {MaxParams} fit one report", $"choose them with --params (columns: {Listing(chosen)})");
        return (chosen, null, null);
    }

    /// <summary>The draws of the chosen columns; an error when there are too few or one is not finite.</summary>
    private static (ComparedPosterior? Posterior, string? Error) Extract(SampleTable table, string label, IReadOnlyList<string> parameters)
    {
        var canonical = table.Names.Select(SampleTable.CanonicalName).ToList();
        var columns = parameters.Select(p => canonical.IndexOf(p)).ToArray();
        if (table.Rows < PosteriorComparison.MinDraws)
            return (null, $"{table.Rows} draw{(table.Rows == 1 ? "" : "s")}; a comparison needs at least {PosteriorComparison.MinDraws} (a 5-fold C2ST needs two per fold)");
        var draws = new double[table.Rows, columns.Length];
        for (int i = 0; i < table.Rows; i++)
            for (int k = 0; k < columns.Length; k++)
            {
                double v = table.Values[i, columns[k]];
                if (!double.IsFinite(v))
                    return (null, $"draw {i + 1} of '{parameters[k]}' is {v.ToString(CultureInfo.InvariantCulture)}; every compared draw must be finite " +
                        "(remove the failed draws first)");
                draws[i, k] = v;
            }
        return (new ComparedPosterior(label, table.Origin, draws), null);
    }

    /// <summary>Writes every file to a temporary name first and renames them only when all were written.</summary>
    private static int? WriteAll(CliContext ctx, string folder, IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var (name, bytes) in files)
            {
                var temporary = Path.Combine(folder, name + ".tmp");
                written.Add(temporary);
                File.WriteAllBytes(temporary, bytes);
            }
            foreach (var (name, _) in files) File.Move(Path.Combine(folder, name + ".tmp"), Path.Combine(folder, name), overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var temporary in written)
            {
                try { File.Delete(temporary); }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { /* a stray .tmp is harmless */ }
            }
            return ctx.Usage($"cannot write the report to '{folder}': {e.Message}");
        }
    }

    private static void PrintSummary(TextWriter output, ComparisonReport report, IReadOnlyList<PosteriorMeasures> measures, IReadOnlyList<string> parameters)
    {
        var inv = CultureInfo.InvariantCulture;
        int width = Math.Max(12, measures.Max(m => m.Posterior.Label.Length) + 2);
        var pairs = measures[0].FiguresOfMerit.Take(6).ToList();
        output.WriteLine($"{"posterior".PadRight(width)}{"draws",8}{"C2ST",8}" + string.Concat(pairs.Select(p => ("FoM " + report.PairName(p)).PadLeft(Math.Max(12, report.PairName(p).Length + 6)))));
        foreach (var m in measures)
        {
            string c2st = m.Test is { } t ? t.Result.Accuracy.ToString("F3", inv) : "ref";
            output.WriteLine($"{m.Posterior.Label.PadRight(width)}{m.Posterior.Count,8}{c2st,8}" +
                string.Concat(m.FiguresOfMerit.Take(6).Select((f, q) => ComparisonReport.Number(f.Value).PadLeft(Math.Max(12, report.PairName(pairs[q]).Length + 6)))));
        }
        if (measures[0].FiguresOfMerit.Count > 6) output.WriteLine($"({measures[0].FiguresOfMerit.Count - 6} more pairs in the report; {parameters.Count} params)");
    }

    /// <summary>File names without extension (folder names for folders and for `ppl sample`'s draws.npz and samples_K.csv);
    /// the parent folder is added where they clash.</summary>
    private static List<string> DefaultLabels(IReadOnlyList<string> inputs)
    {
        static string Folder(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        // A file that `ppl sample` names the same way in every run is known by its folder.
        static string Name(string path) =>
            Directory.Exists(path) ? Folder(path)
            : IsSampleFile(Path.GetFileName(path)) && Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent ? Folder(parent)
            : Path.GetFileNameWithoutExtension(path);
        var labels = inputs.Select(Name).ToList();
        for (int k = 0; k < labels.Count; k++)
        {
            if (labels.Count(l => l == labels[k]) < 2) continue;
            var parent = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.TrimEndingDirectorySeparator(inputs[k]))) ?? "");
            if (!string.IsNullOrEmpty(parent)) labels[k] = $"{parent}/{labels[k]}";
        }
        for (int k = 0; k < labels.Count; k++)
            if (labels.Take(k).Contains(labels[k])) labels[k] = $"{labels[k]} ({k + 1})";
        return labels;
    }

    private static bool IsSampleFile(string name) =>
        name == SampleCommand.DrawsFile || (name.StartsWith(SampleCommand.CsvPrefix + "_", StringComparison.Ordinal) && name.EndsWith(".csv", StringComparison.Ordinal)
            && int.TryParse(name[(SampleCommand.CsvPrefix.Length + 1)..^4], out _));

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private static string Listing(IReadOnlyList<string> names) => string.Join(", ", names.Take(10)) + (names.Count > 10 ? $", … ({names.Count} in all)" : "");
}
