using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

/// <summary>Fourier transforms over the last one or two axes, and complex numbers.</summary>
internal static class SpectralBuiltins
{
    private static readonly BuiltinParameter X = new("x", ArgKind.Tensor);

    public static IEnumerable<Builtin> All()
    {
        yield return Transform("fft", "Fft", 1, "fft(x): discrete Fourier transform over the last axis");
        yield return Transform("ifft", "Ifft", 1, "ifft(x): inverse transform over the last axis");
        yield return Transform("fft2", "Fft2", 2, "fft2(x): 2-D discrete Fourier transform over the last two axes");
        yield return Transform("ifft2", "Ifft2", 2, "ifft2(x): inverse 2-D transform over the last two axes");
        yield return Part("re", "Real", "re(z): real part");
        yield return Part("im", "Imag", "im(z): imaginary part");
        yield return Part("angle", "Angle", "angle(z): argument of a complex number");
        yield return new Builtin("conj", EmitStyle.Elementwise, "Conj", new[] { X }, c => c.RequireTensor(c.Arg(0)), "conj(z): complex conjugate");
        yield return new Builtin("complex", EmitStyle.Elementwise, "Complex",
            new[] { new BuiltinParameter("re", ArgKind.Tensor), new BuiltinParameter("im", ArgKind.Tensor) }, c =>
            {
                var a = c.RequireTensor(c.Arg(0));
                var b = c.RequireTensor(c.Arg(1));
                if (a is null || b is null) return null;
                if (a.Elem.IsComplex || b.Elem.IsComplex) { c.Error(DiagnosticCatalogue.TypeMismatch, c.Range, "complex: the parts must be real"); return null; }
                var shape = c.Broadcast(c.Arg(0), c.Arg(1));
                return shape is null ? null : new TensorType(ElemType.Complex, shape);
            }, "complex(re, im)");
    }

    private static Builtin Transform(string name, string target, int axes, string summary) =>
        new(name, EmitStyle.Library, target, new[] { X }, c =>
        {
            var t = c.RequireTensor(c.Arg(0));
            if (t is null) return null;
            if (t.Rank < axes) { c.Error(DiagnosticCatalogue.ShapeMismatch, c.Arg(0)!.Range, $"{name}: needs at least {axes} axes, got {t.Display}"); return null; }
            return t.WithElem(ElemType.Complex);
        }, summary);

    private static Builtin Part(string name, string target, string summary) =>
        new(name, EmitStyle.Elementwise, target, new[] { X }, c => c.RequireTensor(c.Arg(0))?.WithElem(ElemType.Real), summary);
}
