using System.Globalization;
using static TorchSharp.torch;

namespace Ppl.Runtime.Inference.Output;

/// <summary>
/// How a run's unconstrained draws become output columns: the column names (Stan style, see
/// <see cref="StanColumnNames"/>) and a batched map from unconstrained draws [n, D] to column values [n, K]. The
/// model's bijectors live in that map, outside this engine.
/// </summary>
/// <param name="Names">The K column names.</param>
/// <param name="Transform">Unconstrained draws [n, D] (float64, CPU) → column values [n, K].</param>
public sealed record ConstrainedColumns(IReadOnlyList<string> Names, Func<Tensor, Tensor> Transform)
{
    /// <summary>The unconstrained coordinates themselves, named <c>name.1</c> … <c>name.D</c>.</summary>
    public static ConstrainedColumns Identity(int dimension, string name = "x") =>
        new(Enumerable.Range(1, dimension).Select(i => name + "." + i.ToString(CultureInfo.InvariantCulture)).ToArray(), x => x.alias());

    /// <summary>Applies the transform to a batch of positions, returning [n][K] managed values.</summary>
    public double[][] Apply(IReadOnlyList<double[]> positions)
    {
        int n = positions.Count;
        if (n == 0) return Array.Empty<double[]>();
        int d = positions[0].Length;
        var flat = new double[n * d];
        for (int i = 0; i < n; i++) Array.Copy(positions[i], 0, flat, i * d, d);
        using var scope = NewDisposeScope();
        var values = Transform(tensor(flat, new long[] { n, d }, ScalarType.Float64));
        int k = Names.Count;
        if (values.numel() != (long)n * k)
            throw new InvalidOperationException($"The column transform returned {values.numel()} values; expected {n}×{k}.");
        var data = values.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new double[k];
            Array.Copy(data, i * k, rows[i], 0, k);
        }
        return rows;
    }
}
