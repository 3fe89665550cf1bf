using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>Elementwise operators and math functions: NumPy broadcasting, element types promoted bool &lt; int &lt; real &lt; complex.</summary>
internal static class ElementwiseBuiltins
{
    private static readonly BuiltinParameter X = new("x", ArgKind.Tensor);
    private static readonly BuiltinParameter Y = new("y", ArgKind.Tensor);

    /// <summary>The result element type of a unary function.</summary>
    private enum UnaryResult { Real, RealOrComplex, Same, RealFromComplex }

    public static IEnumerable<Builtin> All()
    {
        // Operators (the parser's Binary/Unary nodes map onto these names).
        yield return Binary("add", "+", "a + b", atLeastReal: false);
        yield return Binary("sub", "-", "a - b", atLeastReal: false);
        yield return Binary("mul", "*", "a * b", atLeastReal: false);
        yield return Binary("div", "/", "a / b (always real or complex)", atLeastReal: true);
        yield return Binary("mod", "FloorMod", "a % b (remainder with the sign of b, like NumPy)", atLeastReal: false);
        yield return Binary("pow", "Pow", "a ^ b, pow(a, b)", atLeastReal: false);
        yield return Comparison("eq", "Eq", "a == b");
        yield return Comparison("ne", "Ne", "a != b");
        yield return Comparison("lt", "Lt", "a < b");
        yield return Comparison("le", "Le", "a <= b");
        yield return Comparison("gt", "Gt", "a > b");
        yield return Comparison("ge", "Ge", "a >= b");
        yield return Logical("and", "And", "a && b");
        yield return Logical("or", "Or", "a || b");
        yield return new Builtin("not", EmitStyle.Elementwise, "Not", new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            if (!t.Elem.IsBool) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, $"!: '{c.Text(c.Arg(0)!)}' is {t.Display}, not bool"); return null; }
            return t;
        }, "!a")
        { Differentiable = false };
        yield return Unary("neg", "Neg", UnaryResult.Same, "-a");

        // Math.
        foreach (var (name, target, summary) in new[]
        {
            ("log", "Log", "natural logarithm"), ("log2", "Log2", "base-2 logarithm"), ("log10", "Log10", "base-10 logarithm"),
            ("sqrt", "Sqrt", "square root"), ("sin", "Sin", "sine"), ("cos", "Cos", "cosine"), ("tan", "Tan", "tangent"),
            ("asin", "Asin", "arcsine"), ("acos", "Acos", "arccosine"), ("atan", "Atan", "arctangent"),
            ("sinh", "Sinh", "hyperbolic sine"), ("cosh", "Cosh", "hyperbolic cosine"), ("tanh", "Tanh", "hyperbolic tangent"),
            ("sigmoid", "Sigmoid", "1 / (1 + exp(-x))"), ("softplus", "Softplus", "log(1 + exp(x))"),
            ("log_sigmoid", "LogSigmoid", "log(sigmoid(x))"), ("log1p", "Log1p", "log(1 + x)"), ("expm1", "Expm1", "exp(x) - 1"),
            ("erf", "Erf", "error function"), ("erfc", "Erfc", "complementary error function"), ("erfinv", "Erfinv", "inverse error function"),
            ("lgamma", "Lgamma", "log |Γ(x)|"), ("digamma", "Digamma", "d/dx log Γ(x)"), ("square", "Square", "x²"),
            ("radians", "Radians", "degrees to radians"), ("degrees", "Degrees", "radians to degrees"),
        })
            yield return Unary(name, target, UnaryResult.Real, summary);
        yield return Unary("exp", "Exp", UnaryResult.RealOrComplex, "exponential");
        yield return Unary("abs", "Abs", UnaryResult.RealFromComplex, "absolute value (modulus of a complex number)");
        foreach (var (name, target) in new[] { ("floor", "Floor"), ("ceil", "Ceil"), ("round", "Round"), ("trunc", "Trunc"), ("sign", "Sign") })
        {
            var b = Unary(name, target, UnaryResult.Same, $"{name} (not differentiable)");
            yield return new Builtin(b.Name, b.Style, b.Target, b.Parameters, b.Check, b.Summary) { Differentiable = false };
        }
        yield return Binary("atan2", "Atan2", "atan2(y, x): the angle of the point (x, y)", atLeastReal: true);
        yield return Binary("minimum", "Minimum", "elementwise minimum", atLeastReal: false);
        yield return Binary("maximum", "Maximum", "elementwise maximum", atLeastReal: false);
        yield return Binary("hypot", "Hypot", "sqrt(a² + b²)", atLeastReal: true);
        yield return Binary("logaddexp", "LogAddExp", "log(exp(a) + exp(b))", atLeastReal: true);
        yield return new Builtin("where", EmitStyle.Elementwise, "Where",
            new[] { new BuiltinParameter("condition", ArgKind.Tensor), X, Y }, c =>
            {
                var cond = c.RequireTensor(c.Arg(0), numeric: false);
                var a = c.RequireTensor(c.Arg(1), numeric: false);
                var b = c.RequireTensor(c.Arg(2), numeric: false);
                if (cond is null || a is null || b is null) return null;
                if (!cond.Elem.IsBool) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, $"where: the condition '{c.Text(c.Arg(0)!)}' is {cond.Display}, not bool"); return null; }
                var shape = c.Broadcast(c.Arg(0), c.Arg(1), c.Arg(2));
                return shape is null ? null : new TensorType(CallTyping.Promote(false, a, b), shape);
            }, "where(c, a, b): a where c is true, b elsewhere");
        yield return new Builtin("clip", EmitStyle.Elementwise, "Clip",
            new[] { X, new BuiltinParameter("lower", ArgKind.Tensor), new BuiltinParameter("upper", ArgKind.Tensor) }, c =>
            {
                var x = c.RequireTensor(c.Arg(0));
                var lo = c.RequireTensor(c.Arg(1));
                var hi = c.RequireTensor(c.Arg(2));
                if (x is null || lo is null || hi is null) return null;
                var shape = c.Broadcast(c.Arg(0), c.Arg(1), c.Arg(2));
                return shape is null ? null : new TensorType(CallTyping.Promote(false, x, lo, hi), shape);
            }, "clip(x, lower, upper)");
        yield return Predicate("isfinite", "IsFinite", "true where x is neither infinite nor NaN");
        yield return Predicate("isnan", "IsNan", "true where x is NaN");
        yield return new Builtin("to_real", EmitStyle.Elementwise, "ToReal", new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            if (t.Elem.IsComplex) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, "to_real: use re(z) or abs(z) for complex values"); return null; }
            return t.WithElem(ElemType.Real);
        }, "converts int or bool to real");
        yield return new Builtin("real", EmitStyle.Elementwise, "RealPart", new[] { X }, c =>
            c.RequireTensor(c.Arg(0), numeric: false)?.WithElem(ElemType.Real),
            "real(x): the real part of a complex value; an int or bool converted to real");
        yield return new Builtin("int", EmitStyle.Elementwise, "ToInt", new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            if (t.Elem.IsComplex) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, "int: not defined for complex values"); return null; }
            return t.WithElem(ElemType.Int);
        }, "int(x): converts to int, rounding toward zero (not differentiable)")
        { Differentiable = false };
        yield return new Builtin("to_int", EmitStyle.Elementwise, "ToInt", new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: false);
            if (t is null) return null;
            if (t.Elem.IsComplex) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, "to_int: not defined for complex values"); return null; }
            return t.WithElem(ElemType.Int);
        }, "converts to int, rounding toward zero (not differentiable)")
        { Differentiable = false };
    }

    private static Builtin Unary(string name, string target, UnaryResult result, string summary) =>
        new(name, EmitStyle.Elementwise, target, new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0));
            if (t is null) return null;
            if (t.Elem.IsComplex && result is UnaryResult.Real)
            {
                c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, $"{name}: '{c.Text(c.Arg(0)!)}' is complex; {name} takes real numbers");
                return null;
            }
            return result switch
            {
                UnaryResult.Same => t,
                UnaryResult.RealFromComplex => t.Elem.IsComplex ? t.WithElem(ElemType.Real) : t,
                _ => t.Elem.IsComplex ? t : t.WithElem(ElemType.Real),
            };
        }, summary);

    private static Builtin Binary(string name, string target, string summary, bool atLeastReal) =>
        new(name, EmitStyle.Elementwise, target, new[] { X, Y }, c =>
        {
            var a = c.RequireTensor(c.Arg(0));
            var b = c.RequireTensor(c.Arg(1));
            if (a is null || b is null) return null;
            var shape = c.Broadcast(c.Arg(0), c.Arg(1));
            return shape is null ? null : new TensorType(CallTyping.Promote(atLeastReal, a, b), shape);
        }, summary);

    private static Builtin Comparison(string name, string target, string summary) =>
        new(name, EmitStyle.Elementwise, target, new[] { X, Y }, c =>
        {
            var a = c.RequireTensor(c.Arg(0), numeric: name is "eq" or "ne");
            var b = c.RequireTensor(c.Arg(1), numeric: name is "eq" or "ne");
            if (a is null || b is null) return null;
            if ((a.Elem.IsComplex || b.Elem.IsComplex) && name is not ("eq" or "ne"))
            {
                c.Error(DiagnosticCatalogue.TypeMismatch, c.Range, $"{summary}: complex numbers are not ordered");
                return null;
            }
            var shape = c.Broadcast(c.Arg(0), c.Arg(1));
            return shape is null ? null : new TensorType(ElemType.Bool, shape);
        }, summary)
        { Differentiable = false };

    private static Builtin Logical(string name, string target, string summary) =>
        new(name, EmitStyle.Elementwise, target, new[] { X, Y }, c =>
        {
            var a = c.RequireTensor(c.Arg(0), numeric: false);
            var b = c.RequireTensor(c.Arg(1), numeric: false);
            if (a is null || b is null) return null;
            foreach (var (t, e) in new[] { (a, c.Arg(0)!), (b, c.Arg(1)!) })
                if (!t.Elem.IsBool) { c.Error(DiagnosticCatalogue.TypeMismatch, e.Range, $"{summary}: '{c.Text(e)}' is {t.Display}, not bool"); return null; }
            var shape = c.Broadcast(c.Arg(0), c.Arg(1));
            return shape is null ? null : new TensorType(ElemType.Bool, shape);
        }, summary)
        { Differentiable = false };

    private static Builtin Predicate(string name, string target, string summary) =>
        new(name, EmitStyle.Elementwise, target, new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0));
            return t?.WithElem(ElemType.Bool);
        }, summary)
        { Differentiable = false };
}
