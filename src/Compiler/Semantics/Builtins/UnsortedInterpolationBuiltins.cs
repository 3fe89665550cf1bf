using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>
/// `interp_unsorted`: jax-cosmo's interpolation rule, which the published log-normal lensing simulator applies to an unsorted
/// frequency table (not linear interpolation there; see Lib.InterpUnsorted).
/// </summary>
internal static class UnsortedInterpolationBuiltins
{
    public static IEnumerable<Builtin> All()
    {
        yield return new Builtin("interp_unsorted", EmitStyle.Library, "InterpUnsorted",
            new[] { new BuiltinParameter("x", ArgKind.Tensor), new BuiltinParameter("xp", ArgKind.Tensor), new BuiltinParameter("fp", ArgKind.Tensor) }, c =>
            {
                var x = c.RequireTensor(c.Arg(0));
                var xp = c.RequireTensor(c.Arg(1));
                var fp = c.RequireTensor(c.Arg(2));
                if (x is null || xp is null || fp is null) return null;
                if (xp.Rank != 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(1)!.Range, $"interp_unsorted: the knots xp must be a vector, got {xp.Display}"); return null; }
                if (fp.Rank < 1) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(2)!.Range, $"interp_unsorted: the values fp must have the knots on their last axis, got {fp.Display}"); return null; }
                if (x.Elem.IsComplex || xp.Elem.IsComplex || fp.Elem.IsComplex) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Range, "interp_unsorted: real values only"); return null; }
                var (n, m) = (xp.Shape[0], fp.Shape[fp.Rank - 1]);
                if (n.ProvablyDifferent(m)) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, $"interp_unsorted: xp is {xp.Display} but fp is {fp.Display}; the last axis of fp must match"); return null; }
                if (n.IsKnown && n.Constant < 3) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(1)!.Range, $"interp_unsorted: needs at least 3 knots, got {xp.Display}"); return null; }
                if (!n.Equals(m)) c.Deferred.Add(new DeferredDimCheck(n, m, c.Range, $"interp_unsorted: xp has {n} knots but fp has {m} values"));
                if (!CosmologyBuiltins.RequireData(c, c.Arg(1)!, "the knots xp")) return null;
                return new TensorType(ElemType.Real, new Shape(fp.Shape.Take(fp.Rank - 1).Dims.Concat(x.Shape.Dims)));
            },
            "interp_unsorted(x, xp, fp): jax-cosmo's interp on knots xp in any order (data): nearest knot i (first on ties) clipped to 1…n−2, the line through it and knot i−1 if clip(x, xp[1], xp[n−2]) < xp[i], else knot i+1, extrapolated; result fp's leading axes + x's axes");
    }
}
