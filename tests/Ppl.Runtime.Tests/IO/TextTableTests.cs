using System.Globalization;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Tests.IO;

/// <summary>Summary tables never run wide numbers together: columns are sized to their content and always separated.</summary>
public class TextTableTests
{
    [Fact]
    public void WideCellsWidenTheirColumnAndColumnsStaySeparated()
    {
        var table = new TextTable(["", "a", "b", "c"], [4, 4, 4, 4]);
        table.Add(["x", "-4.09e+36", "0", "-4.09e+36"]);
        table.Add(["a_much_longer_name", "1", "-123456789012345", "2"]);
        var lines = table.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        // Splitting on runs of spaces gives back exactly the cells: nothing ran together.
        Assert.Equal(["x", "-4.09e+36", "0", "-4.09e+36"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["a_much_longer_name", "1", "-123456789012345", "2"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // Right-aligned value columns end at the same position on every line.
        Assert.Equal(lines[1].Length, lines[2].Length);
        Assert.Equal(lines[0].Length, lines[1].Length);
    }

    [Fact]
    public void PosteriorSummaryWithHugeValuesKeepsEveryCellApart()
    {
        // A diverging chain: values near ±4e36, one column constant 0 (as in the reported table).
        var chains = new[]
        {
            Enumerable.Range(0, 20).Select(i => -4.09e36 * (1 + i * 1e-3)).ToArray(),
            Enumerable.Range(0, 20).Select(i => -4.1e36 * (1 + i * 2e-3)).ToArray(),
        };
        var zeros = new[] { new double[20], new double[20] };
        var summary = PosteriorSummary.Compute(["lp__", "zero", "a_long_parameter_name[12]"], k => k == 1 ? zeros : chains);
        var lines = summary.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, header.Length);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(cells.Length == 10, $"'{line}' splits into {cells.Length} cells");
            foreach (var cell in cells.Skip(1))
                Assert.True(cell == "nan" || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"'{cell}' in '{line}'");
        }
        Assert.Contains("-4.", lines[1]);
        Assert.Contains("e+36", lines[1]);
    }
}
