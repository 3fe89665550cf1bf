using System.Text.RegularExpressions;
using Ppl.Runtime.IO;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// Draws as named columns, read from a CSV file with a header row (ours, sbibm's, CmdStan's — sampler columns ending in
/// <c>__</c> are left out) or from an <c>.npz</c> archive (each array [n, ...] gives one column per element, named
/// <c>theta[0]</c>, <c>z[1,2]</c>, or the array's name for [n]).
/// </summary>
public sealed partial record SampleTable(string Origin, IReadOnlyList<string> Names, double[,] Values)
{
    public int Rows => Values.GetLength(0);

    /// <summary>Reads a table; null (with the exit code, after printing the errors) when the file cannot be read.</summary>
    public static (SampleTable? Table, int Exit) Read(CliContext ctx, string path)
    {
        if (!File.Exists(path)) return (null, ctx.Usage($"file '{path}' not found"));
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".csv")
        {
            var read = CsvReader.Read(path);
            if (!read.Succeeded) return (null, Errors(ctx, read));
            var table = read.Value!;
            var keep = Enumerable.Range(0, table.ColumnCount).Where(j => !table.Names[j].EndsWith("__", StringComparison.Ordinal)).ToArray();
            var values = new double[table.RowCount, keep.Length];
            for (int i = 0; i < table.RowCount; i++)
                for (int k = 0; k < keep.Length; k++) values[i, k] = table.Values[i, keep[k]];
            return (new SampleTable(path, keep.Select(j => table.Names[j]).ToArray(), values), ExitCodes.Ok);
        }
        if (extension == ".npz")
        {
            var read = NpzReader.ReadAllTensors(path);
            if (!read.Succeeded) return (null, Errors(ctx, read));
            var names = new List<string>();
            var blocks = new List<Tensor>();
            long? rows = null;
            using var scope = NewDisposeScope();
            foreach (var (name, array) in read.Value!)
            {
                if (array.dim() == 0 || !(array.is_floating_point() || array.dtype is ScalarType.Int64 or ScalarType.Int32)) continue;
                rows ??= array.shape[0];
                if (array.shape[0] != rows)
                    return (null, ctx.Usage($"'{path}': array '{name}' has {array.shape[0]} rows but the first array has {rows}"));
                var shape = array.shape.Skip(1).ToArray();
                names.AddRange(ElementNames(name, shape));
                blocks.Add(array.to_type(ScalarType.Float64).reshape(array.shape[0], -1));
            }
            if (blocks.Count == 0) return (null, ctx.Usage($"'{path}' holds no numeric arrays with a leading draw dimension"));
            using var all = cat(blocks.ToArray(), 1).contiguous();
            var flat = all.data<double>().ToArray();
            var values = new double[all.shape[0], all.shape[1]];
            Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(double));
            return (new SampleTable(path, names, values), ExitCodes.Ok);
        }
        return (null, ctx.Usage($"cannot read '{path}': draws are read from .csv or .npz files"));
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
