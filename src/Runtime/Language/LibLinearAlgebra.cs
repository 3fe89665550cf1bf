using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    /// <summary>NumPy matmul with a batch axis: vectors become matrices for the product and lose the added axis after;
    /// leading (event) axes broadcast with the batch axis kept first.</summary>
    public static Tensor MatMul(Ev a, Ev b)
    {
        bool aVector = a.EventRank == 1, bVector = b.EventRank == 1;
        var av = aVector ? a.Value.unsqueeze(-2) : a.Value;
        var bv = bVector ? b.Value.unsqueeze(-1) : b.Value;
        int ar = Math.Max(a.EventRank, 2), br = Math.Max(b.EventRank, 2);
        int rank = Math.Max(ar, br);
        if (a.Batched) av = Align(av, rank - ar);
        if (b.Batched) bv = Align(bv, rank - br);
        var result = av.matmul(bv);
        if (aVector) result = result.squeeze(-2);
        if (bVector) result = result.squeeze(-1);
        return result;
    }

    public static Tensor Dot(Ev a, Ev b)
    {
        var v = Batchwise(new[] { a, b }, out _);
        return (v[0] * v[1]).sum(-1);
    }

    public static Tensor Outer(Ev a, Ev b)
    {
        var av = a.Value.unsqueeze(-1);
        var bv = b.Value.unsqueeze(-2);
        if (a.Batched && !b.Batched) bv = bv.unsqueeze(0);
        if (b.Batched && !a.Batched) av = av.unsqueeze(0);
        return av * bv;
    }

    public static Tensor Cholesky(Ev m) => linalg.cholesky(m.Value);

    public static Tensor Inverse(Ev m) => linalg.inv(m.Value);

    public static Tensor Det(Ev m) => linalg.det(m.Value);

    public static Tensor LogAbsDet(Ev m) => linalg.slogdet(m.Value).Item2;

    public static Tensor EigValsH(Ev m) => SymmetricEigen.Values(m.Value);

    public static EighResult EigH(Ev m)
    {
        var (values, vectors) = SymmetricEigen.Decompose(m.Value);
        return new EighResult(values, vectors);
    }

    public static Tensor Solve(Ev a, Ev b) => SolveWith(a, b, (x, y) => linalg.solve(x, y));

    public static Tensor SolveTriangular(Ev a, Ev b, bool upper) => SolveWith(a, b, (x, y) => linalg.solve_triangular(x, y, upper: upper));

    private static Tensor SolveWith(Ev a, Ev b, Func<Tensor, Tensor, Tensor> solve)
    {
        bool vector = b.EventRank == 1 || b.EventRank == a.EventRank - 1;
        var bv = vector ? b.Value.unsqueeze(-1) : b.Value;
        var av = a.Value;
        int ar = a.EventRank, br = vector ? b.EventRank + 1 : b.EventRank;
        int rank = Math.Max(ar, br);
        if (a.Batched) av = Align(av, rank - ar);
        if (b.Batched) bv = Align(bv, rank - br);
        if (a.Batched && !b.Batched) bv = bv.unsqueeze(0);
        if (b.Batched && !a.Batched) av = av.unsqueeze(0);
        var shapeA = av.shape[..^2];
        var shapeB = bv.shape[..^2];
        var lead = broadcast_shapes(shapeA, shapeB).Shape;
        av = av.expand(lead.Concat(av.shape[^2..]).ToArray());
        bv = bv.expand(lead.Concat(bv.shape[^2..]).ToArray());
        var x = solve(av, bv);
        return vector ? x.squeeze(-1) : x;
    }
}
