using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>Reductions over event axes (`sum(x)`, `mean(x, axis = 0)`, `var(x, axis = [-2, -1], keepdims = true)`) and
/// cumulative sums. Axes count only the user's (event) dimensions; the batch dimension is never reduced.</summary>
internal static class ReductionBuiltins
{
    private static readonly BuiltinParameter X = new("x", ArgKind.Tensor);
    private static readonly BuiltinParameter Axis = new("axis", ArgKind.Static, Optional: true);
    private static readonly BuiltinParameter KeepDims = new("keepdims", ArgKind.Static, Optional: true, Default: false);
    private static readonly BuiltinParameter Ddof = new("ddof", ArgKind.Static, Optional: true, Default: 0L);

    private enum Elem { Same, Real, Bool, Int }

    public static IEnumerable<Builtin> All()
    {
        yield return Reduction("sum", "Sum", Elem.Same, "sum over all axes, or over `axis`");
        yield return Reduction("mean", "Mean", Elem.Real, "mean");
        yield return Reduction("prod", "Prod", Elem.Same, "product");
        yield return Reduction("var", "Var", Elem.Real, "variance (ddof = 0 by default, like NumPy)", ddof: true);
        yield return Reduction("std", "Std", Elem.Real, "standard deviation (ddof = 0 by default)", ddof: true);
        yield return Reduction("min", "Min", Elem.Same, "minimum over axes (elementwise: minimum(a, b))");
        yield return Reduction("max", "Max", Elem.Same, "maximum over axes (elementwise: maximum(a, b))");
        yield return Reduction("logsumexp", "LogSumExp", Elem.Real, "log Σ exp(x), computed stably");
        yield return Reduction("all", "All", Elem.Bool, "true if every element is true");
        yield return Reduction("any", "Any", Elem.Bool, "true if some element is true");
        yield return ArgReduction("argmin", "ArgMin");
        yield return ArgReduction("argmax", "ArgMax");
        yield return Cumulative("cumsum", "CumSum", "cumulative sum along `axis`");
        yield return Cumulative("cumprod", "CumProd", "cumulative product along `axis`");
    }

    private static Builtin Reduction(string name, string target, Elem elem, string summary, bool ddof = false) =>
        new(name, EmitStyle.Library, target, ddof ? new[] { X, Axis, KeepDims, Ddof } : new[] { X, Axis, KeepDims }, c =>
        {
            var t = c.RequireTensor(c.Arg(0), numeric: elem is not Elem.Bool);
            if (t is null) return null;
            if (elem is Elem.Bool && !t.Elem.IsBool) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, $"{name}: '{c.Text(c.Arg(0)!)}' is {t.Display}, not bool"); return null; }
            if (t.Elem.IsComplex && name is "min" or "max" or "var" or "std" or "logsumexp") { c.Error(DiagnosticCatalogue.TypeMismatch, c.Arg(0)!.Range, $"{name}: not defined for complex values"); return null; }
            var axes = Axes(c, t.Rank);
            if (axes is null) return null;
            bool keep = c.Arg("keepdims") is { } k ? c.StaticBool(k, "keepdims") ?? false : false;
            c.Attributes["axis"] = axes;
            c.Attributes["keepdims"] = keep;
            if (ddof) c.Attributes["ddof"] = c.Arg("ddof") is { } d ? c.StaticInt(d, "ddof") ?? 0L : 0L;
            var dims = new List<Dim>();
            for (int i = 0; i < t.Rank; i++)
                if (!axes.Contains(i)) dims.Add(t.Shape[i]);
                else if (keep) dims.Add(Dim.One);
            var resultElem = elem switch
            {
                Elem.Real => t.Elem.IsComplex ? t.Elem : ElemType.Real,
                Elem.Bool => ElemType.Bool,
                Elem.Int => ElemType.Int,
                _ => t.Elem.IsBool ? ElemType.Int : t.Elem,
            };
            return new TensorType(resultElem, new Shape(dims));
        }, summary);

    private static Builtin ArgReduction(string name, string target) =>
        new(name, EmitStyle.Library, target, new[] { X, new BuiltinParameter("axis", ArgKind.Static, Optional: true, Default: -1L) }, c =>
        {
            var t = c.RequireTensor(c.Arg(0));
            if (t is null) return null;
            if (t.Rank == 0) { c.Error(DiagnosticCatalogue.BadAxis, c.Arg(0)!.Range, $"{name}: needs at least one axis"); return null; }
            var axis = c.SingleAxis(t.Rank, -1);
            return axis is null ? null : new TensorType(ElemType.Int, new Shape(t.Shape.Dims.RemoveAt(axis.Value)));
        }, $"index of the {name[3..]}imum along `axis` (last by default; not differentiable)")
        { Differentiable = false };

    private static Builtin Cumulative(string name, string target, string summary) =>
        new(name, EmitStyle.Library, target, new[] { X, new BuiltinParameter("axis", ArgKind.Static, Optional: true, Default: -1L) }, c =>
        {
            var t = c.RequireTensor(c.Arg(0));
            if (t is null) return null;
            if (t.Rank == 0) { c.Error(DiagnosticCatalogue.BadAxis, c.Arg(0)!.Range, $"{name}: needs at least one axis"); return null; }
            if (c.SingleAxis(t.Rank, -1) is null) return null;
            return t.Elem.IsBool ? t.WithElem(ElemType.Int) : t;
        }, summary);

    /// <summary>The normalised, sorted, distinct event axes to reduce (all when `axis` is omitted).</summary>
    private static long[]? Axes(CallTyping c, int rank)
    {
        var arg = c.Arg("axis");
        if (arg is null) return Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        var raw = c.StaticInts(arg, "axis");
        if (raw is null) return null;
        var result = new SortedSet<long>();
        foreach (var a in raw)
        {
            var n = c.Axis(a, rank, arg.Range);
            if (n is null) return null;
            if (!result.Add(n.Value)) { c.Error(DiagnosticCatalogue.BadAxis, arg.Range, $"{c.Builtin.Name}: axis {a} is repeated"); return null; }
        }
        return result.ToArray();
    }
}
