using System.Globalization;
using Ppl.Compiler.Lowering;
using Ppl.Compiler.Semantics;
using Ppl.Dsl;

namespace Ppl.Compiler.CodeGen;

/// <summary>How an emitted C# expression holds its value.</summary>
internal enum Repr
{
    /// <summary>A TorchSharp tensor ([B, ...event] when batched).</summary>
    Tensor,
    /// <summary>A C# long: an int scalar computed from data sizes, literals and comprehension indices.</summary>
    HostLong,
    /// <summary>A C# double literal or arithmetic on host values.</summary>
    HostDouble,
    HostBool,
    /// <summary>A library object (cosmology, eigen-decomposition).</summary>
    Object,
}

internal readonly record struct Code(string Text, Repr Repr)
{
    public bool IsHost => Repr is Repr.HostLong or Repr.HostDouble or Repr.HostBool;
}

/// <summary>
/// Turns IR expressions into C# expressions. Statements that an expression needs first (block lets, comprehension
/// loops, branches) are appended to the current statement list, so the returned text can be used in place.
/// </summary>
internal sealed partial class ExpressionEmitter
{
    private readonly EmitNames _names;
    private Stack<List<CsStatement>> _statements = new();

    public ExpressionEmitter(EmitNames names) => _names = names;

    /// <summary>The code of `B`, the batch size, where it is known (in Run).</summary>
    public string? BatchSize { get; set; }

    /// <summary>Emits into <paramref name="target"/> while <paramref name="body"/> runs.</summary>
    public T Into<T>(List<CsStatement> target, Func<T> body)
    {
        _statements.Push(target);
        try { return body(); }
        finally { _statements.Pop(); }
    }

    private void Add(CsStatement s) => _statements.Peek().Add(s);

    private void Add(string line) => Add(new CsLine(line));

    /// <summary>Sub-expressions already computed into a local (loop-invariant parts of an ODE right-hand side).</summary>
    private readonly Dictionary<IrExpr, Code> _precomputed = new(ReferenceEqualityComparer.Instance);

    public Code Emit(IrExpr e) => _precomputed.TryGetValue(e, out var known) ? known : e switch
    {
        IrLiteral l => Literal(l),
        IrVarRef r => _names.Lookup(r.Variable),
        IrCall c => EmitCall(c),
        IrDistribution => throw new InvalidOperationException("distributions are emitted by the site"),
        IrIndex ix => EmitIndex(ix),
        IrVector v => EmitVector(v),
        IrComprehension c => EmitComprehension(c),
        IrConditional c => EmitConditional(c),
        IrField f => EmitField(f),
        IrBlock b => EmitBlock(b),
        IrScan s => EmitScan(s),
        IrSiteStep step => EmitSiteStep(step),
        _ => throw new InvalidOperationException($"cannot emit {e.GetType().Name}"),
    };

    /// <summary>The value as a tensor of its IR element type (host values become constants).</summary>
    public string Tensor(IrExpr e) => AsTensor(Emit(e), e);

    public string AsTensor(Code c, IrExpr e)
    {
        if (!c.IsHost) return c.Text;
        if (e is IrLiteral l) return _names.Constant(l.Value, ((TensorType)e.Type).Elem);
        var elem = ((TensorType)e.Type).Elem;
        return c.Repr switch
        {
            Repr.HostBool => $"Lib.Constant({c.Text}, _device)",
            Repr.HostLong when elem.IsInt => $"Lib.Constant({c.Text}, _device)",
            _ => $"Lib.Constant((double)({c.Text}), _real, _device)",
        };
    }

    /// <summary>The value as a C# long (sizes, indices, loop bounds).</summary>
    public string Long(IrExpr e)
    {
        var c = Emit(e);
        return c.Repr switch
        {
            Repr.HostLong => c.Text,
            Repr.HostDouble => $"(long)({c.Text})",
            _ => $"Lib.ToLong({c.Text})",
        };
    }

    /// <summary>A size as a C# long expression, or null when it cannot be computed before running.</summary>
    public string? DimCode(Dim d)
    {
        if (d.IsOpaque)
            return d.OpaqueSource switch
            {
                IrExpr source => Long(source),
                DimArithmetic { Left: var l, Right: var r, Operator: var op } => DimCode(l) is { } a && DimCode(r) is { } b ? $"({a} {op} {b})" : null,
                _ => null,
            };
        var parts = new List<string>();
        foreach (var (name, k) in d.Terms)
        {
            var v = _names.DataSize(name);
            parts.Add(k == 1 ? v : $"{k}L * {v}");
        }
        if (d.Constant != 0 || parts.Count == 0) parts.Add(d.Constant.ToString(CultureInfo.InvariantCulture) + "L");
        return parts.Count == 1 ? parts[0] : "(" + string.Join(" + ", parts) + ")";
    }

    public string? ShapeCode(Shape s)
    {
        var dims = s.Dims.Select(DimCode).ToList();
        if (dims.Any(d => d is null)) return null;
        return dims.Count == 0 ? "System.Array.Empty<long>()" : "new long[] { " + string.Join(", ", dims) + " }";
    }

    private static Code Literal(IrLiteral l) => l.Value switch
    {
        long v => new Code(v.ToString(CultureInfo.InvariantCulture) + "L", Repr.HostLong),
        bool b => new Code(b ? "true" : "false", Repr.HostBool),
        double d => new Code(DoubleText(d), Repr.HostDouble),
        _ => throw new InvalidOperationException("unknown literal"),
    };

    public static string DoubleText(double d)
    {
        if (double.IsPositiveInfinity(d)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(d)) return "double.NegativeInfinity";
        if (double.IsNaN(d)) return "double.NaN";
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    private Code EmitBlock(IrBlock b)
    {
        if (b.CallSite is { } callSite && Locate is not null) return EmitInlinedCall(b, callSite, Locate);
        foreach (var (v, value) in b.Lets) EmitBlockLet(v, value);
        return Emit(b.Result);
    }

    private void EmitBlockLet(IrVariable v, IrExpr value)
    {
        var c = Emit(value);
        if (value is IrScan)
        {
            // A loop object is a set of locals named after it.
            _names.Define(v, c.Text, Repr.Object);
            return;
        }
        var name = _names.Local(v, c.Repr);
        Add($"var {name} = {c.Text};");
    }

    /// <summary>
    /// The active index of the location table (<c>_at</c>) where the current statement is emitted; the model emitter sets
    /// it with each statement's <c>_at</c>.
    /// </summary>
    public int CurrentLocation { get; set; } = -1;

    /// <summary>Adds a location to the table: a range and the call sites it is reached through, innermost first.</summary>
    public Func<SourceRange, IReadOnlyList<SourceRange>, int>? Locate { get; set; }

    private readonly Stack<SourceRange> _callSites = new();

    /// <summary>
    /// An inlined user function: the arguments are evaluated where the call is; each statement of the body, and its result,
    /// first records its own line in the function with the chain of call sites, so a failure inside the function is
    /// located there with "called from"; the caller's location is restored after the call.
    /// </summary>
    private Code EmitInlinedCall(IrBlock b, SourceRange callSite, Func<SourceRange, IReadOnlyList<SourceRange>, int> locate)
    {
        for (int i = 0; i < b.ArgumentLets && i < b.Lets.Count; i++) EmitBlockLet(b.Lets[i].Variable, b.Lets[i].Value);
        int caller = CurrentLocation;
        _callSites.Push(callSite);
        try
        {
            for (int i = b.ArgumentLets; i < b.Lets.Count; i++)
            {
                SetLocation(locate(b.Lets[i].Value.Range, _callSites.ToList()));
                EmitBlockLet(b.Lets[i].Variable, b.Lets[i].Value);
            }
            SetLocation(locate(b.Result.Range, _callSites.ToList()));
            var result = Emit(b.Result);
            if (result.IsHost && b.Result is IrLiteral) return result;
            var name = _names.Temp("result");
            Add($"var {name} = {result.Text};");
            return new Code(name, result.Repr);
        }
        finally
        {
            _callSites.Pop();
            SetLocation(caller);
        }
    }

    private void SetLocation(int index)
    {
        CurrentLocation = index;
        Add($"_at = {index};");
    }

    private Code EmitField(IrField f)
    {
        var target = Emit(f.Target);
        if (f.Target.Type is ObjectType { Kind: var kind } && kind.StartsWith("loop ", StringComparison.Ordinal))
            return new Code($"{target.Text}_{f.Name}", Repr.Tensor);
        return new Code($"{target.Text}.{EmitNames.Pascal(f.Name)}", f.Type is ObjectType ? Repr.Object : Repr.Tensor);
    }

    private Code EmitVector(IrVector v)
    {
        var type = (TensorType)v.Type;
        if (v.Items.All(i => i is IrLiteral))
        {
            var values = string.Join(", ", v.Items.Select(i => DoubleText(Convert.ToDouble(((IrLiteral)i).Value, CultureInfo.InvariantCulture))));
            return type.Elem.IsReal || type.Elem.IsComplex
                ? new Code($"Lib.Vector(new double[] {{ {values} }}, _real, _device)", Repr.Tensor)
                : new Code($"Lib.Vector(new long[] {{ {string.Join(", ", v.Items.Select(i => Convert.ToInt64(((IrLiteral)i).Value, CultureInfo.InvariantCulture)))} }}, _device)", Repr.Tensor);
        }
        var items = v.Items.Select(i => Ev(i, type.Elem)).ToList();
        return new Code($"Lib.Stack(new Ev[] {{ {string.Join(", ", items)} }}, 0L)", Repr.Tensor);
    }

    /// <summary>`new Ev(tensor, batched)`, converted to real where the result is real.</summary>
    public string Ev(IrExpr e, ElemType target)
    {
        var t = TensorOf(e, target);
        return $"new Ev({t}, {(e.Batched ? "true" : "false")})";
    }

    /// <summary>The value as a tensor of element type <paramref name="target"/>: an int or bool literal needed as a real
    /// becomes a real constant created once at binding (not an int constant converted on every call).</summary>
    public string TensorOf(IrExpr e, ElemType target) =>
        LiteralAs(e, target) ?? ToElem(Tensor(e), e, target);

    /// <summary>A real constant for an int or bool literal needed as a real; null otherwise.</summary>
    public string? LiteralAs(IrExpr e, ElemType target) =>
        e is IrLiteral l && target.IsReal && e.Type is TensorType t && !t.Elem.IsReal && !t.Elem.IsComplex
            ? _names.Constant(l.Value is bool b ? (b ? 1.0 : 0.0) : l.Value, target)
            : null;

    /// <summary>Converts int/bool tensors to the model's real type when a real (or complex) value is needed.</summary>
    public static string ToElem(string code, IrExpr e, ElemType target)
    {
        if (e.Type is TensorType t && TensorType.Order(t.Elem) < 2 && TensorType.Order(target) >= 2)
            return $"Lib.ToReal({code}, _real)";
        if (e.Type is TensorType t2 && t2.Elem.IsBool && target.IsInt)
            return $"Lib.ToInt({code})";
        return code;
    }

    private Code EmitComprehension(IrComprehension c)
    {
        var lo = Long(c.Lo);
        var hi = Long(c.Hi);
        var list = _names.Temp("items");
        var index = _names.Local(c.Index, Repr.HostLong);
        Add($"var {list} = new System.Collections.Generic.List<Tensor>();");
        var body = new List<CsStatement>();
        var item = Into(body, () => TensorOf(c.Body, ((TensorType)c.Type).Elem));
        body.Add(new CsLine($"{list}.Add({item});"));
        Add(new CsBlock($"for (long {index} = {lo}; {index} < {hi}; {index}++)", body));
        return new Code($"Lib.StackList({list}, {(c.Body.Batched ? "true" : "false")})", Repr.Tensor);
    }

    /// <summary>Statements appended to Bind after the data and hoisted values: data-only conditions of Run, decided once.</summary>
    public List<CsStatement> BindTail { get; } = new();

    /// <summary>The host bool fields that <see cref="BindTail"/> sets.</summary>
    public List<string> BindConditions { get; } = new();

    /// <summary>True when an expression reads only data, hoisted values and literals (no locals, functions or
    /// comprehension indices), so that it can be evaluated at the end of Bind.</summary>
    private static bool IsBindTime(IrExpr e) => e switch
    {
        IrLiteral => true,
        IrVarRef v => v.Variable.Kind is VariableKind.Data or VariableKind.Hoisted,
        IrCall or IrIndex or IrVector or IrConditional or IrField => !e.Batched && e.Children.All(IsBindTime),
        _ => false,
    };

    private Code EmitConditional(IrConditional c)
    {
        string condText;
        if (BatchSize is not null && !c.Condition.Batched && IsBindTime(c.Condition))
        {
            // A data-only condition in Run: decided once at binding, not re-tested (a device sync on a GPU) on every call.
            var field = $"c_{BindConditions.Count}";
            BindConditions.Add(field);
            var batch = BatchSize;
            BatchSize = null;
            var text = Into(BindTail, () =>
            {
                var bound = Emit(c.Condition);
                return bound.Repr == Repr.HostBool ? bound.Text : $"Lib.IsTrue({bound.Text})";
            });
            BatchSize = batch;
            BindTail.Add(new CsLine($"{field} = {text};"));
            condText = field;
        }
        else
        {
            var cond = Emit(c.Condition);
            condText = cond.Repr == Repr.HostBool ? cond.Text : $"Lib.IsTrue({cond.Text})";
        }
        var result = _names.Temp("branch");
        bool isObject = c.Type is ObjectType;
        Add($"{(isObject ? EmitNames.ObjectTypeName((ObjectType)c.Type) : "Tensor")} {result};");
        var thenBody = new List<CsStatement>();
        var elseBody = new List<CsStatement>();
        var elem = (c.Type as TensorType)?.Elem ?? ElemType.Real;
        var a = Into(thenBody, () => isObject ? Emit(c.Then).Text : Branch(c.Then, c, elem));
        thenBody.Add(new CsLine($"{result} = {a};"));
        var b = Into(elseBody, () => isObject ? Emit(c.Else).Text : Branch(c.Else, c, elem));
        elseBody.Add(new CsLine($"{result} = {b};"));
        Add(new CsBlock($"if ({condText})", thenBody));
        Add(new CsBlock("else", elseBody));
        return new Code(result, isObject ? Repr.Object : Repr.Tensor);
    }

    /// <summary>A branch of a conditional in the conditional's form: same element type, and batched (with the batch
    /// axis first and the full event rank) when the other branch is.</summary>
    private string Branch(IrExpr branch, IrConditional c, ElemType elem)
    {
        var code = AlignTo(TensorOf(branch, elem), branch, c.Rank);
        if (c.Batched && !branch.Batched)
        {
            var shape = ShapeCode(((TensorType)c.Type).Shape);
            code = shape is null
                ? $"Lib.ExpandBatch({code}, {BatchSize ?? "1L"})"
                : $"Lib.ExpandBatch(Lib.BroadcastTo(new Ev({code}, false), {shape}), {BatchSize ?? "1L"})";
        }
        return code;
    }

    /// <summary>Inserts axes after the batch axis so a batched value of lower event rank broadcasts like NumPy.</summary>
    public static string AlignTo(string code, IrExpr e, int rank)
    {
        if (!e.Batched || e.Rank >= rank) return code;
        return $"Lib.Align({code}, {rank - e.Rank})";
    }

    private Code EmitIndex(IrIndex ix)
    {
        var target = Tensor(ix.Target);
        var items = new List<string>();
        if (ix.Target.Batched) items.Add("TensorIndex.Colon");
        foreach (var item in ix.Items)
        {
            items.Add(item switch
            {
                IrIndexSingle { Value.Type: TensorType { IsScalar: true } } s => $"TensorIndex.Single({Long(s.Value)})",
                IrIndexSingle s => $"TensorIndex.Tensor({Tensor(s.Value)})",
                IrIndexSlice sl => $"TensorIndex.Slice({Optional(sl.Start)}, {Optional(sl.Stop)}, {Step(sl.Step)})",
                IrIndexEllipsis => "TensorIndex.Ellipsis",
                _ => "TensorIndex.None",
            });
        }
        return new Code($"{target}[{string.Join(", ", items)}]", Repr.Tensor);

        string Optional(IrExpr? e) => e is null ? "null" : Long(e);
        // A step computed from data is checked first: libtorch aborts the process on a zero step.
        string Step(IrExpr? e) => e is null ? "null" : e is IrLiteral { Value: long v } && v > 0 ? Long(e) : $"Lib.SliceStep({Long(e)})";
    }
}
