using System.Text.RegularExpressions;
using Ppl.Runtime.IO;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// Draws as named columns, read from a CSV file with a header row (ours, sbibm's, CmdStan's — sampler columns ending in
/// <c>__</c> are left out), from an <c>.npz</c> archive (each array [n, ...] gives one column per element, named
/// <c>theta[0]</c>, <c>z[1,2]</c>, or the array's name for [n]; `ppl sample`'s [chain, draw, ...] arrays too), from an
/// <c>.npy</c> matrix or from a `ppl sample` output folder. The one reader of draws for `ppl c2st` and `ppl compare`.
/// </summary>
public sealed partial record SampleTable(string Origin, IReadOnlyList<string> Names, double[,] Values)
{
    public int Rows => Values.GetLength(0);

    /// <summary>
    /// Reads a table; null (with the exit code, after printing the errors) when it cannot be read. Besides a CSV or
    /// <c>.npz</c> file, <paramref name="path"/> may be the output folder of `ppl sample` (its <c>samples_*.csv</c>, chains
    /// concatenated, or else its <c>draws.npz</c>) or an <c>.npy</c> array [n, d] (or [n]) whose columns are named
    /// <paramref name="npyNames"/> (default <c>x[0]</c> … <c>x[d-1]</c>).
    /// </summary>
    public static (SampleTable? Table, int Exit) Read(CliContext ctx, string path, IReadOnlyList<string>? npyNames = null)
    {
        if (Directory.Exists(path)) return ReadSampleFolder(ctx, path);
        if (!File.Exists(path)) return (null, ctx.Usage($"file '{path}' not found"));
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".csv") return ReadCsv(ctx, path);
        if (extension == ".npz") return ReadNpz(ctx, path);
        if (extension == ".npy") return ReadNpy(ctx, path, npyNames);
        return (null, ctx.Usage($"cannot read '{path}': draws are read from .csv, .npz or .npy files or a `ppl sample` output folder"));
    }

    /// <summary>The draws of a `ppl sample` folder: every <c>samples_K.csv</c> in chain order, or <c>draws.npz</c>.</summary>
    private static (SampleTable? Table, int Exit) ReadSampleFolder(CliContext ctx, string folder)
    {
        var chains = ChainFiles(folder);
        if (chains.Count == 0)
        {
            var npz = Path.Combine(folder, "draws.npz");
            if (File.Exists(npz)) return ReadNpz(ctx, npz);
            return (null, ctx.Usage($"folder '{folder}' holds neither samples_*.csv nor draws.npz", "give the output folder of `ppl sample` or a file of draws"));
        }
        var tables = new List<SampleTable>();
        foreach (var file in chains)
        {
            var (table, exit) = ReadCsv(ctx, file);
            if (table is null) return (null, exit);
            if (tables.Count > 0 && !table.Names.SequenceEqual(tables[0].Names))
                return (null, ctx.Usage($"'{file}' has other columns than '{tables[0].Origin}'", "the chains of one folder must come from one run"));
            tables.Add(table);
        }
        int columns = tables[0].Names.Count, rows = tables.Sum(t => t.Rows), at = 0;
        var values = new double[rows, columns];
        foreach (var table in tables)
        {
            Buffer.BlockCopy(table.Values, 0, values, at * columns * sizeof(double), table.Rows * columns * sizeof(double));
            at += table.Rows;
        }
        return (new SampleTable(folder, tables[0].Names, values), ExitCodes.Ok);
    }

    /// <summary>The <c>samples_K.csv</c> files of a `ppl sample` folder in chain order.</summary>
    public static List<string> ChainFiles(string folder) =>
        Directory.GetFiles(folder, "samples_*.csv")
            .Select(f => (File: f, Chain: int.TryParse(Path.GetFileNameWithoutExtension(f)["samples_".Length..], out int k) ? k : int.MaxValue))
            .OrderBy(c => c.Chain).ThenBy(c => c.File, StringComparer.Ordinal).Select(c => c.File).ToList();

    /// <summary>One chain of a CmdStan CSV: its draws (sampler columns left out, as <see cref="Read"/> does) and its
    /// <c>energy__</c> column (null when the file has none); null with the exit code when it cannot be read.</summary>
    public static (SampleTable? Table, double[]? Energy, int Exit) ReadChain(CliContext ctx, string path)
    {
        var (table, exit) = ReadCsv(ctx, path);
        if (table is null) return (null, null, exit);
        var read = CsvReader.Read(path).Value;
        int column = read.Names.ToList().IndexOf("energy__");
        if (column < 0) return (table, null, ExitCodes.Ok);
        int skip = read.RowCount - table.Rows;
        return (table, Enumerable.Range(skip, table.Rows).Select(i => read.Values[i, column]).ToArray(), ExitCodes.Ok);
    }

    /// <summary>A CSV with a header; sampler columns (<c>…__</c>) are left out, and so are the warm-up rows that a
    /// CmdStan file written with <c>save_warmup = 1</c> starts with.</summary>
    private static (SampleTable? Table, int Exit) ReadCsv(CliContext ctx, string path)
    {
        var read = CsvReader.Read(path);
        if (!read.Succeeded) return (null, Errors(ctx, read));
        var table = read.Value!;
        int skip = Math.Min(table.RowCount, SavedWarmupRows(table.Comments));
        var keep = Enumerable.Range(0, table.ColumnCount).Where(j => !table.Names[j].EndsWith("__", StringComparison.Ordinal)).ToArray();
        var values = new double[table.RowCount - skip, keep.Length];
        for (int i = skip; i < table.RowCount; i++)
            for (int k = 0; k < keep.Length; k++) values[i - skip, k] = table.Values[i, keep[k]];
        return (new SampleTable(path, keep.Select(j => table.Names[j]).ToArray(), values), ExitCodes.Ok);
    }

    /// <summary>The number of warm-up rows a CmdStan CSV holds before its draws, from its header comments.</summary>
    private static int SavedWarmupRows(IReadOnlyList<string> comments)
    {
        int? warmup = null;
        bool saved = false;
        foreach (var comment in comments)
        {
            var parts = comment.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2) continue;
            if (parts[0] == "save_warmup") saved = parts[1].Split(' ')[0] is "1" or "true";
            else if (parts[0] == "num_warmup" && int.TryParse(parts[1].Split(' ')[0], out int w) && w >= 0) warmup ??= w;
        }
        return saved ? warmup ?? 0 : 0;
    }

    /// <summary>
    /// An <c>.npz</c>: each numeric array [n, ...] gives one column per element. The <c>draws.npz</c> of `ppl sample`
    /// (arrays [chain, draw, ...] beside the sampler statistics <c>lp__</c> [chain, draw]) has its chains concatenated;
    /// arrays named <c>…__</c> (sampler statistics, unconstrained coordinates) are left out.
    /// </summary>
    private static (SampleTable? Table, int Exit) ReadNpz(CliContext ctx, string path)
    {
        using var scope = NewDisposeScope();
        var read = NpzReader.ReadAllTensors(path);
        if (!read.Succeeded) return (null, Errors(ctx, read));
        bool chainLayout = read.Value!.TryGetValue("lp__", out var lp) && lp.dim() == 2;
        int drawAxes = chainLayout ? 2 : 1;
        var names = new List<string>();
        var blocks = new List<Tensor>();
        long[]? leading = null;
        foreach (var (name, array) in read.Value!)
        {
            if (name.EndsWith("__", StringComparison.Ordinal)) continue;
            if (array.dim() < drawAxes || !(array.is_floating_point() || array.dtype is ScalarType.Int64 or ScalarType.Int32)) continue;
            var outer = array.shape.Take(drawAxes).ToArray();
            leading ??= outer;
            if (!outer.SequenceEqual(leading))
                return (null, ctx.Usage($"'{path}': array '{name}' has {Shape(outer)} draws but the first array has {Shape(leading)}"));
            var shape = array.shape.Skip(drawAxes).ToArray();
            names.AddRange(ElementNames(name, shape));
            blocks.Add(array.to_type(ScalarType.Float64).reshape(outer.Aggregate(1L, (a, b) => a * b), -1));
        }
        if (blocks.Count == 0) return (null, ctx.Usage($"'{path}' holds no numeric arrays with a leading draw dimension"));
        return (new SampleTable(path, names, ToArray(cat(blocks.ToArray(), 1))), ExitCodes.Ok);
    }

    /// <summary>An <c>.npy</c> [n, d] or [n]: columns named <paramref name="names"/> (as many as d) or x[0] … x[d-1].</summary>
    private static (SampleTable? Table, int Exit) ReadNpy(CliContext ctx, string path, IReadOnlyList<string>? names)
    {
        using var scope = NewDisposeScope();
        var read = NpyReader.ReadTensor(path);
        if (!read.Succeeded) return (null, Errors(ctx, read));
        var array = read.Value!;
        if (array.dim() is < 1 or > 2 || !(array.is_floating_point() || array.dtype is ScalarType.Int64 or ScalarType.Int32))
            return (null, ctx.Usage($"'{path}' holds a {array.dtype} array of shape {Shape(array.shape)}; draws are a numeric [n, d] or [n] array"));
        var matrix = array.dim() == 1 ? array.unsqueeze(1) : array;
        long d = matrix.shape[1];
        if (names is not null && names.Count != d)
            return (null, ctx.Usage($"'{path}' has {d} column{(d == 1 ? "" : "s")} but {names.Count} names were given ({string.Join(", ", names)})",
                "an .npy file has no column names: give one name per column, in order"));
        var columns = names ?? ElementNames("x", [d]).ToList();
        return (new SampleTable(path, columns.ToArray(), ToArray(matrix.to_type(ScalarType.Float64))), ExitCodes.Ok);
    }

    private static string Shape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    private static double[,] ToArray(Tensor matrix)
    {
        using var contiguous = matrix.contiguous();
        var flat = contiguous.data<double>().ToArray();
        var values = new double[contiguous.shape[0], contiguous.shape[1]];
        Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(double));
        return values;
    }

    /// <summary>Element names of an array of event shape <paramref name="shape"/>, row-major: x, x[0], x[0,1].</summary>
    public static IEnumerable<string> ElementNames(string name, long[] shape)
    {
        if (shape.Length == 0)
        {
            yield return name;
            yield break;
        }
        long total = shape.Aggregate(1L, (a, b) => a * b);
        var index = new long[shape.Length];
        for (long k = 0; k < total; k++)
        {
            yield return $"{name}[{string.Join(",", index)}]";
            for (int d = index.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
    }

    /// <summary>A column name in our form: Stan's 1-based dotted names (theta.1, z.2.3) become theta[0], z[1,2];
    /// spaces are removed.</summary>
    public static string CanonicalName(string name)
    {
        var trimmed = name.Replace(" ", "", StringComparison.Ordinal);
        var match = StanName().Match(trimmed);
        if (!match.Success) return trimmed;
        var indices = match.Groups[2].Captures.Select(c => (long.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return $"{match.Groups[1].Value}[{string.Join(",", indices)}]";
    }

    /// <summary>The values of the given columns as a float32 tensor [rows, k], keeping only rows where all are finite.</summary>
    public Tensor ToTensor(IReadOnlyList<int> columns)
    {
        var rows = new List<float[]>(Rows);
        for (int i = 0; i < Rows; i++)
        {
            var row = new float[columns.Count];
            bool finite = true;
            for (int k = 0; k < columns.Count; k++)
            {
                row[k] = (float)Values[i, columns[k]];
                finite &= float.IsFinite(row[k]);
            }
            if (finite) rows.Add(row);
        }
        return tensor(rows.SelectMany(r => r).ToArray()).reshape(rows.Count, columns.Count);
    }

    private static int Errors(CliContext ctx, DataFileResult result)
    {
        foreach (var e in result.Errors) ErrorRendering.Write(ctx.Err, e);
        return ExitCodes.ModelError;
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)(?:\.([0-9]+))+$")]
    private static partial Regex StanName();
}
