using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Piecewise-linear interpolation of per-cosmology tables given at shared, increasing nodes — the way jax-cosmo reads
/// its distance and growth tables. Differentiable in the table values (and in the query points).
/// </summary>
internal static class TableInterpolation
{
    /// <summary>
    /// Interpolates <paramref name="values"/> [B, n] (or [1, n]), tabulated at <paramref name="nodes"/> [n], at
    /// <paramref name="x"/> [B or 1, …]; returns [B, …]. Points outside the nodes are extrapolated from the end segments.
    /// </summary>
    public static Tensor Linear(Tensor nodes, Tensor values, Tensor x)
    {
        using var scope = NewDisposeScope();
        long n = nodes.shape[0];
        long rows = Math.Max(values.shape[0], x.shape[0]);
        var outShape = x.shape.ToArray();
        outShape[0] = rows;
        var flat = x.reshape(x.shape[0], -1).contiguous();
        using var keptScalar17 = (n - 2).ToScalar();
        var lower = (TensorArithmetic.Sub(searchsorted(nodes, flat, right: true), 1)).clamp(ConstantScalars.Of(0), keptScalar17);
        var x0 = nodes.take(lower);
        var x1 = nodes.take(TensorArithmetic.Add(lower, 1));
        var t = (flat - x0) / (x1 - x0);
        var index = lower.expand(rows, -1);
        var table = values.expand(rows, -1);
        var v0 = table.gather(1, index);
        var v1 = table.gather(1, TensorArithmetic.Add(index, 1));
        return (TensorArithmetic.Add(v0, t * (v1 - v0))).reshape(outShape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The segment index and position inside it for fixed query points, computed once in double precision so that
    /// repeated interpolation at the same points (the Limber integration grids) costs two gathers.
    /// </summary>
    public static (long[] Lower, double[] Fraction) Locate(double[] nodes, double[] queries)
    {
        var lower = new long[queries.Length];
        var fraction = new double[queries.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            double x = queries[q];
            int i = Array.BinarySearch(nodes, x);
            if (i < 0) i = ~i - 1;
            i = Math.Clamp(i, 0, nodes.Length - 2);
            lower[q] = i;
            fraction[q] = (x - nodes[i]) / (nodes[i + 1] - nodes[i]);
        }
        return (lower, fraction);
    }

    /// <summary>Interpolates <paramref name="values"/> [B, n] at points located by <see cref="Locate"/>: lower and fraction are [Q]; returns [B, Q].</summary>
    public static Tensor AtLocated(Tensor values, Tensor lower, Tensor fraction)
    {
        using var scope = NewDisposeScope();
        var v0 = values.index_select(1, lower);
        var v1 = values.index_select(1, TensorArithmetic.Add(lower, 1));
        return (TensorArithmetic.Add(v0, fraction * (v1 - v0))).MoveToOuterDisposeScope();
    }
}
