using Ppl.Compiler.Lowering;
using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>The arguments of one builtin call being checked, with the means to report problems against them.</summary>
public sealed class CallTyping
{
    private readonly DiagnosticBag _diagnostics;
    private readonly Func<IrExpr, string> _sourceText;
    private readonly StaticEvaluator _static;

    internal CallTyping(Builtin builtin, SourceRange range, IReadOnlyList<IrExpr?> args, IReadOnlyList<IrExpr> variadic,
        DiagnosticBag diagnostics, List<DeferredDimCheck> deferred, Func<IrExpr, string> sourceText, StaticEvaluator staticEvaluator)
    {
        Builtin = builtin;
        Range = range;
        Args = args;
        Variadic = variadic;
        _diagnostics = diagnostics;
        Deferred = deferred;
        _sourceText = sourceText;
        _static = staticEvaluator;
    }

    public Builtin Builtin { get; }

    public SourceRange Range { get; }

    /// <summary>Arguments in parameter order (null where an optional one was omitted). The variadic parameter's values
    /// are in <see cref="Variadic"/> instead.</summary>
    public IReadOnlyList<IrExpr?> Args { get; }

    public IReadOnlyList<IrExpr> Variadic { get; }

    public List<DeferredDimCheck> Deferred { get; }

    /// <summary>Static values of <see cref="ArgKind.Static"/> parameters, by parameter name (filled by the checker and rules).</summary>
    public Dictionary<string, object> Attributes { get; } = new();

    /// <summary>Rewritten arguments (e.g. converted), when a rule replaces them; null keeps <see cref="Args"/>.</summary>
    public List<IrExpr>? RewrittenArgs { get; set; }

    public IrExpr? Arg(int i) => i < Args.Count ? Args[i] : null;

    public IrExpr? Arg(string name)
    {
        int i = Builtin.Parameters.ToList().FindIndex(p => p.Name == name);
        return i < 0 ? null : Arg(i);
    }

    public TensorType? TensorArg(int i) => Arg(i)?.Type as TensorType;

    public string Text(IrExpr e) => _sourceText(e);

    public void Error(DiagnosticCode code, SourceRange range, string message, string? hint = null) =>
        _diagnostics.Error(code, range, message, hint);

    /// <summary>Requires argument i to be a tensor (optionally of a numeric/real element type); reports otherwise.</summary>
    public TensorType? RequireTensor(IrExpr? e, bool numeric = true)
    {
        if (e is null) return null;
        if (e.Type is ErrorType) return null;
        if (e.Type is not TensorType t)
        {
            Error(DiagnosticCatalogue.TypeMismatch, e.Range, $"{Builtin.Name}: '{Text(e)}' is {e.Type.Display}, not a tensor");
            return null;
        }
        if (numeric && t.Elem.IsBool)
        {
            Error(DiagnosticCatalogue.TypeMismatch, e.Range, $"{Builtin.Name}: '{Text(e)}' is bool; a number is needed");
            return null;
        }
        return t;
    }

    /// <summary>Broadcasts the shapes of the given expressions (NumPy rules); reports a mismatch naming both.</summary>
    public Shape? Broadcast(params IrExpr?[] exprs)
    {
        Shape result = Shape.Scalar;
        IrExpr? first = null;
        foreach (var e in exprs)
        {
            if (e?.Type is not TensorType t) continue;
            var pending = new List<(Dim, Dim)>();
            var b = Broadcasting.Broadcast(result, t.Shape, pending);
            if (b is null)
            {
                Error(DiagnosticCatalogue.ShapeMismatch, Range,
                    first is null
                        ? $"{Builtin.Name}: shapes do not broadcast"
                        : $"{Builtin.Name}({Text(first)}, {Text(e)}): {Text(first)} is {((TensorType)first.Type).Display} but {Text(e)} is {t.Display}",
                    "shapes broadcast when, from the right, each pair of sizes is equal or one of them is 1");
                return null;
            }
            foreach (var (l, r) in pending)
                Deferred.Add(new DeferredDimCheck(l, r, Range,
                    $"{Builtin.Name}: sizes {l} and {r} must be equal (or one must be 1)", AllowOne: true));
            first ??= e;
            result = b;
        }
        return result;
    }

    /// <summary>The element type of a combination: promoted, and at least real when <paramref name="atLeastReal"/>.</summary>
    public static ElemType Promote(bool atLeastReal, params TensorType?[] types)
    {
        var e = ElemType.Bool;
        foreach (var t in types)
            if (t is not null) e = TensorType.Promote(e, t.Elem);
        if (atLeastReal && TensorType.Order(e) < 2) e = ElemType.Real;
        return e;
    }

    /// <summary>A compile-time integer (literals and arithmetic on them); reports otherwise.</summary>
    public long? StaticInt(IrExpr? e, string what)
    {
        if (e is null) return null;
        var v = StaticEvaluator.TryInt(e);
        if (v is null) Error(DiagnosticCatalogue.ArgumentNotWritten, e.Range, $"{Builtin.Name}: {what} must be an integer written in the model (a literal), not '{Text(e)}'");
        return v;
    }

    /// <summary>A compile-time integer or list of integers (`1` or `[0, 1]`).</summary>
    public long[]? StaticInts(IrExpr? e, string what)
    {
        if (e is null) return null;
        if (e is IrVector v)
        {
            var result = new long[v.Items.Count];
            for (int i = 0; i < result.Length; i++)
            {
                var x = StaticInt(v.Items[i], what);
                if (x is null) return null;
                result[i] = x.Value;
            }
            return result;
        }
        var single = StaticInt(e, what);
        return single is null ? null : new[] { single.Value };
    }

    public bool? StaticBool(IrExpr? e, string what)
    {
        if (e is null) return null;
        if (e is IrLiteral { Value: bool b }) return b;
        Error(DiagnosticCatalogue.ArgumentNotWritten, e.Range, $"{Builtin.Name}: {what} must be true or false written in the model");
        return null;
    }

    public double? StaticReal(IrExpr? e, string what)
    {
        if (e is null) return null;
        var v = StaticEvaluator.TryReal(e);
        if (v is null) Error(DiagnosticCatalogue.ArgumentNotWritten, e.Range, $"{Builtin.Name}: {what} must be a number written in the model");
        return v;
    }

    /// <summary>A size: a data-only int scalar; returns its symbolic dimension.</summary>
    public Dim? SizeDim(IrExpr? e, string what)
    {
        if (e is null) return null;
        if (e.Type is not TensorType { IsScalar: true } t || !t.Elem.IsInt)
        {
            Error(DiagnosticCatalogue.SizeNotFromData, e.Range, $"{Builtin.Name}: {what} must be an int, but '{Text(e)}' is {e.Type.Display}");
            return null;
        }
        var d = _static.TryDim(e);
        if (d is null) Error(DiagnosticCatalogue.SizeNotFromData, e.Range, $"{Builtin.Name}: {what} must depend only on data, but '{Text(e)}' depends on a random variable");
        return d;
    }

    /// <summary>The sizes given as the variadic arguments (`zeros(2, N)`), or null after reporting a bad one.</summary>
    public List<Dim>? VariadicSizes()
    {
        var dims = new List<Dim>();
        foreach (var e in Variadic)
        {
            var d = SizeDim(e, "a size");
            if (d is null) return null;
            dims.Add(d);
        }
        return dims;
    }

    /// <summary>The optional static `axis` parameter (default <paramref name="fallback"/>), normalised against the rank and
    /// stored as an attribute; null after reporting a bad one.</summary>
    public int? SingleAxis(int rank, long fallback)
    {
        long raw = Arg("axis") is { } a ? StaticInt(a, "axis") ?? fallback : fallback;
        var axis = Axis(raw, rank, Arg("axis")?.Range ?? Range);
        if (axis is not null) Attributes["axis"] = (long)axis.Value;
        return axis;
    }

    /// <summary>Normalises an axis against a rank (negative counts from the end); reports an out-of-range axis.</summary>
    public int? Axis(long axis, int rank, SourceRange range)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            Error(DiagnosticCatalogue.BadAxis, range, $"{Builtin.Name}: axis {axis} is out of range for a value of rank {rank}");
            return null;
        }
        return (int)a;
    }
}
