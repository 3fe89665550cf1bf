using Ppl.Compiler.Lowering;
using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

public sealed partial class Checker
{
    /// <summary>NumPy basic indexing over event axes: integers (data-only or comprehension indices) drop an axis, slices keep
    /// it, `...` stands for the axes not written, `_` inserts an axis of size 1; one data-only int vector may select along an
    /// axis.</summary>
    private IrExpr CheckIndex(Expr.Index ix)
    {
        var target = CheckExpr(ix.Target);
        if (target.Type is ErrorType) return target;
        if (target.Type is not TensorType t)
        {
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, target.Range, $"'{Text(target)}' is {target.Type.Display} and cannot be indexed");
            return Error(ix.Range);
        }
        var items = new List<IrIndexItem>();
        int consuming = ix.Items.Count(i => i is IndexItem.Single or IndexItem.Slice);
        int ellipses = ix.Items.Count(i => i is IndexItem.Ellipsis);
        if (ellipses > 1)
        {
            _diagnostics.Error(DiagnosticCatalogue.BadIndex, ix.Range, "only one '...' is allowed in an index");
            return Error(ix.Range);
        }
        if (consuming > t.Rank)
        {
            _diagnostics.Error(DiagnosticCatalogue.BadIndex, ix.Range, $"too many indices: '{Text(target)}' is {t.Display} ({t.Rank} axes) but {consuming} are given");
            return Error(ix.Range);
        }
        var dims = new List<Dim>();
        int axis = 0;
        bool advanced = false;
        foreach (var item in ix.Items)
        {
            switch (item)
            {
                case IndexItem.Ellipsis:
                {
                    int skip = t.Rank - consuming;
                    for (int k = 0; k < skip; k++) dims.Add(t.Shape[axis++]);
                    items.Add(new IrIndexEllipsis());
                    break;
                }
                case IndexItem.NewAxis:
                    dims.Add(Dim.One);
                    items.Add(new IrIndexNewAxis());
                    break;
                case IndexItem.Single s:
                {
                    var e = CheckExpr(s.Value);
                    if (e.Type is ErrorType) return Error(ix.Range);
                    if (!IsStaticIndex(e))
                    {
                        _diagnostics.Error(DiagnosticCatalogue.RandomIndex, e.Range, $"the index '{Text(e)}' depends on a random variable; indices must depend only on data, comprehension variables and loop indices");
                        return Error(ix.Range);
                    }
                    if (e.Type is TensorType { IsScalar: true } it && it.Elem.IsInt)
                    {
                        if (StaticEvaluator.TryInt(e) is long k && t.Shape[axis].IsKnown)
                        {
                            long n = t.Shape[axis].Constant;
                            if (k >= n || k < -n)
                            {
                                _diagnostics.Error(DiagnosticCatalogue.BadIndex, e.Range, $"index {k} is out of range for axis {axis} of '{Text(target)}' (size {n})");
                                return Error(ix.Range);
                            }
                        }
                        axis++;
                    }
                    else if (e.Type is TensorType { Rank: 1 } vt && vt.Elem.IsInt && !advanced)
                    {
                        advanced = true;
                        dims.Add(vt.Shape[0]);
                        axis++;
                    }
                    else
                    {
                        _diagnostics.Error(DiagnosticCatalogue.BadIndex, e.Range, $"an index must be an int or a vector of ints, but '{Text(e)}' is {e.Type.Display}");
                        return Error(ix.Range);
                    }
                    items.Add(new IrIndexSingle(e));
                    break;
                }
                case IndexItem.Slice sl:
                {
                    IrExpr? start = sl.Start?.Value is { } a ? CheckExpr(a) : null;
                    IrExpr? stop = sl.Stop?.Value is { } b ? CheckExpr(b) : null;
                    IrExpr? step = sl.Step?.Value is { } c ? CheckExpr(c) : null;
                    foreach (var bound in new[] { start, stop, step })
                    {
                        if (bound is null) continue;
                        if (bound.Type is ErrorType) return Error(ix.Range);
                        if (bound.Type is not TensorType { IsScalar: true } bt || !bt.Elem.IsInt)
                        {
                            _diagnostics.Error(DiagnosticCatalogue.BadIndex, bound.Range, $"slice bounds must be ints that depend only on data, but '{Text(bound)}' is {bound.Type.Display}");
                            return Error(ix.Range);
                        }
                        if (!IsStaticIndex(bound))
                        {
                            string on = DependsOnParameters(bound) ? "a function parameter" : "a random variable";
                            _diagnostics.Error(DiagnosticCatalogue.RandomIndex, bound.Range, $"the slice bound '{Text(bound)}' depends on {on}; slice bounds must depend only on data");
                            return Error(ix.Range);
                        }
                    }
                    if (step is not null && StaticEvaluator.TryInt(step) is long st && st <= 0)
                    {
                        _diagnostics.Error(DiagnosticCatalogue.BadIndex, step.Range, "a slice step must be positive");
                        return Error(ix.Range);
                    }
                    dims.Add(SliceLength(t.Shape[axis], start, stop, step));
                    axis++;
                    items.Add(new IrIndexSlice(start, stop, step));
                    break;
                }
            }
        }
        while (axis < t.Rank) dims.Add(t.Shape[axis++]);
        return Batch(new IrIndex(target, items, t.WithShape(new Shape(dims)), ix.Range));
    }

    private static bool IsStaticIndex(IrExpr e) => !e.Batched && !DependsOnParameters(e);

    private static bool DependsOnParameters(IrExpr e) =>
        e is IrVarRef { Variable.Kind: VariableKind.FunctionParameter } || e.Children.Any(DependsOnParameters);

    /// <summary>The length of a slice of an axis: exact for literal bounds on a known size, a linear form for `a:b` and
    /// `a:` with non-negative bounds, opaque otherwise.</summary>
    private Dim SliceLength(Dim size, IrExpr? start, IrExpr? stop, IrExpr? step)
    {
        long stepValue = step is null ? 1 : StaticEvaluator.TryInt(step) ?? 0;
        long? s0 = start is null ? 0 : StaticEvaluator.TryInt(start);
        long? s1 = stop is null ? null : StaticEvaluator.TryInt(stop);
        if (size.IsKnown && s0 is not null && (stop is null || s1 is not null) && stepValue > 0)
        {
            long n = size.Constant;
            long a = Clamp(s0.Value, n), b = stop is null ? n : Clamp(s1!.Value, n);
            return Dim.Of(Math.Max(0, (b - a + stepValue - 1) / stepValue));
        }
        if (stepValue == 1)
        {
            Dim? from = start is null ? Dim.Of(0) : s0 is >= 0 ? Dim.Of(s0.Value) : s0 is null && _static.TryDim(start) is { } ds ? ds : null;
            Dim? to = stop is null ? size : s1 is long v ? (v >= 0 ? Dim.Of(v) : Dim.Add(size, Dim.Of(-v), -1)) : _static.TryDim(stop);
            if (from is not null && to is not null && Dim.Add(to, from, -1) is { } len) return len;
        }
        return Dim.Opaque($"slice of {size}", null);

        static long Clamp(long i, long n) => i < 0 ? Math.Max(0, i + n) : Math.Min(i, n);
    }
}
