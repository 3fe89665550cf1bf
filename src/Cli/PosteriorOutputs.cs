using System.Globalization;
using Ppl.Runtime.IO;
using Ppl.Runtime.Plotting;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>Writes posterior draws of `ppl posterior`: a CSV (one column per param element) or an .npz (one array per
/// param, [n, ...shape]), a corner plot beside it, and a summary on standard output.</summary>
public static class PosteriorOutputs
{
    /// <summary>The most params a corner plot shows (the first ones).</summary>
    public const int MaxCornerColumns = 10;

    /// <summary>Writes the draws to a .csv or .npz file; the errors when it fails.</summary>
    public static DataFileResult Write(string path, PosteriorDraws draws, IReadOnlyList<string> comments)
    {
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            return NpzWriter.Write(path, draws.Params.Select(kv => KeyValuePair.Create(kv.Key, kv.Value)).ToList());
        return CsvWriter.Write(path, new CsvTable(draws.ColumnNames, ToArray(draws.Columns), comments));
    }

    /// <summary>The corner plot's path: the output's with a .png extension.</summary>
    public static string CornerPath(string output) => Path.ChangeExtension(output, ".png");

    /// <summary>Draws a corner plot of the first params (with the true values when known).</summary>
    public static DataFileResult WriteCorner(string path, PosteriorDraws draws, string label, string title, IReadOnlyList<double>? truths)
    {
        int k = Math.Min(MaxCornerColumns, draws.ColumnNames.Count);
        using var shown = draws.Columns.narrow(1, 0, k);
        var options = new CornerPlotOptions { Title = title, Truths = truths?.Take(k).ToArray() };
        return CornerPlot.Write(path, [new SampleSet(label, ToArray(shown))], draws.ColumnNames.Take(k).ToArray(), options);
    }

    /// <summary>Prints mean, standard deviation and the 5%, 50%, 95% quantiles of each column (the first 20).</summary>
    public static void Summarise(TextWriter output, PosteriorDraws draws)
    {
        var inv = CultureInfo.InvariantCulture;
        var values = ToArray(draws.Columns);
        int n = values.GetLength(0);
        // Columns sized to their content, at least two spaces apart: wide numbers never run together.
        var table = new TextTable(["", "mean", "sd", "5%", "50%", "95%"], [8, 9, 9, 9, 9, 9]);
        for (int j = 0; j < Math.Min(20, draws.ColumnNames.Count); j++)
        {
            var column = new double[n];
            for (int i = 0; i < n; i++) column[i] = values[i, j];
            Array.Sort(column);
            double mean = column.Average();
            double sd = n > 1 ? Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (n - 1)) : 0;
            string F(double v) => v.ToString("G5", inv);
            table.Add([draws.ColumnNames[j], F(mean), F(sd), F(Quantile(column, 0.05)), F(Quantile(column, 0.5)), F(Quantile(column, 0.95))]);
        }
        output.Write(table.Render().Replace("\n", Environment.NewLine, StringComparison.Ordinal));
        if (draws.ColumnNames.Count > 20) output.WriteLine($"({draws.ColumnNames.Count - 20} more columns in the file)");
    }

    private static double Quantile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[,] ToArray(Tensor t)
    {
        using var cpu = t.to(ScalarType.Float64, CPU).contiguous();
        var flat = cpu.data<double>().ToArray();
        var result = new double[cpu.shape[0], cpu.shape[1]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
