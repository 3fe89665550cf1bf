using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// <c>eigh</c> of a batch of real symmetric matrices [..., n, n]: eigenvalues ascending [..., n] and unit eigenvectors
/// in the columns [..., n, n], differentiable. Small matrices on the CPU (n ≤ <see cref="JacobiEigenKernel.MaxOrder"/>,
/// float32 or float64, finite) go through <see cref="JacobiEigenKernel"/>; anything else through libtorch's
/// <c>linalg.eigh</c>.
/// </summary>
/// <remarks>
/// The gradient: when the input requires one, the decomposition is a custom autograd node
/// (<see cref="SymmetricEigenFunction"/>) whose backward pass is <see cref="EigenGradientKernel"/> — the same first
/// derivatives as libtorch's eigh backward, on the lower triangle that is read. Where two eigenvalues are exactly equal
/// the eigenvector terms between them are dropped (libtorch gives ±∞ there; such eigenvectors have no derivative, and a
/// function of the matrix that is smooth there, such as a square root, gets none from them either way). The backward
/// pass is not itself differentiable: nothing in Ppl takes second derivatives.
/// </remarks>
public static class SymmetricEigen
{
    /// <summary>The decomposition of <paramref name="a"/> (only its lower triangle is read, as libtorch does).</summary>
    public static (Tensor Values, Tensor Vectors) Decompose(Tensor a)
    {
        long n = a.dim() >= 2 ? a.shape[^1] : 0;
        bool small = a.device_type == DeviceType.CPU && a.dim() >= 2 && n == a.shape[^2] && n is >= 1 and <= JacobiEigenKernel.MaxOrder
            && a.dtype is ScalarType.Float32 or ScalarType.Float64 && a.numel() > 0;
        if (!small) return linalg.eigh(a);
        if (a.requires_grad && torch.is_grad_enabled())
        {
            if (!a.isfinite().all().item<bool>()) return linalg.eigh(a);
            var outputs = SymmetricEigenFunction.apply(a);
            return (outputs[0], outputs[1]);
        }
        return Decomposed(a, (int)n) ?? linalg.eigh(a);
    }

    /// <summary>The eigenvalues only (ascending).</summary>
    public static Tensor Values(Tensor a)
    {
        var (values, vectors) = Decompose(a);
        vectors.Dispose();
        return values;
    }

    /// <summary>Off-graph values and vectors from the Jacobi kernel, or null when an element is not finite.</summary>
    internal static (Tensor Values, Tensor Vectors)? Decomposed(Tensor a, int n)
    {
        using var scope = NewDisposeScope();
        var input = a.detach().contiguous();
        long count = input.numel() / ((long)n * n);
        var batchShape = a.shape[..^2];
        var values = empty(batchShape.Append((long)n).ToArray(), dtype: a.dtype);
        var vectors = empty(a.shape, dtype: a.dtype);
        int threads = Math.Max(1, get_num_threads());
        bool finite = a.dtype == ScalarType.Float32
            ? JacobiEigenKernel.Decompose(MemoryMarshal.Cast<byte, float>(input.bytes), n, (int)count,
                MemoryMarshal.Cast<byte, float>(values.bytes), MemoryMarshal.Cast<byte, float>(vectors.bytes), threads)
            : JacobiEigenKernel.Decompose(MemoryMarshal.Cast<byte, double>(input.bytes), n, (int)count,
                MemoryMarshal.Cast<byte, double>(values.bytes), MemoryMarshal.Cast<byte, double>(vectors.bytes), threads);
        if (!finite) return null;
        return (values.MoveToOuterDisposeScope(), vectors.MoveToOuterDisposeScope());
    }
}
