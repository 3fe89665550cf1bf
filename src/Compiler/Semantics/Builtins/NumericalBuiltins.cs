using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>Interpolation and ODE integration.</summary>
internal static class NumericalBuiltins
{
    public static IEnumerable<Builtin> All()
    {
        yield return new Builtin("interp", EmitStyle.Library, "Interp",
            new[] { new BuiltinParameter("x", ArgKind.Tensor), new BuiltinParameter("xp", ArgKind.Tensor), new BuiltinParameter("fp", ArgKind.Tensor) }, c =>
            {
                var x = c.RequireTensor(c.Arg(0));
                var xp = c.RequireTensor(c.Arg(1));
                var fp = c.RequireTensor(c.Arg(2));
                if (x is null || xp is null || fp is null) return null;
                if (xp.Rank != 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(1)!.Range, $"interp: the knots xp must be a vector, got {xp.Display}"); return null; }
                if (fp.Rank < 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(2)!.Range, $"interp: the values fp must have the knots on their last axis, got {fp.Display}"); return null; }
                var (n, m) = (xp.Shape[0], fp.Shape[fp.Rank - 1]);
                if (n.ProvablyDifferent(m)) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"interp: xp is {xp.Display} but fp is {fp.Display}; the last axis of fp must match"); return null; }
                if (!n.Equals(m)) c.Deferred.Add(new DeferredDimCheck(n, m, c.Range, $"interp: xp has {n} knots but fp has {m} values"));
                if (x.Elem.IsComplex || fp.Elem.IsComplex) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Range, "interp: real values only"); return null; }
                return new TensorType(ElemType.Real, new Shape(fp.Shape.Take(fp.Rank - 1).Dims.Concat(x.Shape.Dims)));
            }, "interp(x, xp, fp): piecewise-linear interpolation at x of the values fp[..., k] at increasing knots xp[k]; result fp's leading axes + x's axes (clamped outside, like NumPy)");
        yield return new Builtin("odeint", EmitStyle.Special, "OdeIntRk4",
            new[]
            {
                new BuiltinParameter("f", ArgKind.Function), new BuiltinParameter("y0", ArgKind.Tensor), new BuiltinParameter("times", ArgKind.Tensor),
                new BuiltinParameter("args", ArgKind.Tensor), new BuiltinParameter("steps", ArgKind.Static, Optional: true, Default: 10L),
            }, c => OdeInt(c, adaptive: false),
            "odeint(f, y0, times, args..., steps = 10): solves dy/dt = f(t, y, args...) with classical RK4, `steps` substeps per interval; result [T, ...y0 shape]")
        { VariadicIndex = 3 };
        yield return new Builtin("odeint_adaptive", EmitStyle.Special, "OdeIntDopri5",
            new[]
            {
                new BuiltinParameter("f", ArgKind.Function), new BuiltinParameter("y0", ArgKind.Tensor), new BuiltinParameter("times", ArgKind.Tensor),
                new BuiltinParameter("args", ArgKind.Tensor), new BuiltinParameter("rtol", ArgKind.Static, Optional: true, Default: 1e-6),
                new BuiltinParameter("atol", ArgKind.Static, Optional: true, Default: 1e-6),
            }, c => OdeInt(c, adaptive: true),
            "odeint_adaptive(f, y0, times, args..., rtol = 1e-6, atol = 1e-6): Dormand–Prince 5(4) with step control shared across the batch")
        { VariadicIndex = 3 };
    }

    private static SemType? OdeInt(CallTyping c, bool adaptive)
    {
        if (c.Arg(0)?.Type is not FunctionType f)
        {
            if (c.Arg(0) is { } a) c.Error(DiagnosticCatalogue.TypeMismatch, a.Range, $"{c.Builtin.Name}: the first argument must be the name of a user function, not '{c.Text(a)}'");
            return null;
        }
        var y0 = c.RequireTensor(c.Arg(1));
        var times = c.RequireTensor(c.Arg(2));
        if (y0 is null || times is null) return null;
        if (times.Rank != 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(2)!.Range, $"{c.Builtin.Name}: times must be a vector, got {times.Display}"); return null; }
        int expected = 2 + c.Variadic.Count;
        if (f.Parameters.Count != expected)
        {
            c.Error(DiagnosticCatalogue.ArgumentCount, c.Range, $"{c.Builtin.Name}: {f.Name} takes {f.Parameters.Count} parameters but is called as f(t, y{string.Concat(c.Variadic.Select(_ => ", arg"))}) ({expected})",
                $"declare it as fun {f.Name}(t: real, y: {y0.Display}, ...) -> {y0.Display}");
            return null;
        }
        if (!f.Parameters[0].IsScalar) c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"{c.Builtin.Name}: the first parameter of {f.Name} (time) must be a real scalar");
        if (!f.Parameters[1].Shape.Equals(y0.Shape) || !f.Result.Shape.Equals(y0.Shape))
        {
            c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"{c.Builtin.Name}: y0 is {y0.Display} but {f.Name} takes y: {f.Parameters[1].Display} and returns {f.Result.Display}; all three must have the same shape");
            return null;
        }
        for (int i = 0; i < c.Variadic.Count; i++)
        {
            var t = c.RequireTensor(c.Variadic[i]);
            if (t is null) return null;
            if (!t.Shape.Equals(f.Parameters[2 + i].Shape))
                c.Error(DiagnosticCatalogue.ShapeMismatch, c.Variadic[i].Range, $"{c.Builtin.Name}: '{c.Text(c.Variadic[i])}' is {t.Display} but {f.Name} expects {f.Parameters[2 + i].Display}");
        }
        if (adaptive)
        {
            c.Attributes["rtol"] = c.Arg("rtol") is { } r ? c.StaticReal(r, "rtol") ?? 1e-6 : 1e-6;
            c.Attributes["atol"] = c.Arg("atol") is { } a ? c.StaticReal(a, "atol") ?? 1e-6 : 1e-6;
        }
        else
        {
            long steps = c.Arg("steps") is { } s ? c.StaticInt(s, "steps") ?? 10 : 10;
            if (steps < 1) c.Error(DiagnosticCatalogue.ArgumentNotWritten, c.Arg("steps")!.Range, $"{c.Builtin.Name}: steps must be at least 1");
            c.Attributes["steps"] = steps;
        }
        return new TensorType(ElemType.Real, y0.Shape.Prepend(times.Shape[0]));
    }
}
