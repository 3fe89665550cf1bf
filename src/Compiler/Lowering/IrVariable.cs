using Ppl.Compiler.Semantics;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Lowering;

public enum VariableKind
{
    /// <summary>A `data` declaration.</summary>
    Data,
    /// <summary>A value computed from data only, once per binding (a data-only `let` or an extracted sub-expression).</summary>
    Hoisted,
    /// <summary>A `param`, `latent` or `observe`.</summary>
    Site,
    /// <summary>A `let` that depends on a random variable, computed at every run.</summary>
    Let,
    /// <summary>A local `let` inside a function body, or a temporary introduced by lowering.</summary>
    Local,
    /// <summary>The integer index of a comprehension.</summary>
    LoopIndex,
    /// <summary>A parameter of a user function (only inside function bodies before inlining).</summary>
    FunctionParameter,
}

/// <summary>A named value of the IR. <see cref="Batched"/> says whether it carries the leading batch dimension
/// (it depends on a random variable); it is fixed by the batching analysis.</summary>
public sealed class IrVariable(string name, VariableKind kind, SemType type, SourceRange range)
{
    public string Name { get; } = name;

    public VariableKind Kind { get; set; } = kind;

    public SemType Type { get; set; } = type;

    public SourceRange Range { get; } = range;

    public bool Batched { get; set; }

    /// <summary>Whether the value depends on data only (never on a random variable, function parameter or loop index),
    /// so it can be computed once when the data are bound.</summary>
    public bool DataOnly { get; set; }

    /// <summary>Index into the model description's data, sites or lets, for those kinds.</summary>
    public int Index { get; set; } = -1;

    public SiteRole? Role { get; set; }

    /// <summary>For a data `int` scalar: its value lives in a C# long as well (used for shapes).</summary>
    public bool IsHostInt => Kind == VariableKind.Data && Type is TensorType { IsScalar: true } t && t.Elem.IsInt;

    public override string ToString() => Name;
}
