using Ppl.Compiler.Semantics;
using Ppl.Dsl;

namespace Ppl.Compiler.Lowering;

/// <summary>A user function, checked once against its declared parameter types; calls are inlined by lowering.</summary>
public sealed class IrFunction(string name, IReadOnlyList<IrVariable> parameters, TensorType result, SourceRange range)
{
    public string Name { get; } = name;

    public IReadOnlyList<IrVariable> Parameters { get; } = parameters;

    public TensorType Result { get; } = result;

    public SourceRange Range { get; } = range;

    /// <summary>Local lets then the result, as checked.</summary>
    public IrExpr Body { get; set; } = null!;

    /// <summary>The function's type, or the error type when a parameter's declared type was invalid (already reported).</summary>
    public SemType Type => Parameters.All(p => p.Type is TensorType)
        ? new FunctionType(Name, Parameters.Select(p => (TensorType)p.Type).ToList(), Result)
        : ErrorType.Instance;
}
