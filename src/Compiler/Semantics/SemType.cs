using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>The static type of a value: a tensor (element type and event shape), an object produced by a library
/// builtin (a cosmology, tomographic bins, an eigen-decomposition) with typed fields, or a function.</summary>
public abstract record SemType
{
    public abstract string Display { get; }

    public override string ToString() => Display;
}

public sealed record TensorType(ElemType Elem, Shape Shape) : SemType
{
    public static TensorType RealScalar => new(ElemType.Real, Shape.Scalar);

    public static TensorType IntScalar => new(ElemType.Int, Shape.Scalar);

    public static TensorType BoolScalar => new(ElemType.Bool, Shape.Scalar);

    public int Rank => Shape.Rank;

    public bool IsScalar => Shape.Rank == 0;

    public TensorType WithElem(ElemType e) => new(e, Shape);

    public TensorType WithShape(Shape s) => new(Elem, s);

    public override string Display => ElemName(Elem) + Shape;

    public static string ElemName(ElemType e) =>
        e.IsReal ? "real" : e.IsInt ? "int" : e.IsBool ? "bool" : "complex";

    /// <summary>Rank of an element type in promotion order bool &lt; int &lt; real &lt; complex.</summary>
    public static int Order(ElemType e) => e.IsBool ? 0 : e.IsInt ? 1 : e.IsReal ? 2 : 3;

    public static ElemType Promote(ElemType a, ElemType b) => Order(a) >= Order(b) ? a : b;
}

/// <summary>A value produced by a library builtin, with named fields of known types.</summary>
public sealed record ObjectType(string Kind, IReadOnlyDictionary<string, SemType> Fields) : SemType
{
    public override string Display => Kind;

    public bool Equals(ObjectType? other) => other is not null && other.Kind == Kind;

    public override int GetHashCode() => Kind.GetHashCode();
}

/// <summary>A user function used as a value (passed to `odeint`).</summary>
public sealed record FunctionType(string Name, IReadOnlyList<TensorType> Parameters, TensorType Result) : SemType
{
    public override string Display => $"fun {Name}({string.Join(", ", Parameters.Select(p => p.Display))}) -> {Result.Display}";
}

/// <summary>The type of an expression that already failed to check; it never causes further errors.</summary>
public sealed record ErrorType : SemType
{
    public static readonly ErrorType Instance = new();

    public override string Display => "<error>";
}
