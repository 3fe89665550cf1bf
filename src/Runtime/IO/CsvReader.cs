using System.Globalization;
using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// Reads numeric CSV with a header row: sbibm's reference files, CmdStan's output files (whose <c>#</c> comment
/// lines, wherever they are, are collected in <see cref="CsvTable.Comments"/>), and what <see cref="CsvWriter"/>
/// writes. Cells are invariant-culture numbers or <c>inf</c>/<c>-inf</c>/<c>nan</c> (any case, also
/// <c>Infinity</c>); header names may be double-quoted. Blank lines are skipped.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads a CSV file.</summary>
    public static DataFileResult<CsvTable> Read(string path) =>
        DataFileAccess.ReadFile(path, stream =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Read(reader, path);
        });

    /// <summary>Parses CSV text.</summary>
    public static DataFileResult<CsvTable> Parse(string text, string origin) => Read(new StringReader(text), origin);

    /// <summary>Reads CSV from a text reader.</summary>
    /// <param name="reader">The text, read to its end.</param>
    /// <param name="origin">The file name used in errors.</param>
    public static DataFileResult<CsvTable> Read(TextReader reader, string origin)
    {
        var comments = new List<string>();
        var rows = new List<double[]>();
        string[]? names = null;
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) continue;
            if (line[0] == '#')
            {
                comments.Add(line.Length > 1 && line[1] == ' ' ? line[2..] : line[1..]);
                continue;
            }
            var fields = SplitFields(line, lineNumber, origin, out var error);
            if (error is not null) return DataFileResult<CsvTable>.Failure(error);
            if (names is null)
            {
                names = fields.Select(f => f.Text.Trim()).ToArray();
                continue;
            }
            if (fields.Count != names.Length)
                return DataFileResult<CsvTable>.Failure(new DataFileError(DiagnosticCatalogue.MalformedCsv,
                    $"this row has {fields.Count} field{(fields.Count == 1 ? "" : "s")} but the header has {names.Length}", origin, lineNumber, 1));
            var row = new double[fields.Count];
            for (int j = 0; j < fields.Count; j++)
            {
                var cell = fields[j].Text.AsSpan().Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out row[j])
                    && !NonFiniteNumbers.TryParse(cell, out row[j]))
                {
                    return DataFileResult<CsvTable>.Failure(new DataFileError(DiagnosticCatalogue.MalformedCsv,
                        cell.Length == 0 ? $"empty cell in column '{names[j]}'" : $"'{cell}' in column '{names[j]}' is not a number",
                        origin, lineNumber, fields[j].Column));
                }
            }
            rows.Add(row);
        }
        if (names is null)
            return DataFileResult<CsvTable>.Failure(new DataFileError(DiagnosticCatalogue.MalformedCsv, "no header row (the file has no data lines)", origin, Math.Max(1, lineNumber), 0));
        var values = new double[rows.Count, names.Length];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < names.Length; j++) values[i, j] = rows[i][j];
        return DataFileResult<CsvTable>.Success(new CsvTable(names, values, comments));
    }

    private static List<(string Text, int Column)> SplitFields(string line, int lineNumber, string origin, out DataFileError? error)
    {
        error = null;
        var fields = new List<(string, int)>();
        int position = 0;
        while (true)
        {
            int start = position;
            string text;
            if (position < line.Length && line[position] == '"')
            {
                var builder = new StringBuilder();
                position++;
                while (true)
                {
                    if (position >= line.Length)
                    {
                        error = new DataFileError(DiagnosticCatalogue.MalformedCsv, "a quoted field is not closed", origin, lineNumber, start + 1);
                        return fields;
                    }
                    if (line[position] == '"')
                    {
                        if (position + 1 < line.Length && line[position + 1] == '"')
                        {
                            builder.Append('"');
                            position += 2;
                            continue;
                        }
                        position++;
                        break;
                    }
                    builder.Append(line[position++]);
                }
                text = builder.ToString();
                if (position < line.Length && line[position] != ',')
                {
                    error = new DataFileError(DiagnosticCatalogue.MalformedCsv, "text after a closing quote", origin, lineNumber, position + 1);
                    return fields;
                }
            }
            else
            {
                int comma = line.IndexOf(',', position);
                int end = comma < 0 ? line.Length : comma;
                text = line[position..end];
                position = end;
            }
            fields.Add((text, start + 1));
            if (position >= line.Length) return fields;
            position++;
        }
    }
}
