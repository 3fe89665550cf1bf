namespace Ppl.Compiler.Semantics;

/// <summary>How a builtin's call is turned into C#.</summary>
public enum EmitStyle
{
    /// <summary>Elementwise: arguments aligned to the result's rank, then a TorchSharp function/method/operator named by
    /// <see cref="Builtin.Target"/> (a template with {0}, {1}… for the arguments).</summary>
    Elementwise,
    /// <summary>A method of the runtime library <c>Ppl.Runtime.Language.Lib</c>, named by <see cref="Builtin.Target"/>,
    /// called with each tensor argument followed by its batched flag, then host sizes, then attributes in order.</summary>
    Library,
    /// <summary>Handled specially by the emitter (vectors, odeint, objects).</summary>
    Special,
}

/// <summary>What an argument of a builtin must be.</summary>
public enum ArgKind
{
    /// <summary>Any tensor expression.</summary>
    Tensor,
    /// <summary>A size: a data-only `int` scalar expression (becomes a C# long, and a <see cref="Dim"/> in shapes).</summary>
    Size,
    /// <summary>A compile-time constant (axis, permutation, option); stored in the call's attributes.</summary>
    Static,
    /// <summary>A user function.</summary>
    Function,
    /// <summary>A library object (cosmology, bins…).</summary>
    Object,
}

/// <summary>A parameter of a builtin. <paramref name="Optional"/> parameters may be omitted; <paramref name="Default"/> is the
/// value of an omitted static one.</summary>
public sealed record BuiltinParameter(string Name, ArgKind Kind, bool Optional = false, object? Default = null);

/// <summary>A function of the language's standard library, with its typing rule.</summary>
public sealed class Builtin
{
    public Builtin(string name, EmitStyle style, string target, IReadOnlyList<BuiltinParameter> parameters,
        Func<CallTyping, SemType?> check, string summary)
    {
        Name = name;
        Style = style;
        Target = target;
        Parameters = parameters;
        Check = check;
        Summary = summary;
    }

    public string Name { get; }

    public EmitStyle Style { get; }

    /// <summary>The C# template (elementwise) or library method name.</summary>
    public string Target { get; }

    public IReadOnlyList<BuiltinParameter> Parameters { get; }

    /// <summary>The index of the parameter that takes any number of positional values (e.g. the sizes of `zeros(2, 3, 4)`,
    /// the items of `stack(a, b, c)`), or -1. Parameters after it can only be given by name.</summary>
    public int VariadicIndex { get; init; } = -1;

    public bool Variadic => VariadicIndex >= 0;

    /// <summary>Whether gradients flow through it (false for floor, round, sign, comparisons…).</summary>
    public bool Differentiable { get; init; } = true;

    /// <summary>Whether the runtime method creates tensors and so takes the model's real type and device last.</summary>
    public bool Creates { get; init; }

    /// <summary>The typing rule: the result type, or null after reporting an error.</summary>
    public Func<CallTyping, SemType?> Check { get; }

    /// <summary>One-line description for the language reference.</summary>
    public string Summary { get; }

    public override string ToString() => Name;
}
