using System.Globalization;
using Ppl.Compiler.Lowering;
using Ppl.Compiler.Semantics;
using Ppl.Dsl;

namespace Ppl.Compiler.CodeGen;

/// <summary>
/// C# names of IR variables (prefixed by kind so user names never clash with C# keywords or the generated code's own
/// names: d_ data, h_ binding-time values, s_ sites, l_ lets, v_ locals, i_ indices), temporaries, and the constant
/// tensors created at binding time.
/// </summary>
internal sealed class EmitNames
{
    private readonly Dictionary<IrVariable, Code> _variables = new();
    private readonly Dictionary<string, IrVariable> _dataByName = new();
    private readonly Dictionary<(string, string), string> _constants = new();
    private int _counter;

    public List<(string Name, string Init)> Constants { get; } = new();

    /// <summary>Object kinds of the language and the runtime types that implement them.</summary>
    private static readonly Dictionary<string, string> ObjectTypes = new()
    {
        ["eigh"] = "Ppl.Runtime.Language.EighResult",
        ["cosmology"] = "Ppl.Runtime.Language.CosmologyObject",
        ["redshift_bins"] = "Ppl.Runtime.Language.RedshiftBinsObject",
        ["weak_lensing"] = "Ppl.Runtime.Language.WeakLensingObject",
        ["shift_table"] = "Ppl.Runtime.Language.ShiftTableObject",
    };

    public static string ObjectTypeName(ObjectType t) =>
        ObjectTypes.TryGetValue(t.Kind, out var name) ? name : throw new InvalidOperationException($"no runtime type for {t.Kind}");

    public void Define(IrVariable v, string name, Repr repr)
    {
        _variables[v] = new Code(name, repr);
        if (v.Kind == VariableKind.Data) _dataByName[v.Name] = v;
    }

    public Code Lookup(IrVariable v) =>
        _variables.TryGetValue(v, out var c) ? c : throw new InvalidOperationException($"no C# name for '{v.Name}' ({v.Kind})");

    /// <summary>The C# long holding an `int` data size.</summary>
    public string DataSize(string name) => _variables[_dataByName[name]].Text;

    public string Local(IrVariable v, Repr repr)
    {
        var prefix = v.Kind == VariableKind.LoopIndex ? "i_" : "v_";
        var name = $"{prefix}{v.Name}_{++_counter}";
        _variables[v] = new Code(name, repr);
        return name;
    }

    public string Temp(string hint) => $"t_{hint}_{++_counter}";

    /// <summary>A constant tensor field created once at binding time.</summary>
    public string Constant(object value, ElemType elem)
    {
        string init, key;
        if (elem.IsBool)
        {
            bool b = value is bool bb ? bb : System.Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0;
            key = b ? "true" : "false";
            init = $"Lib.Constant({key}, _device)";
        }
        else if (elem.IsInt)
        {
            key = System.Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L";
            init = $"Lib.Constant({key}, _device)";
        }
        else
        {
            key = ExpressionEmitter.DoubleText(System.Convert.ToDouble(value, CultureInfo.InvariantCulture));
            init = $"Lib.Constant({key}, _real, _device)";
        }
        var k = (key, TensorType.ElemName(elem));
        if (_constants.TryGetValue(k, out var existing)) return existing;
        var name = $"k_{Constants.Count}";
        _constants[k] = name;
        Constants.Add((name, init));
        return name;
    }

    /// <summary>snake_case to PascalCase for library object fields (n_gal → NGal).</summary>
    public static string Pascal(string name) =>
        string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
