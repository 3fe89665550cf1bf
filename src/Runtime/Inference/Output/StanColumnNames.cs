using System.Globalization;

namespace Ppl.Runtime.Inference.Output;

/// <summary>
/// Stan's CSV column names for a variable: a scalar is <c>name</c>; an array element is <c>name.i.j…</c> with 1-based
/// indices. Stan lists the elements of a multi-dimensional variable in column-major order (the first index varies
/// fastest: z.1.1, z.2.1, z.1.2, …), and so does this class. Our unconstrained vectors and tensors are row-major, so a
/// caller building CSV columns reorders values with <see cref="ColumnMajorToRowMajor"/>.
/// </summary>
public static class StanColumnNames
{
    /// <summary>The column names of a variable of the given shape (empty shape: a scalar), in Stan's (column-major) order.</summary>
    public static IReadOnlyList<string> For(string name, IReadOnlyList<int> shape)
    {
        if (shape.Count == 0) return new[] { name };
        var map = ColumnMajorToRowMajor(shape);
        var names = new string[map.Length];
        for (int k = 0; k < map.Length; k++)
        {
            var index = RowMajorIndex(map[k], shape);
            names[k] = name + "." + string.Join(".", index.Select(i => (i + 1).ToString(CultureInfo.InvariantCulture)));
        }
        return names;
    }

    /// <summary>For each CSV column k (Stan's column-major order), the row-major flat index of that element.</summary>
    public static int[] ColumnMajorToRowMajor(IReadOnlyList<int> shape)
    {
        int total = 1;
        foreach (var s in shape) total *= s;
        var result = new int[total];
        var index = new int[shape.Count];
        for (int k = 0; k < total; k++)
        {
            // Decompose k with the first axis fastest, then compose row-major (last axis fastest).
            int rest = k;
            for (int axis = 0; axis < shape.Count; axis++)
            {
                index[axis] = rest % shape[axis];
                rest /= shape[axis];
            }
            int flat = 0;
            for (int axis = 0; axis < shape.Count; axis++) flat = flat * shape[axis] + index[axis];
            result[k] = flat;
        }
        return result;
    }

    private static int[] RowMajorIndex(int flat, IReadOnlyList<int> shape)
    {
        var index = new int[shape.Count];
        for (int axis = shape.Count - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }
}
