using System.Globalization;
using Ppl.Compiler.Lowering;

namespace Ppl.Compiler.Semantics;

/// <summary>Evaluates what can be known before running: compile-time numbers (literals and arithmetic on them) and
/// symbolic sizes (linear forms over `int` data, or opaque data-only expressions).</summary>
public sealed class StaticEvaluator(Func<IrExpr, string> sourceText)
{
    /// <summary>The value of a compile-time int expression, or null (also when the arithmetic overflows: the program
    /// then computes it, checked, when data are bound).</summary>
    public static long? TryInt(IrExpr e)
    {
        try
        {
            return checked(TryIntUnchecked(e));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>Whether a compile-time int expression (literals, + - * ^) overflows the int range.</summary>
    public static bool IntOverflows(IrExpr e)
    {
        try
        {
            _ = TryIntUnchecked(e);
            return false;
        }
        catch (OverflowException)
        {
            return true;
        }
    }

    private static long? TryIntUnchecked(IrExpr e) => e switch
    {
        IrCall { Builtin.Name: "pow" } c when TryIntUnchecked(c.Args[0]!) is long a && TryIntUnchecked(c.Args[1]!) is long b && b >= 0 => Ppl.Runtime.Language.Lib.IntPow(a, b),
        IrLiteral { Value: long v } => v,
        IrCall { Builtin.Name: "neg" } c => TryIntUnchecked(c.Args[0]!) is long a ? checked(-a) : null,
        IrCall { Builtin.Name: "add" } c => TryIntUnchecked(c.Args[0]!) is long a && TryIntUnchecked(c.Args[1]!) is long b ? checked(a + b) : null,
        IrCall { Builtin.Name: "sub" } c => TryIntUnchecked(c.Args[0]!) is long a && TryIntUnchecked(c.Args[1]!) is long b ? checked(a - b) : null,
        IrCall { Builtin.Name: "mul" } c => TryIntUnchecked(c.Args[0]!) is long a && TryIntUnchecked(c.Args[1]!) is long b ? checked(a * b) : null,
        _ => null,
    };

    public static double? TryReal(IrExpr e) => e switch
    {
        IrLiteral { Value: double v } => v,
        IrLiteral { Value: long v } => v,
        IrCall { Builtin.Name: "neg" } c => TryReal(c.Args[0]!) is double a ? -a : null,
        IrCall { Builtin.Name: "add" } c => TryReal(c.Args[0]!) is double a && TryReal(c.Args[1]!) is double b ? a + b : null,
        IrCall { Builtin.Name: "sub" } c => TryReal(c.Args[0]!) is double a && TryReal(c.Args[1]!) is double b ? a - b : null,
        IrCall { Builtin.Name: "mul" } c => TryReal(c.Args[0]!) is double a && TryReal(c.Args[1]!) is double b ? a * b : null,
        IrCall { Builtin.Name: "div" } c => TryReal(c.Args[0]!) is double a && TryReal(c.Args[1]!) is double b ? a / b : null,
        _ => null,
    };

    /// <summary>The symbolic size of a data-only int scalar expression, or null when it depends on a random variable,
    /// a function parameter or a comprehension index.</summary>
    public Dim? TryDim(IrExpr e)
    {
        if (!IsDataOnly(e)) return null;
        switch (e)
        {
            case IrLiteral { Value: long v }:
                return Dim.Of(v);
            case IrVarRef { Variable: { Kind: VariableKind.Data } v } when v.IsHostInt:
                return Dim.Variable(v.Name);
            case IrCall { Builtin.Name: "neg" } c when TryDim(c.Args[0]!) is Dim a:
                return Dim.Add(Dim.Of(0), a, -1) ?? Opaque(e);
            case IrCall { Builtin.Name: "add" or "sub" or "mul" or "floordiv" } c when TryDim(c.Args[0]!) is Dim a && TryDim(c.Args[1]!) is Dim b:
                return c.Builtin.Name switch
                {
                    "add" => Dim.Add(a, b),
                    "sub" => Dim.Add(a, b, -1),
                    "mul" => Dim.Multiply(a, b),
                    _ => Dim.Divide(a, b),
                } ?? Opaque(e);
            default:
                return Opaque(e);
        }
    }

    private Dim Opaque(IrExpr e) => Dim.Opaque(sourceText(e), e);

    /// <summary>Whether an expression depends only on data (no random variable, function parameter or loop index).</summary>
    public static bool IsDataOnly(IrExpr e) => e switch
    {
        IrVarRef r => r.Variable.DataOnly,
        IrLiteral => true,
        IrLambda or IrFunctionRef or Lowering.IrScan or Lowering.IrSiteStep => false,
        IrComprehension c => IsDataOnly(c.Lo) && IsDataOnly(c.Hi) && IsDataOnlyWith(c.Body, c.Index),
        _ => e.Children.All(IsDataOnly),
    };

    private static bool IsDataOnlyWith(IrExpr e, IrVariable index) => e switch
    {
        IrVarRef r when r.Variable == index => true,
        IrVarRef => IsDataOnly(e),
        IrLiteral => true,
        _ => e.Children.All(c => IsDataOnlyWith(c, index)),
    };

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
