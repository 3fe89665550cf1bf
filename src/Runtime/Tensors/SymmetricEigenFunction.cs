using System.Runtime.InteropServices;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// The autograd node of <see cref="SymmetricEigen"/> on the CPU: forward by <see cref="JacobiEigenKernel"/>, backward by
/// <see cref="EigenGradientKernel"/>. Inputs are finite float32/float64 [..., n, n] with n ≤
/// <see cref="JacobiEigenKernel.MaxOrder"/> (checked by the caller); outputs are (values [..., n], vectors [..., n, n]).
/// </summary>
internal sealed class SymmetricEigenFunction : MultiTensorFunction<SymmetricEigenFunction>
{
    public override string Name => "SymmetricEigen";

    public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
    {
        var a = (Tensor)vars[0];
        int n = (int)a.shape[^1];
        var (values, vectors) = SymmetricEigen.Decomposed(a, n)
            ?? throw new InvalidOperationException("SymmetricEigenFunction was given a non-finite matrix; the caller checks for those.");
        ctx.save_for_backward(new List<Tensor> { values, vectors });
        // An output nobody differentiates (e.g. only `.values` used) gets no gradient: without this, TorchSharp would
        // materialise zeros from its cached handle of that output, which the caller's dispose scope may already have
        // freed ("Tensor invalid -- empty handle" in backward). The backward pass substitutes zeros itself.
        ctx.set_materialize_grads(false);
        return new List<Tensor> { values, vectors };
    }

    public override List<Tensor> backward(AutogradContext ctx, List<Tensor> gradOutputs)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var values = saved[0];
        var vectors = saved[1];
        int n = (int)vectors.shape[^1];
        int count = (int)(values.numel() / n);
        var valueGradient = (gradOutputs.Count > 0 && gradOutputs[0] is { IsInvalid: false } gv ? gv : zeros_like(values)).to_type(values.dtype).contiguous();
        var vectorGradient = (gradOutputs.Count > 1 && gradOutputs[1] is { IsInvalid: false } gq ? gq : zeros_like(vectors)).to_type(vectors.dtype).contiguous();
        var valuesC = values.contiguous();
        var vectorsC = vectors.contiguous();
        var gradient = empty(vectors.shape, dtype: vectors.dtype);
        int threads = Math.Max(1, get_num_threads());
        if (vectors.dtype == ScalarType.Float32)
            EigenGradientKernel.Backward(Floats(valuesC), Floats(vectorsC), Floats(valueGradient), Floats(vectorGradient), n, count,
                MemoryMarshal.Cast<byte, float>(gradient.bytes), threads);
        else
            EigenGradientKernel.Backward(Doubles(valuesC), Doubles(vectorsC), Doubles(valueGradient), Doubles(vectorGradient), n, count,
                MemoryMarshal.Cast<byte, double>(gradient.bytes), threads);
        return new List<Tensor> { gradient.MoveToOuterDisposeScope() };
    }

    private static ReadOnlySpan<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    private static ReadOnlySpan<double> Doubles(Tensor t) => MemoryMarshal.Cast<byte, double>(t.bytes);
}
