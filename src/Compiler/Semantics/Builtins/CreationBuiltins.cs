using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>Builtins that make new tensors from sizes: zeros, ones, full, eye, linspace, arange, fftfreq.</summary>
internal static class CreationBuiltins
{
    private static readonly BuiltinParameter Sizes = new("sizes", ArgKind.Size);

    public static IEnumerable<Builtin> All()
    {
        yield return new Builtin("zeros", EmitStyle.Library, "Zeros", new[] { Sizes }, c => Filled(c, ElemType.Real), "zeros(2, 3): real zeros")
        { VariadicIndex = 0, Creates = true };
        yield return new Builtin("ones", EmitStyle.Library, "Ones", new[] { Sizes }, c => Filled(c, ElemType.Real), "ones(2, 3): real ones")
        { VariadicIndex = 0, Creates = true };
        yield return new Builtin("full", EmitStyle.Library, "Full", new[] { new BuiltinParameter("value", ArgKind.Tensor), Sizes }, c =>
        {
            var v = c.RequireTensor(c.Arg(0), numeric: false);
            if (v is null) return null;
            if (!v.IsScalar) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(0)!.Range, $"full: the value must be a scalar, got {v.Display}"); return null; }
            return Filled(c, v.Elem);
        }, "full(v, 2, 3): a tensor filled with the scalar v")
        { VariadicIndex = 1 };
        yield return new Builtin("eye", EmitStyle.Library, "Eye", new[] { new BuiltinParameter("n", ArgKind.Size) }, c =>
            c.SizeDim(c.Arg(0), "n") is { } n ? new TensorType(ElemType.Real, Shape.Of(n, n)) : null, "eye(n): the n × n identity")
        { Creates = true };
        yield return new Builtin("linspace", EmitStyle.Library, "Linspace",
            new[] { new BuiltinParameter("start", ArgKind.Tensor), new BuiltinParameter("stop", ArgKind.Tensor), new BuiltinParameter("num", ArgKind.Size) }, c =>
            {
                var a = c.RequireTensor(c.Arg(0));
                var b = c.RequireTensor(c.Arg(1));
                var n = c.SizeDim(c.Arg(2), "num");
                if (a is null || b is null || n is null) return null;
                if (!a.IsScalar || !b.IsScalar) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Range, "linspace: start and stop must be scalars"); return null; }
                return new TensorType(ElemType.Real, Shape.Of(n));
            }, "linspace(start, stop, num): num evenly spaced reals from start to stop inclusive")
        { Creates = true };
        yield return new Builtin("arange", EmitStyle.Library, "Arange",
            new[] { new BuiltinParameter("start", ArgKind.Size), new BuiltinParameter("stop", ArgKind.Size, Optional: true) }, c =>
            {
                var a = c.SizeDim(c.Arg(0), "start");
                if (a is null) return null;
                if (c.Arg(1) is null) return new TensorType(ElemType.Int, Shape.Of(a));
                var b = c.SizeDim(c.Arg(1), "stop");
                if (b is null) return null;
                return new TensorType(ElemType.Int, Shape.Of(Dim.Add(b, a, -1) ?? Dim.Opaque($"{b} - {a}", null)));
            }, "arange(n): 0, 1, …, n-1; arange(a, b): a, …, b-1 (ints)")
        { Creates = true };
        yield return new Builtin("fftfreq", EmitStyle.Library, "FftFreq",
            new[] { new BuiltinParameter("n", ArgKind.Size), new BuiltinParameter("d", ArgKind.Tensor, Optional: true) }, c =>
            {
                var n = c.SizeDim(c.Arg(0), "n");
                if (n is null) return null;
                if (c.Arg(1) is { } d && c.RequireTensor(d) is { IsScalar: false }) { c.Error(DiagnosticCatalogue.ShapeMismatch, d.Range, "fftfreq: the spacing d must be a scalar"); return null; }
                return new TensorType(ElemType.Real, Shape.Of(n));
            }, "fftfreq(n, d = 1): the sample frequencies of an n-point FFT with spacing d (NumPy order)")
        { Creates = true };
    }

    private static SemType? Filled(CallTyping c, ElemType elem) =>
        c.VariadicSizes() is { } dims ? new TensorType(elem, new Shape(dims)) : null;
}
