using System.Globalization;
using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// Writes numeric CSV the way CmdStan does: <c>#</c> comment lines first, a header row, then one line per row;
/// invariant culture, <c>inf</c>/<c>-inf</c>/<c>nan</c> for non-finite values. Rows can be written as they are
/// produced (a sampler's draws) or all at once with <see cref="Write(string, CsvTable, string)"/>.
/// </summary>
public sealed class CsvWriter : IDisposable
{
    /// <summary>Shortest text that reads back to the same double.</summary>
    public const string RoundTripFormat = "R";

    /// <summary>Always 17 significant digits (also round-trips; fixed width is easier on some tools).</summary>
    public const string SeventeenDigitsFormat = "G17";

    private readonly TextWriter writer;
    private readonly bool leaveOpen;
    private readonly string numberFormat;
    private int columns = -1;

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="numberFormat">A .NET numeric format for the values: <see cref="RoundTripFormat"/> (default),
    /// <see cref="SeventeenDigitsFormat"/>, or e.g. <c>"G6"</c> for CmdStan's six significant digits.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="writer"/> open.</param>
    public CsvWriter(TextWriter writer, string numberFormat = RoundTripFormat, bool leaveOpen = false)
    {
        this.writer = writer;
        this.numberFormat = numberFormat;
        this.leaveOpen = leaveOpen;
    }

    /// <summary>Writes a table to a file atomically: comments, header, rows.</summary>
    public static DataFileResult Write(string path, CsvTable table, string numberFormat = RoundTripFormat) =>
        DataFileAccess.WriteAtomically(path, stream =>
        {
            using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            using var csv = new CsvWriter(text, numberFormat, leaveOpen: true);
            csv.WriteTable(table);
        });

    /// <summary>Writes a table to a string.</summary>
    public static string Format(CsvTable table, string numberFormat = RoundTripFormat)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using (var csv = new CsvWriter(text, numberFormat, leaveOpen: true)) csv.WriteTable(table);
        return text.ToString();
    }

    /// <summary>Writes a comment line (each line of a multi-line text becomes its own comment line).</summary>
    public void WriteComment(string comment)
    {
        foreach (var line in comment.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            writer.Write(trimmed.Length == 0 ? "#" : "# ");
            writer.Write(trimmed);
            writer.Write('\n');
        }
    }

    /// <summary>Writes the header row; names holding commas, quotes or spaces at their ends are quoted.</summary>
    public void WriteHeader(IReadOnlyList<string> names)
    {
        if (columns >= 0) throw new InvalidOperationException("The header was already written.");
        columns = names.Count;
        for (int j = 0; j < names.Count; j++)
        {
            if (j > 0) writer.Write(',');
            var name = names[j];
            bool quote = name.Length == 0 || name.AsSpan().IndexOfAny(",\"\n\r#") >= 0 || name.Trim() != name;
            writer.Write(quote ? "\"" + name.Replace("\"", "\"\"") + "\"" : name);
        }
        writer.Write('\n');
    }

    /// <summary>Writes one row; it must have as many values as the header has names.</summary>
    public void WriteRow(ReadOnlySpan<double> values)
    {
        if (columns < 0) throw new InvalidOperationException("Write the header before the rows.");
        if (values.Length != columns) throw new ArgumentException($"{values.Length} values for {columns} columns.", nameof(values));
        Span<char> buffer = stackalloc char[64];
        for (int j = 0; j < values.Length; j++)
        {
            if (j > 0) writer.Write(',');
            writer.Write(FormatNumber(values[j], buffer));
        }
        writer.Write('\n');
    }

    /// <summary>Writes comments, header and rows of a table.</summary>
    public void WriteTable(CsvTable table)
    {
        foreach (var comment in table.Comments) WriteComment(comment);
        WriteHeader(table.Names);
        var row = new double[table.ColumnCount];
        for (int i = 0; i < table.RowCount; i++)
        {
            for (int j = 0; j < row.Length; j++) row[j] = table.Values[i, j];
            WriteRow(row);
        }
    }

    /// <summary>Flushes and, unless left open, closes the underlying writer.</summary>
    public void Dispose()
    {
        writer.Flush();
        if (!leaveOpen) writer.Dispose();
    }

    private ReadOnlySpan<char> FormatNumber(double value, Span<char> buffer)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        return value.TryFormat(buffer, out int written, numberFormat, CultureInfo.InvariantCulture)
            ? buffer[..written]
            : value.ToString(numberFormat, CultureInfo.InvariantCulture);
    }
}
