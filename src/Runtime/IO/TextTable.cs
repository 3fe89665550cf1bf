using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// A plain-text table whose columns are as wide as their widest cell (header included) and separated by at least
/// <see cref="Gap"/> spaces, so that no two values ever run together however wide a number is
/// (<c>-4.09e+36</c> beside <c>0</c>). The first column (names) is left-aligned, the others right-aligned.
/// </summary>
public sealed class TextTable
{
    /// <summary>Spaces between columns.</summary>
    public const int Gap = 2;

    private readonly string[] _header;
    private readonly int[] _minimumWidths;
    private readonly List<string[]> _rows = new();

    /// <param name="header">The column headings (the first is usually empty: the names column).</param>
    /// <param name="minimumWidths">Optional minimum widths per column (a stable look for short values).</param>
    public TextTable(IReadOnlyList<string> header, IReadOnlyList<int>? minimumWidths = null)
    {
        _header = header.ToArray();
        _minimumWidths = Enumerable.Range(0, _header.Length).Select(i => minimumWidths is not null && i < minimumWidths.Count ? minimumWidths[i] : 0).ToArray();
    }

    /// <summary>Adds a row of as many cells as the header has columns.</summary>
    public void Add(IReadOnlyList<string> cells)
    {
        if (cells.Count != _header.Length)
            throw new ArgumentException($"A row has {cells.Count} cells; the table has {_header.Length} columns.", nameof(cells));
        _rows.Add(cells.ToArray());
    }

    /// <summary>The table, one line per row after the header line.</summary>
    public string Render()
    {
        var widths = new int[_header.Length];
        for (int j = 0; j < widths.Length; j++)
            widths[j] = Math.Max(_minimumWidths[j], _rows.Select(r => r[j].Length).Append(_header[j].Length).Max());
        var sb = new StringBuilder();
        Line(sb, _header, widths);
        foreach (var row in _rows) Line(sb, row, widths);
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int j = 0; j < cells.Length; j++)
        {
            if (j > 0) line.Append(' ', Gap);
            line.Append(j == 0 ? cells[j].PadRight(widths[j]) : cells[j].PadLeft(widths[j]));
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
