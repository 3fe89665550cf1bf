using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>Matrix products, factorisations and decompositions over the last one or two axes (leading axes broadcast).</summary>
internal static class LinearAlgebraBuiltins
{
    private static readonly BuiltinParameter A = new("a", ArgKind.Tensor);
    private static readonly BuiltinParameter B = new("b", ArgKind.Tensor);
    private static readonly BuiltinParameter M = new("m", ArgKind.Tensor);

    public static IEnumerable<Builtin> All()
    {
        yield return new Builtin("matmul", EmitStyle.Library, "MatMul", new[] { A, B }, MatMul, "matmul(a, b), a @ b: NumPy matrix product");

        yield return new Builtin("dot", EmitStyle.Library, "Dot", new[] { A, B }, c =>
        {
            var a = c.RequireTensor(c.Arg(0));
            var b = c.RequireTensor(c.Arg(1));
            if (a is null || b is null) return null;
            if (a.Rank < 1 || b.Rank < 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"dot: needs vectors, got {a.Display} and {b.Display}"); return null; }
            var shape = c.Broadcast(c.Arg(0), c.Arg(1));
            return shape is null ? null : new TensorType(CallTyping.Promote(false, a, b), shape.Take(shape.Rank - 1));
        }, "dot(a, b): Σ a·b over the last axis");

        yield return new Builtin("outer", EmitStyle.Library, "Outer", new[] { A, B }, c =>
        {
            var a = c.RequireTensor(c.Arg(0));
            var b = c.RequireTensor(c.Arg(1));
            if (a is null || b is null) return null;
            if (a.Rank != 1 || b.Rank != 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"outer: needs two vectors, got {a.Display} and {b.Display}"); return null; }
            return new TensorType(CallTyping.Promote(false, a, b), Shape.Of(a.Shape[0], b.Shape[0]));
        }, "outer(a, b): the matrix a[i]·b[j]");

        yield return SameShape("cholesky", "Cholesky", "cholesky(m): lower Cholesky factor of a symmetric positive-definite matrix");
        yield return SameShape("inv", "Inverse", "inv(m): matrix inverse");
        yield return new Builtin("det", EmitStyle.Library, "Det", new[] { M }, c =>
            ShapeBuiltins.SquareMatrix(c, "det") is { } t ? RealOf(t).WithShape(t.Shape.Take(t.Rank - 2)) : null, "det(m): determinant");
        yield return new Builtin("logdet", EmitStyle.Library, "LogAbsDet", new[] { M }, c =>
            ShapeBuiltins.SquareMatrix(c, "logdet") is { } t ? RealOf(t).WithShape(t.Shape.Take(t.Rank - 2)) : null, "logdet(m): log |det m|");
        yield return new Builtin("eigvalsh", EmitStyle.Library, "EigValsH", new[] { M }, c =>
            ShapeBuiltins.SquareMatrix(c, "eigvalsh") is { } t ? RealOf(t).WithShape(t.Shape.Take(t.Rank - 1)) : null,
            "eigvalsh(m): eigenvalues of a symmetric matrix, ascending");
        yield return new Builtin("eigh", EmitStyle.Library, "EigH", new[] { M }, c =>
        {
            var t = ShapeBuiltins.SquareMatrix(c, "eigh");
            if (t is null) return null;
            var real = RealOf(t);
            return new ObjectType("eigh", new Dictionary<string, SemType>
            {
                ["values"] = real.WithShape(t.Shape.Take(t.Rank - 1)),
                ["vectors"] = real,
            });
        }, "eigh(m): eigen-decomposition of symmetric matrices; fields `values` (ascending) and `vectors` (columns)");

        yield return new Builtin("solve", EmitStyle.Library, "Solve", new[] { A, B }, c => Solve(c, "solve"), "solve(a, b): x with a·x = b");
        yield return new Builtin("solve_triangular", EmitStyle.Library, "SolveTriangular",
            new[] { A, B, new BuiltinParameter("upper", ArgKind.Static, Optional: true, Default: false) }, c =>
            {
                c.Attributes["upper"] = c.Arg("upper") is { } u ? c.StaticBool(u, "upper") ?? false : false;
                return Solve(c, "solve_triangular");
            }, "solve_triangular(l, b, upper = false): x with l·x = b for a triangular l");
    }

    private static TensorType RealOf(TensorType t) => t.Elem.IsComplex ? t : t.WithElem(ElemType.Real);

    private static Builtin SameShape(string name, string target, string summary) =>
        new(name, EmitStyle.Library, target, new[] { M }, c => ShapeBuiltins.SquareMatrix(c, name) is { } t ? RealOf(t) : null, summary);

    private static SemType? Solve(CallTyping c, string name)
    {
        var a = ShapeBuiltins.SquareMatrix(c, name);
        var b = c.RequireTensor(c.Arg(1));
        if (a is null || b is null) return null;
        if (b.Rank < 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(1)!.Range, $"{name}: b must be a vector or matrix, got {b.Display}"); return null; }
        var n = a.Shape[a.Rank - 1];
        bool vector = b.Rank == 1 || (b.Rank == a.Rank - 1);
        var rows = vector ? b.Shape[b.Rank - 1] : b.Shape[b.Rank - 2];
        if (rows.ProvablyDifferent(n)) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"{name}: a is {a.Display} but b is {b.Display}"); return null; }
        c.Attributes["vector"] = vector;
        var batchA = a.Shape.Take(a.Rank - 2);
        var batchB = vector ? b.Shape.Take(b.Rank - 1) : b.Shape.Take(b.Rank - 2);
        var batch = Broadcasting.Broadcast(batchA, batchB, null);
        if (batch is null) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"{name}: the leading axes of {a.Display} and {b.Display} do not broadcast"); return null; }
        var tail = vector ? Shape.Of(n) : Shape.Of(n, b.Shape[b.Rank - 1]);
        return new TensorType(CallTyping.Promote(true, a, b), new Shape(batch.Dims.Concat(tail.Dims)));
    }

    private static SemType? MatMul(CallTyping c)
    {
        var a = c.RequireTensor(c.Arg(0));
        var b = c.RequireTensor(c.Arg(1));
        if (a is null || b is null) return null;
        if (a.Rank == 0 || b.Rank == 0)
        {
            c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"matmul: operands must have at least one axis, got {a.Display} and {b.Display}", "use * to multiply by a scalar");
            return null;
        }
        var inner = a.Shape[a.Rank - 1];
        var innerB = b.Rank == 1 ? b.Shape[0] : b.Shape[b.Rank - 2];
        if (inner.ProvablyDifferent(innerB))
        {
            c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"matmul({c.Text(c.Arg(0)!)}, {c.Text(c.Arg(1)!)}): {a.Display} and {b.Display} do not chain ({inner} ≠ {innerB})");
            return null;
        }
        if (!inner.Equals(innerB)) c.Deferred.Add(new DeferredDimCheck(inner, innerB, c.Range, $"matmul: inner sizes {inner} and {innerB} must be equal"));
        var batchA = a.Rank > 2 ? a.Shape.Take(a.Rank - 2) : Shape.Scalar;
        var batchB = b.Rank > 2 ? b.Shape.Take(b.Rank - 2) : Shape.Scalar;
        var batch = Broadcasting.Broadcast(batchA, batchB, null);
        if (batch is null) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"matmul: the leading axes of {a.Display} and {b.Display} do not broadcast"); return null; }
        var dims = batch.Dims.ToList();
        if (a.Rank >= 2) dims.Add(a.Shape[a.Rank - 2]);
        if (b.Rank >= 2) dims.Add(b.Shape[b.Rank - 1]);
        return new TensorType(CallTyping.Promote(false, a, b), new Shape(dims));
    }
}
