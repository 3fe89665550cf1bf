namespace Ppl.Compiler.Semantics;

/// <summary>Builtins that rearrange axes: transpose, reshape, flatten, stack, concat, flip, roll, diag, diagonal, trace,
/// broadcast_to, squeeze.</summary>
internal static class ShapeBuiltins
{
    private static readonly BuiltinParameter X = new("x", ArgKind.Tensor);

    public static IEnumerable<Builtin> All()
    {
        yield return new Builtin("transpose", EmitStyle.Library, "Transpose", new[] { X, new BuiltinParameter("axes", ArgKind.Static, Optional: true) }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            long[] perm;
            if (c.Variadic.Count == 0) perm = Enumerable.Range(0, t.Rank).Reverse().Select(i => (long)i).ToArray();
            else
            {
                perm = new long[c.Variadic.Count];
                for (int i = 0; i < perm.Length; i++)
                {
                    var v = c.StaticInt(c.Variadic[i], "an axis");
                    if (v is null) return null;
                    var a = c.Axis(v.Value, t.Rank, c.Variadic[i].Range);
                    if (a is null) return null;
                    perm[i] = a.Value;
                }
                if (perm.Length != t.Rank || perm.Distinct().Count() != perm.Length)
                {
                    c.Error(DiagnosticCatalogue.BadAxis, c.Range, $"transpose: the axes must be a permutation of 0..{t.Rank - 1} for {t.Display}");
                    return null;
                }
            }
            c.Attributes["axes"] = perm;
            return t.WithShape(new Shape(perm.Select(p => t.Shape[(int)p])));
        }, "transpose(x) reverses the axes; transpose(x, 1, 2, 0) permutes them")
        { VariadicIndex = 1 };

        yield return new Builtin("reshape", EmitStyle.Library, "Reshape", new[] { X, new BuiltinParameter("sizes", ArgKind.Size) }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            var dims = c.VariadicSizes();
            if (dims is null) return null;
            var target = new Shape(dims);
            if (t.Shape.KnownElementCount is long a && target.KnownElementCount is long b && a != b)
            {
                c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"reshape: {t.Display} has {a} elements but {target} holds {b}");
                return null;
            }
            return t.WithShape(target);
        }, "reshape(x, 2, 3): the same elements in a new shape (row-major)")
        { VariadicIndex = 1 };

        yield return new Builtin("flatten", EmitStyle.Library, "Flatten", new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            Dim size = Dim.One;
            foreach (var d in t.Shape.Dims) size = Dim.Multiply(size, d) ?? Dim.Opaque($"size({c.Text(c.Arg(0)!)})", new DimArithmetic(size, d, '*'));
            return t.WithShape(Shape.Of(size));
        }, "flatten(x): all elements as a vector (row-major)");

        yield return new Builtin("stack", EmitStyle.Library, "Stack",
            new[] { new BuiltinParameter("items", ArgKind.Tensor), new BuiltinParameter("axis", ArgKind.Static, Optional: true, Default: 0L) }, c =>
            {
                if (c.Variadic.Count == 0) { c.Error(DiagnosticCatalogue.ArgumentCount, c.Range, "stack: needs at least one value"); return null; }
                var types = c.Variadic.Select(e => c.RequireTensor(e, numeric: false)).ToList();
                if (types.Any(t => t is null)) return null;
                var shape = c.Broadcast(c.Variadic.ToArray());
                if (shape is null) return null;
                long raw = c.Arg("axis") is { } a ? c.StaticInt(a, "axis") ?? 0 : 0;
                var axis = c.Axis(raw, shape.Rank + 1, c.Arg("axis")?.Range ?? c.Range);
                if (axis is null) return null;
                c.Attributes["axis"] = (long)axis.Value;
                return new TensorType(CallTyping.Promote(false, types.ToArray()), new Shape(shape.Dims.Insert(axis.Value, Dim.Of(c.Variadic.Count))));
            }, "stack(a, b, c, axis = 0): joins values along a new axis")
        { VariadicIndex = 0 };

        yield return new Builtin("concat", EmitStyle.Library, "Concat",
            new[] { new BuiltinParameter("items", ArgKind.Tensor), new BuiltinParameter("axis", ArgKind.Static, Optional: true, Default: 0L) }, c =>
            {
                if (c.Variadic.Count == 0) { c.Error(DiagnosticCatalogue.ArgumentCount, c.Range, "concat: needs at least one value"); return null; }
                var types = c.Variadic.Select(e => c.RequireTensor(e, numeric: false)).ToList();
                if (types.Any(t => t is null)) return null;
                int rank = types[0]!.Rank;
                if (rank == 0 || types.Any(t => t!.Rank != rank))
                {
                    c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"concat: all values must have the same rank of at least 1 ({string.Join(", ", types.Select(t => t!.Display))})");
                    return null;
                }
                long raw = c.Arg("axis") is { } a ? c.StaticInt(a, "axis") ?? 0 : 0;
                var axis = c.Axis(raw, rank, c.Arg("axis")?.Range ?? c.Range);
                if (axis is null) return null;
                c.Attributes["axis"] = (long)axis.Value;
                var dims = types[0]!.Shape.Dims.ToArray();
                Dim total = Dim.Of(0);
                foreach (var (t, e) in types.Zip(c.Variadic))
                {
                    for (int i = 0; i < rank; i++)
                    {
                        if (i == axis) continue;
                        if (t!.Shape[i].ProvablyDifferent(dims[i]))
                        {
                            c.Error(DiagnosticCatalogue.ShapeMismatch, e.Range, $"concat: '{c.Text(e)}' is {t.Display}; all sizes but axis {axis} must equal those of {types[0]!.Display}");
                            return null;
                        }
                        if (!t.Shape[i].Equals(dims[i])) c.Deferred.Add(new DeferredDimCheck(t.Shape[i], dims[i], c.Range, $"concat: sizes {t.Shape[i]} and {dims[i]} must be equal"));
                    }
                    total = Dim.Add(total, t!.Shape[axis.Value]) ?? Dim.Opaque("concatenated size", new DimArithmetic(total, t.Shape[axis.Value], '+'));
                }
                dims[axis.Value] = total;
                return new TensorType(CallTyping.Promote(false, types.ToArray()), new Shape(dims));
            }, "concat(a, b, axis = 0): joins values along an existing axis")
        { VariadicIndex = 0 };

        yield return new Builtin("flip", EmitStyle.Library, "Flip", new[] { X, new BuiltinParameter("axis", ArgKind.Static, Optional: true, Default: -1L) }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            return c.SingleAxis(t.Rank, -1) is null ? null : t;
        }, "flip(x, axis = -1): reverses the order along an axis");

        yield return new Builtin("roll", EmitStyle.Library, "Roll",
            new[] { X, new BuiltinParameter("shift", ArgKind.Static), new BuiltinParameter("axis", ArgKind.Static, Optional: true, Default: -1L) }, c =>
            {
                var t = c.RequireTensor(c.Arg(0), numeric: false);
                if (t is null) return null;
                var shift = c.StaticInt(c.Arg(1), "shift");
                var axis = c.SingleAxis(t.Rank, -1);
                if (axis is null || shift is null) return null;
                c.Attributes["shift"] = shift.Value;
                return t;
            }, "roll(x, shift, axis = -1): circular shift");

        yield return new Builtin("diag", EmitStyle.Library, "Diag", new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0));
            if (t is null) return null;
            if (t.Rank < 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(0)!.Range, $"diag: needs a vector, got {t.Display}"); return null; }
            return t.WithShape(t.Shape.Append(t.Shape[t.Rank - 1]));
        }, "diag(v): the diagonal matrix with v on its diagonal (over the last axis)");

        yield return new Builtin("diagonal", EmitStyle.Library, "Diagonal", new[] { X }, c =>
        {
            var t = SquareMatrix(c, "diagonal");
            return t?.WithShape(t.Shape.Take(t.Rank - 1));
        }, "diagonal(m): the diagonal of the last two axes");

        yield return new Builtin("trace", EmitStyle.Library, "Trace", new[] { X }, c =>
        {
            var t = SquareMatrix(c, "trace");
            return t?.WithShape(t.Shape.Take(t.Rank - 2));
        }, "trace(m): the sum of the diagonal of the last two axes");

        yield return new Builtin("broadcast_to", EmitStyle.Library, "BroadcastTo", new[] { X, new BuiltinParameter("sizes", ArgKind.Size) }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            var dims = c.VariadicSizes();
            if (dims is null) return null;
            var target = new Shape(dims);
            var pending = new List<(Dim, Dim)>();
            var b = Broadcasting.Broadcast(t.Shape, target, pending);
            if (b is null || !b.Equals(target) && b.Rank != target.Rank)
            {
                c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"broadcast_to: {t.Display} does not broadcast to {target}");
                return null;
            }
            return t.WithShape(target);
        }, "broadcast_to(x, sizes...): repeats x to a larger shape by NumPy broadcasting")
        { VariadicIndex = 1 };
    }

    internal static TensorType? SquareMatrix(CallTyping c, string name, int argument = 0)
    {
        var t = c.RequireTensor(c.Arg(argument));
        if (t is null) return null;
        if (t.Rank < 2)
        {
            c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(argument)!.Range, $"{name}: needs a matrix, got {t.Display}");
            return null;
        }
        var (r, k) = (t.Shape[t.Rank - 2], t.Shape[t.Rank - 1]);
        if (r.ProvablyDifferent(k))
        {
            c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(argument)!.Range, $"{name}: needs a square matrix, got {t.Display}");
            return null;
        }
        if (!r.Equals(k)) c.Deferred.Add(new DeferredDimCheck(r, k, c.Range, $"{name}: the matrix must be square ({r} × {k})"));
        return t;
    }
}
