namespace Ppl.Compiler.Semantics;

/// <summary>Every builtin function of the language, by name, and the builtin constants.</summary>
public static class BuiltinCatalog
{
    private static readonly Dictionary<string, Builtin> ByName =
        ElementwiseBuiltins.All()
            .Concat(ReductionBuiltins.All())
            .Concat(ShapeBuiltins.All())
            .Concat(LinearAlgebraBuiltins.All())
            .Concat(CreationBuiltins.All())
            .Concat(SpectralBuiltins.All())
            .Concat(NumericalBuiltins.All())
            .Concat(CosmologyBuiltins.All())
            .ToDictionary(b => b.Name);

    /// <summary>Names reserved for operators (not callable by name).</summary>
    private static readonly HashSet<string> Operators = new() { "add", "sub", "mul", "div", "mod", "neg", "not", "and", "or", "eq", "ne", "lt", "le", "gt", "ge" };

    public static IEnumerable<Builtin> All => ByName.Values;

    public static Builtin Get(string name) => ByName[name];

    /// <summary>A builtin callable by name from a model (operators excluded).</summary>
    public static Builtin? FindCallable(string name) => !Operators.Contains(name) && ByName.TryGetValue(name, out var b) ? b : null;

    /// <summary>Builtin constants: `pi`, `inf`.</summary>
    public static readonly IReadOnlyDictionary<string, double> Constants = new Dictionary<string, double>
    {
        ["pi"] = Math.PI,
        ["inf"] = double.PositiveInfinity,
    };
}
