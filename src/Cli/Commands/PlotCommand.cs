using Ppl.Runtime.Plotting;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl plot DRAWS... --kind corner|trace|rank|energy -o out.png [--params a,b] [--labels A,B] [--title T]`: a figure
/// of draws already on disk. A corner plot overlays one posterior per input (any file <see cref="SampleTable"/> reads,
/// or a `ppl sample` folder with its chains pooled); trace, rank and energy plots need chains, so their inputs are
/// CmdStan CSV files (one chain each) or `ppl sample` folders (every <c>samples_K.csv</c>).
/// </summary>
public static class PlotCommand
{
    /// <summary>The most params one figure shows (the first ones, unless --params chooses).</summary>
    public const int MaxParams = 10;

    public static readonly OptionSpec Options = new OptionSpec()
        .Value("--kind", "corner|trace|rank|energy", "the figure (default corner)", "corner", "trace", "rank", "energy")
        .Value("--params", "a,b", "the params to plot (default: all)")
        .Value("--labels", "A,B", "a label per input for the legend")
        .Value("--title", "T", "the figure's title")
        .Value("-o, --output", "FILE", "the .png file to write");

    public static int Run(CliContext ctx, CommandLine line)
    {
        const string usage = "ppl plot DRAWS... --kind corner|trace|rank|energy -o out.png";
        if (line.Positional.Count == 0) return ctx.Usage("plot expects files (or `ppl sample` folders) of draws", usage);
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("plot needs an output file: -o out.png", usage);
        if (!output.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) return ctx.Usage($"the output '{output}' must be a .png file");
        var kind = line.Get("--kind") ?? "corner";
        if (kind is not ("corner" or "trace" or "rank" or "energy"))
            return ctx.Usage($"--kind must be corner, trace, rank or energy; got '{kind}'",
                Runtime.Abstractions.Spelling.Suggest(kind, ["corner", "trace", "rank", "energy"]));
        var requested = line.Get("--params")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(SampleTable.CanonicalName).Distinct().ToList();
        if (requested is { Count: 0 }) return ctx.Usage("--params names no param");
        // --title "" leaves the title band out.
        var given = line.Get("--title");
        string? title = given is "" ? null : given;

        PlotImage image;
        if (kind == "corner")
        {
            var labels = line.Get("--labels")?.Split(',', StringSplitOptions.TrimEntries).ToList()
                ?? line.Positional.Select(p => Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(p))).ToList();
            if (labels.Count != line.Positional.Count)
                return ctx.Usage($"--labels has {labels.Count} label{(labels.Count == 1 ? "" : "s")} for {line.Positional.Count} input{(line.Positional.Count == 1 ? "" : "s")}");
            var tables = new List<SampleTable>();
            foreach (var input in line.Positional)
            {
                var (table, exit) = SampleTable.Read(ctx, input);
                if (table is null) return exit;
                tables.Add(table);
            }
            var names = ChooseNames(tables[0], requested);
            var sets = new List<SampleSet>();
            for (int t = 0; t < tables.Count; t++)
            {
                var (columns, missing) = Columns(tables[t], names);
                if (columns is null) return MissingParam(ctx, tables[t], missing!);
                sets.Add(new SampleSet(labels[t], Select(tables[t].Values, columns)));
            }
            image = CornerPlot.Render(sets, names, new CornerPlotOptions { Title = title, ShowLegend = sets.Count > 1 });
        }
        else
        {
            var chainFiles = new List<string>();
            foreach (var input in line.Positional)
            {
                if (Directory.Exists(input))
                {
                    var files = SampleTable.ChainFiles(input);
                    if (files.Count == 0) return ctx.Usage($"folder '{input}' holds no samples_*.csv", $"--kind {kind} needs the chains of a `ppl sample` run");
                    chainFiles.AddRange(files);
                }
                else if (!input.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                    return ctx.Usage($"--kind {kind} reads chains from CmdStan CSV files or `ppl sample` folders; '{input}' is neither");
                else chainFiles.Add(input);
            }
            var chains = new List<SampleTable>();
            var energies = new List<IReadOnlyList<double>>();
            foreach (var file in chainFiles)
            {
                var (table, energy, exit) = SampleTable.ReadChain(ctx, file);
                if (table is null) return exit;
                chains.Add(table);
                if (energy is not null) energies.Add(energy);
            }
            if (kind == "energy")
            {
                if (energies.Count < chains.Count)
                    return ctx.Usage("--kind energy needs the energy__ column of a NUTS run in every chain's CSV");
                image = EnergyPlot.Render(energies, given is "" ? null : title ?? $"energy of {chains.Count} chain{(chains.Count == 1 ? "" : "s")}");
            }
            else
            {
                var names = ChooseNames(chains[0], requested);
                var values = new double[chains.Count][][];
                for (int c = 0; c < chains.Count; c++)
                {
                    var (columns, missing) = Columns(chains[c], names);
                    if (columns is null) return MissingParam(ctx, chains[c], missing!);
                    values[c] = Enumerable.Range(0, chains[c].Rows).Select(i => columns.Select(j => chains[c].Values[i, j]).ToArray()).ToArray();
                }
                var draws = new ChainDraws(names, values);
                image = kind == "trace" ? TracePlot.Render(draws, title) : RankPlot.Render(draws, title);
            }
        }
        var written = image.Write(output);
        if (!written.Succeeded)
        {
            foreach (var e in written.Errors) ErrorRendering.Write(ctx.Err, e);
            return ExitCodes.UsageError;
        }
        ctx.Out.WriteLine($"wrote {output} ({image.Width}×{image.Height})");
        return ExitCodes.Ok;
    }

    /// <summary>The columns to plot: those asked for (a name without an index stands for all its elements, theta →
    /// theta[0], theta[1], …, as in `ppl compare`), else the first <see cref="MaxParams"/> columns of <paramref name="first"/>.</summary>
    private static List<string> ChooseNames(SampleTable first, IReadOnlyList<string>? requested)
    {
        var available = first.Names.Select(SampleTable.CanonicalName).ToList();
        if (requested is null) return available.Take(MaxParams).ToList();
        var chosen = new List<string>();
        foreach (var name in requested)
        {
            var elements = available.Where(a => a.StartsWith(name + "[", StringComparison.Ordinal)).ToList();
            chosen.AddRange(available.Contains(name) || elements.Count == 0 ? [name] : elements);
        }
        return chosen.Distinct().ToList();
    }

    private static (int[]? Columns, string? Missing) Columns(SampleTable table, IReadOnlyList<string> names)
    {
        var canonical = table.Names.Select(SampleTable.CanonicalName).ToList();
        var columns = new int[names.Count];
        for (int k = 0; k < names.Count; k++)
        {
            columns[k] = canonical.IndexOf(names[k]);
            if (columns[k] < 0) return (null, names[k]);
        }
        return (columns, null);
    }

    private static int MissingParam(CliContext ctx, SampleTable table, string name)
    {
        ctx.Err.WriteLine($"{table.Origin}: error: no column '{name}' (it has {string.Join(", ", table.Names.Take(12))}{(table.Names.Count > 12 ? ", …" : "")})");
        return ExitCodes.ModelError;
    }

    private static double[,] Select(double[,] values, int[] columns)
    {
        int n = values.GetLength(0);
        var result = new double[n, columns.Length];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < columns.Length; k++) result[i, k] = values[i, columns[k]];
        return result;
    }
}
