using Ppl.Compiler.Semantics;
using Ppl.Dsl;

namespace Ppl.Compiler.Lowering;

/// <summary>A typed IR expression. <see cref="Batched"/> is set by the batching analysis.</summary>
public abstract class IrExpr(SemType type, SourceRange range)
{
    public SemType Type { get; set; } = type;

    public SourceRange Range { get; } = range;

    public bool Batched { get; set; }

    public TensorType? Tensor => Type as TensorType;

    /// <summary>Event rank (0 for non-tensors).</summary>
    public int Rank => Type is TensorType t ? t.Rank : 0;

    public abstract IEnumerable<IrExpr> Children { get; }
}

/// <summary>A literal number or boolean; <see cref="Value"/> is a double, long or bool.</summary>
public sealed class IrLiteral(object value, SemType type, SourceRange range) : IrExpr(type, range)
{
    public object Value { get; } = value;

    public override IEnumerable<IrExpr> Children => Array.Empty<IrExpr>();
}

public sealed class IrVarRef(IrVariable variable, SourceRange range) : IrExpr(variable.Type, range)
{
    public IrVariable Variable { get; } = variable;

    public override IEnumerable<IrExpr> Children => Array.Empty<IrExpr>();
}

/// <summary>An operator or builtin applied to arguments. <see cref="Args"/> follows the builtin's parameters (null where an
/// optional one was omitted, and at the variadic parameter, whose values are in <see cref="Variadic"/>).
/// <see cref="Attributes"/> holds the values of static parameters (axes, permutations, options) already validated.</summary>
public sealed class IrCall(Builtin builtin, IReadOnlyList<IrExpr?> args, IReadOnlyList<IrExpr> variadic, SemType type, SourceRange range,
    IReadOnlyDictionary<string, object>? attributes = null)
    : IrExpr(type, range)
{
    /// <summary>A call of a builtin with all its parameters given positionally.</summary>
    public IrCall(Builtin builtin, IReadOnlyList<IrExpr> args, SemType type, SourceRange range)
        : this(builtin, args, Array.Empty<IrExpr>(), type, range)
    {
    }

    public Builtin Builtin { get; } = builtin;

    public IReadOnlyList<IrExpr?> Args { get; set; } = args;

    public IReadOnlyList<IrExpr> Variadic { get; set; } = variadic;

    public IReadOnlyDictionary<string, object> Attributes { get; } = attributes ?? new Dictionary<string, object>();

    /// <summary>The argument of a non-variadic parameter by name, or null.</summary>
    public IrExpr? Arg(string name)
    {
        for (int i = 0; i < Builtin.Parameters.Count; i++)
            if (Builtin.Parameters[i].Name == name) return i < Args.Count ? Args[i] : null;
        return null;
    }

    public override IEnumerable<IrExpr> Children => Args.Where(a => a is not null).Select(a => a!).Concat(Variadic);
}

public abstract record IrIndexItem;

public sealed record IrIndexSingle(IrExpr Value) : IrIndexItem;

public sealed record IrIndexSlice(IrExpr? Start, IrExpr? Stop, IrExpr? Step) : IrIndexItem;

public sealed record IrIndexEllipsis : IrIndexItem;

public sealed record IrIndexNewAxis : IrIndexItem;

public sealed class IrIndex(IrExpr target, IReadOnlyList<IrIndexItem> items, SemType type, SourceRange range) : IrExpr(type, range)
{
    public IrExpr Target { get; set; } = target;

    public IReadOnlyList<IrIndexItem> Items { get; set; } = items;

    public override IEnumerable<IrExpr> Children
    {
        get
        {
            yield return Target;
            foreach (var item in Items)
            {
                switch (item)
                {
                    case IrIndexSingle s: yield return s.Value; break;
                    case IrIndexSlice sl:
                        if (sl.Start is not null) yield return sl.Start;
                        if (sl.Stop is not null) yield return sl.Stop;
                        if (sl.Step is not null) yield return sl.Step;
                        break;
                }
            }
        }
    }
}

/// <summary>`[a, b, c]`: stacks the items (broadcast to a common shape) along a new leading event axis.</summary>
public sealed class IrVector(IReadOnlyList<IrExpr> items, SemType type, SourceRange range) : IrExpr(type, range)
{
    public IReadOnlyList<IrExpr> Items { get; set; } = items;

    public override IEnumerable<IrExpr> Children => Items;
}

/// <summary>`[body for i in lo:hi]` with static integer bounds.</summary>
public sealed class IrComprehension(IrVariable index, IrExpr lo, IrExpr hi, IrExpr body, SemType type, SourceRange range) : IrExpr(type, range)
{
    public IrVariable Index { get; } = index;

    public IrExpr Lo { get; set; } = lo;

    public IrExpr Hi { get; set; } = hi;

    public IrExpr Body { get; set; } = body;

    public override IEnumerable<IrExpr> Children => new[] { Lo, Hi, Body };
}

/// <summary>`if c then a else b`: a branch when c is a data-only scalar, elementwise selection otherwise.</summary>
public sealed class IrConditional(IrExpr condition, IrExpr then, IrExpr @else, SemType type, SourceRange range) : IrExpr(type, range)
{
    public IrExpr Condition { get; set; } = condition;

    public IrExpr Then { get; set; } = then;

    public IrExpr Else { get; set; } = @else;

    public override IEnumerable<IrExpr> Children => new[] { Condition, Then, Else };
}

/// <summary>A field of a library object (`bins.n_gal`).</summary>
public sealed class IrField(IrExpr target, string name, SemType type, SourceRange range) : IrExpr(type, range)
{
    public IrExpr Target { get; set; } = target;

    public string Name { get; } = name;

    public override IEnumerable<IrExpr> Children => new[] { Target };
}

/// <summary>Local bindings followed by a result: what an inlined function call becomes.</summary>
public sealed class IrBlock(IReadOnlyList<(IrVariable Variable, IrExpr Value)> lets, IrExpr result, SourceRange range) : IrExpr(result.Type, range)
{
    public IReadOnlyList<(IrVariable Variable, IrExpr Value)> Lets { get; set; } = lets;

    public IrExpr Result { get; set; } = result;

    /// <summary>For an inlined function call: the call's range (the body's ranges are the function's own lines).</summary>
    public SourceRange? CallSite { get; init; }

    /// <summary>For an inlined function call: how many leading lets bind the parameters to the call's arguments (those
    /// are evaluated at the call site; the rest are the function's body).</summary>
    public int ArgumentLets { get; init; }

    public override IEnumerable<IrExpr> Children => Lets.Select(l => l.Value).Append(Result);
}

/// <summary>A call of a user function, before inlining.</summary>
public sealed class IrUserCall(IrFunction function, IReadOnlyList<IrExpr> args, SourceRange range) : IrExpr(function.Result, range)
{
    public IrFunction Function { get; } = function;

    public IReadOnlyList<IrExpr> Args { get; set; } = args;

    public override IEnumerable<IrExpr> Children => Args;
}

/// <summary>A user function passed as a value (to `odeint`).</summary>
public sealed class IrFunctionRef(IrFunction function, SourceRange range) : IrExpr(function.Type, range)
{
    public IrFunction Function { get; } = function;

    public override IEnumerable<IrExpr> Children => Array.Empty<IrExpr>();
}

/// <summary>A lambda made from an inlined function body (the argument of `odeint`); its parameters are bound by the callee.</summary>
public sealed class IrLambda(IReadOnlyList<IrVariable> parameters, IrExpr body, SemType type, SourceRange range) : IrExpr(type, range)
{
    public IReadOnlyList<IrVariable> Parameters { get; } = parameters;

    public IrExpr Body { get; set; } = body;

    public override IEnumerable<IrExpr> Children => new[] { Body };
}

/// <summary>A distribution with its arguments in the signature's parameter order (null for an omitted optional one). A
/// mixture has its weights as its only argument and its component distributions in <see cref="Components"/>.</summary>
public sealed class IrDistribution(DistributionSignature signature, IReadOnlyList<IrExpr?> args, TensorType valueType, SourceRange range)
    : IrExpr(valueType, range)
{
    public DistributionSignature Signature { get; } = signature;

    public IReadOnlyList<IrExpr?> Args { get; set; } = args;

    /// <summary>The components of a <c>Mixture</c> (K of them) or <c>MixtureSameFamily</c> (one); empty otherwise.</summary>
    public IReadOnlyList<IrDistribution> Components { get; set; } = Array.Empty<IrDistribution>();

    /// <summary>The support: the signature's, or for a mixture its components' when they all have the same kind (the
    /// bounds are the first component's), else the reals.</summary>
    public SupportInfo Support()
    {
        if (Components.Count == 0) return Signature.Support(Args);
        var supports = Components.Select(c => c.Support()).ToList();
        return supports.All(s => s.Kind == supports[0].Kind) ? supports[0] : new SupportInfo(Runtime.Distributions.SupportKind.Real);
    }

    /// <summary>Whether the values are integers.</summary>
    public bool IsDiscrete => Components.Count > 0 ? Components[0].IsDiscrete : Signature.IsDiscrete;

    /// <summary>This distribution and, for a mixture, its components (recursively).</summary>
    public IEnumerable<IrDistribution> SelfAndComponents() => Components.SelectMany(c => c.SelfAndComponents()).Prepend(this);

    public override IEnumerable<IrExpr> Children => Args.Where(a => a is not null).Concat(Components)!;
}
