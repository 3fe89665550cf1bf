using System.Globalization;
using Ppl.Compiler.Lowering;
using Ppl.Compiler.Semantics;
using Ppl.Dsl;

namespace Ppl.Compiler.CodeGen;

internal sealed partial class ExpressionEmitter
{
    private static readonly Dictionary<string, string> Operators = new()
    {
        ["add"] = "+", ["sub"] = "-", ["mul"] = "*", ["div"] = "/", ["mod"] = "%",
    };

    private static readonly Dictionary<string, string> TensorArithmeticMethods = new()
    {
        ["add"] = "Add", ["sub"] = "Sub", ["mul"] = "Mul", ["div"] = "Div",
    };

    private Code EmitCall(IrCall c)
    {
        return c.Builtin.Style switch
        {
            EmitStyle.Elementwise => EmitElementwise(c),
            EmitStyle.Library => EmitLibrary(c),
            _ => EmitOde(c),
        };
    }

    /// <summary>Functions of one real folded at compile time when their argument is a literal.</summary>
    private static readonly Dictionary<string, Func<double, double>> FoldedFunctions = new()
    {
        ["sqrt"] = Math.Sqrt, ["log"] = Math.Log, ["exp"] = Math.Exp,
    };

    /// <summary>`sqrt(2)`, `log(10)`, `exp(1)`: the value as a real constant made once at binding (null when the call is
    /// not such a function of a literal, or its value is not finite).</summary>
    private string? FoldedConstant(IrCall c, TensorType type)
    {
        if (c.Args.Count != 1 || c.Args[0] is not IrLiteral { Value: not bool } literal || !type.Elem.IsReal
            || !FoldedFunctions.TryGetValue(c.Builtin.Name, out var f)) return null;
        var value = f(Convert.ToDouble(literal.Value, CultureInfo.InvariantCulture));
        return double.IsFinite(value) ? _names.Constant(value, ElemType.Real) : null;
    }

    private static bool IsLiteralTwo(IrExpr e) =>
        e is IrLiteral { Value: double or long } l && Convert.ToDouble(l.Value, CultureInfo.InvariantCulture) == 2.0;

    private Code EmitElementwise(IrCall c)
    {
        var name = c.Builtin.Name;
        var args = c.Args.Select(a => a!).ToList();
        var type = (TensorType)c.Type;
        if (FoldedConstant(c, type) is { } folded) return new Code(folded, Repr.Tensor);
        var codes = args.Select(Emit).ToList();

        // Arithmetic on host values stays C# arithmetic (checked: the generated assembly is compiled with overflow checks).
        if (name == "pow" && codes.All(x => x.Repr == Repr.HostLong))
            return new Code($"Lib.IntPow({codes[0].Text}, {codes[1].Text})", Repr.HostLong);
        if (codes.All(x => x.IsHost) && (Operators.ContainsKey(name) || name == "neg"))
        {
            if (name == "neg") return new Code($"(-{codes[0].Text})", codes[0].Repr);
            bool longs = codes.All(x => x.Repr == Repr.HostLong);
            if (name == "div") return new Code($"((double)({codes[0].Text}) / ({codes[1].Text}))", Repr.HostDouble);
            if (name == "mod" && longs) return new Code($"Lib.FloorMod({codes[0].Text}, {codes[1].Text})", Repr.HostLong);
            if (name == "mod") return new Code($"Lib.FloorMod((double)({codes[0].Text}), (double)({codes[1].Text}))", Repr.HostDouble);
            return new Code($"({codes[0].Text} {Operators[name]} {codes[1].Text})", longs ? Repr.HostLong : Repr.HostDouble);
        }

        // The element type the operands are brought to before the operation.
        var operandElem = name switch
        {
            "where" => type.Elem,
            "eq" or "ne" or "lt" or "le" or "gt" or "ge" => CallTyping.Promote(false, args.Select(a => a.Tensor).ToArray()),
            "and" or "or" or "not" or "isfinite" or "isnan" or "to_real" or "to_int" or "int" or "real" or "re" or "im" or "angle" or "abs" or "conj" => ElemType.Bool,
            _ => type.Elem,
        };
        int rank = type.Rank;
        if (name == "pow" && type.Elem.IsReal && IsLiteralTwo(args[1]) && !codes[0].IsHost)
        {
            // x ^ 2 is a square: libtorch's x * x kernel, not a power with a tensor exponent.
            var x = AlignTo(LiteralAs(args[0], operandElem) ?? ToElem(AsTensor(codes[0], args[0]), args[0], operandElem), args[0], rank);
            return new Code($"TensorArithmetic.Square({x})", Repr.Tensor);
        }
        var texts = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            bool scalarOk = Operators.ContainsKey(name) && codes[i].IsHost && codes[1 - i].IsHost == false;
            string text = scalarOk
                ? (codes[i].Repr == Repr.HostBool ? AsTensor(codes[i], a) : codes[i].Text)
                : LiteralAs(a, name == "where" && i == 0 ? ElemType.Bool : operandElem) ?? ToElem(AsTensor(codes[i], a), a, name == "where" && i == 0 ? ElemType.Bool : operandElem);
            texts.Add(scalarOk ? text : AlignTo(text, a, rank));
        }
        return name switch
        {
            "neg" => new Code($"(-{texts[0]})", Repr.Tensor),
            "to_real" => new Code($"Lib.ToReal({texts[0]}, _real)", Repr.Tensor),
            "real" => new Code($"Lib.RealPart({texts[0]}, _real)", Repr.Tensor),
            // TensorArithmetic, not C# operators: TorchSharp's operators make Scalars that nothing keeps alive (the alpha of
            // a + b, a host number) — see ScalarLifetimeAnalyzer, which AssemblyCompiler runs on this code.
            _ when TensorArithmeticMethods.TryGetValue(name, out var method) => new Code($"TensorArithmetic.{method}({texts[0]}, {texts[1]})", Repr.Tensor),
            _ => new Code($"Lib.{c.Builtin.Target}({string.Join(", ", texts.Select((t, i) => Scalarless(t, codes[i], args[i])))})", Repr.Tensor),
        };
    }

    /// <summary>Library methods take tensors only: a host operand left by the scalar shortcut becomes a constant.</summary>
    private string Scalarless(string text, Code code, IrExpr e) => code.IsHost && text == code.Text ? AsTensor(code, e) : text;

    private Code EmitLibrary(IrCall c)
    {
        var b = c.Builtin;
        var type = c.Type as TensorType;
        var target = type?.Elem ?? ElemType.Real;
        bool realResult = c.Type is ObjectType || type is not null && TensorType.Order(type.Elem) >= 2;
        var parts = new List<string>();
        for (int i = 0; i < b.Parameters.Count; i++)
        {
            var p = b.Parameters[i];
            if (i == b.VariadicIndex)
            {
                parts.Add(p.Kind switch
                {
                    ArgKind.Size => c.Variadic.Count == 0 ? "System.Array.Empty<long>()" : "new long[] { " + string.Join(", ", c.Variadic.Select(Long)) + " }",
                    ArgKind.Tensor => "new Ev[] { " + string.Join(", ", c.Variadic.Select(v => ArgEv(v, realResult, target))) + " }",
                    _ => StaticValue(c, p),
                });
                continue;
            }
            var arg = i < c.Args.Count ? c.Args[i] : null;
            parts.Add(p.Kind switch
            {
                ArgKind.Tensor or ArgKind.Object => arg is null ? "null" : arg.Type is ObjectType ? Emit(arg).Text : ArgEv(arg, realResult, target),
                ArgKind.Size => arg is null ? "null" : Long(arg),
                ArgKind.Static => StaticValue(c, p),
                _ => throw new InvalidOperationException($"{b.Name}: unexpected function argument"),
            });
        }
        if (b.Creates) parts.Add("_real, _device");
        return new Code($"Lib.{b.Target}({string.Join(", ", parts)})", c.Type is ObjectType ? Repr.Object : Repr.Tensor);
    }

    private string ArgEv(IrExpr e, bool realResult, ElemType target) =>
        realResult ? Ev(e, TensorType.Order(target) >= 2 ? target : ElemType.Real) : $"new Ev({Tensor(e)}, {(e.Batched ? "true" : "false")})";

    private static string StaticValue(IrCall c, BuiltinParameter p)
    {
        var value = c.Attributes.TryGetValue(p.Name, out var v) ? v : p.Default;
        return value switch
        {
            null => "null",
            long[] xs => xs.Length == 0 ? "System.Array.Empty<long>()" : "new long[] { " + string.Join(", ", xs.Select(x => x + "L")) + " }",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            bool bl => bl ? "true" : "false",
            double d => DoubleText(d),
            _ => throw new InvalidOperationException($"unsupported static value {value}"),
        };
    }

    /// <summary>`odeint`: extra arguments are evaluated once; the function body becomes a C# lambda over (t, y).</summary>
    private Code EmitOde(IrCall c)
    {
        var lambda = (IrLambda)c.Args[0]!;
        var y0 = c.Args[1]!;
        var times = c.Args[2]!;
        var y0Code = $"new Ev({TensorOf(y0, ElemType.Real)}, {(y0.Batched ? "true" : "false")})";
        var timesCode = TensorOf(times, ElemType.Real);
        for (int i = 0; i < c.Variadic.Count; i++)
        {
            var value = Emit(c.Variadic[i]);
            var name = _names.Local(lambda.Parameters[i + 2], value.Repr);
            Add($"var {name} = {value.Text};");
        }
        // Parts of the right-hand side that do not depend on (t, y) are computed once, outside the integrator's loop.
        foreach (var invariant in Invariants(lambda.Body, new HashSet<IrVariable> { lambda.Parameters[0], lambda.Parameters[1] }))
        {
            var value = Emit(invariant);
            var name = _names.Temp("invariant");
            Add($"var {name} = {value.Text};");
            _precomputed[invariant] = new Code(name, value.Repr);
        }
        var t = _names.Local(lambda.Parameters[0], Repr.Tensor);
        var y = _names.Local(lambda.Parameters[1], Repr.Tensor);
        var body = new List<CsStatement>();
        var result = Into(body, () => TensorOf(lambda.Body, ElemType.Real));
        // A state that becomes batched must be batched for the first evaluation too.
        result = lambda.Parameters[1].Batched && !lambda.Body.Batched ? $"Lib.ExpandBatch({result}, {BatchSize ?? "1L"})" : result;
        body.Add(new CsLine($"return {result};"));
        var fn = _names.Temp("dynamics");
        Add(new CsBlock($"System.Func<Tensor, Tensor, Tensor> {fn} = ({t}, {y}) =>", body, ";"));
        var stateBatched = lambda.Parameters[1].Batched ? "true" : "false";
        var batch = lambda.Parameters[1].Batched ? BatchSize ?? "1L" : "1L";
        var options = c.Builtin.Name == "odeint"
            ? StaticValue(c, c.Builtin.Parameters.First(p => p.Name == "steps"))
            : $"{StaticValue(c, c.Builtin.Parameters.First(p => p.Name == "rtol"))}, {StaticValue(c, c.Builtin.Parameters.First(p => p.Name == "atol"))}";
        return new Code($"Lib.{c.Builtin.Target}({fn}, {y0Code}, {timesCode}, {stateBatched}, {batch}, {options})", Repr.Tensor);
    }

    /// <summary>The largest sub-expressions of a lambda body that use none of <paramref name="varying"/> (nor variables bound
    /// inside the body) and are worth computing once: calls, indexing, fields, vector literals.</summary>
    private static List<IrExpr> Invariants(IrExpr body, HashSet<IrVariable> varying)
    {
        var bound = new HashSet<IrVariable>(varying);
        foreach (var node in IrTraversal.Descendants(body))
        {
            if (node is IrBlock b) foreach (var (v, _) in b.Lets) bound.Add(v);
            if (node is IrComprehension c) bound.Add(c.Index);
            if (node is IrLambda l) foreach (var p in l.Parameters) bound.Add(p);
        }
        bool Uses(IrExpr e) => IrTraversal.Descendants(e).Any(n => n is IrVarRef r && bound.Contains(r.Variable) || n is IrComprehension or IrBlock or IrLambda);
        var result = new List<IrExpr>();
        void Walk(IrExpr e)
        {
            if (e is IrCall or IrIndex or IrField or IrVector && !Uses(e) && e.Type is TensorType)
            {
                result.Add(e);
                return;
            }
            foreach (var child in e.Children) Walk(child);
        }
        Walk(body);
        return result;
    }

    /// <summary>`new Normal(loc, scale)` with each argument aligned to the site's rank.</summary>
    public string Distribution(IrDistribution d, int siteRank)
    {
        var sig = d.Signature;
        if (sig.IsMixture)
        {
            var weights = d.Args[0]!;
            var w = AlignTo(TensorOf(weights, ElemType.Real), weights, siteRank + 1);
            if (sig.Name == "MixtureSameFamily")
                return $"new {sig.RuntimeClass}({w}, {Distribution(d.Components[0], siteRank + 1)})";
            var components = string.Join(", ", d.Components.Select(c => Distribution(c, siteRank)));
            return $"new {sig.RuntimeClass}({w}, new Ppl.Runtime.Distributions.Distribution[] {{ {components} }})";
        }
        var args = new List<string>();
        for (int i = 0; i < sig.Parameters.Count; i++)
        {
            var a = d.Args[i];
            if (a is null)
            {
                args.Add("null");
                continue;
            }
            int rank = siteRank - sig.EventRank + sig.Parameters[i].EventRank;
            args.Add(AlignTo(TensorOf(a, ElemType.Real), a, rank));
        }
        return $"new {sig.RuntimeClass}({string.Join(", ", args)})";
    }
}
