namespace Ppl.Runtime.IO;

/// <summary>A numeric table: column names, values (rows × columns) and the <c>#</c> comment lines around them.</summary>
public sealed class CsvTable
{
    /// <summary>Creates a table; <paramref name="values"/> must have as many columns as there are names.</summary>
    public CsvTable(IReadOnlyList<string> names, double[,] values, IReadOnlyList<string>? comments = null)
    {
        if (values.GetLength(1) != names.Count)
            throw new ArgumentException($"{names.Count} names for {values.GetLength(1)} columns.", nameof(values));
        Names = names.ToArray();
        Values = values;
        Comments = comments?.ToArray() ?? Array.Empty<string>();
    }

    /// <summary>The column names from the header row.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The values, indexed [row, column].</summary>
    public double[,] Values { get; }

    /// <summary>The comment lines without their leading <c>#</c> (and one following space), in file order.</summary>
    public IReadOnlyList<string> Comments { get; }

    /// <summary>The number of data rows.</summary>
    public int RowCount => Values.GetLength(0);

    /// <summary>The number of columns.</summary>
    public int ColumnCount => Values.GetLength(1);

    /// <summary>The position of a column, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int j = 0; j < Names.Count; j++)
            if (Names[j] == name) return j;
        return -1;
    }

    /// <summary>One column's values (a copy).</summary>
    public double[] Column(int index)
    {
        var column = new double[RowCount];
        for (int i = 0; i < column.Length; i++) column[i] = Values[i, index];
        return column;
    }

    /// <summary>One column's values by name (a copy).</summary>
    /// <exception cref="KeyNotFoundException">When no column has that name.</exception>
    public double[] Column(string name)
    {
        int index = IndexOf(name);
        return index >= 0 ? Column(index) : throw new KeyNotFoundException($"No column named '{name}'.");
    }
}
