using System.Numerics;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// The backward pass of a batched symmetric eigen-decomposition A = Q Λ Qᵀ: from the upstream gradients of the
/// eigenvalues (ḡ_Λ) and eigenvectors (ḡ_Q), the gradient of A,
/// G = Q (diag(ḡ_Λ) + F ∘ (Qᵀ ḡ_Q)) Qᵀ with F_ij = 1 / (λ_j − λ_i) for i ≠ j (0 on the diagonal and where two
/// eigenvalues are exactly equal), folded onto the lower triangle that the decomposition reads:
/// ∂A_ij = G_ij + G_ji below the diagonal, G_ii on it, 0 above. Computed in double precision, matrix by matrix.
/// </summary>
public static class EigenGradientKernel
{
    /// <summary>Writes the gradient of each of the <paramref name="count"/> n × n inputs to <paramref name="gradient"/>.</summary>
    public static void Backward<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> vectors, ReadOnlySpan<T> valueGradient,
        ReadOnlySpan<T> vectorGradient, int n, int count, Span<T> gradient, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n < 1 || n > JacobiEigenKernel.MaxOrder) throw new ArgumentOutOfRangeException(nameof(n), n, $"the matrix order must be 1 … {JacobiEigenKernel.MaxOrder}");
        int nn = n * n;
        if (values.Length < count * n || valueGradient.Length < count * n || vectors.Length < count * nn
            || vectorGradient.Length < count * nn || gradient.Length < count * nn)
            throw new ArgumentException("the spans are shorter than count matrices");
        if (threads <= 1 || count < 1024 * threads)
        {
            for (int m = 0; m < count; m++) One(values, vectors, valueGradient, vectorGradient, n, m, gradient);
            return;
        }
        unsafe
        {
            fixed (T* l = values, q = vectors, gl = valueGradient, gq = vectorGradient, g = gradient)
            {
                nint la = (nint)l, qa = (nint)q, gla = (nint)gl, gqa = (nint)gq, ga = (nint)g;
                int perThread = (count + threads - 1) / threads;
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    var lv = new ReadOnlySpan<T>((T*)la, count * n);
                    var qv = new ReadOnlySpan<T>((T*)qa, count * nn);
                    var glv = new ReadOnlySpan<T>((T*)gla, count * n);
                    var gqv = new ReadOnlySpan<T>((T*)gqa, count * nn);
                    var gv = new Span<T>((T*)ga, count * nn);
                    for (int m = t * perThread; m < Math.Min(count, (t + 1) * perThread); m++) One(lv, qv, glv, gqv, n, m, gv);
                });
            }
        }
    }

    private static void One<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> vectors, ReadOnlySpan<T> valueGradient,
        ReadOnlySpan<T> vectorGradient, int n, int m, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nn = n * n;
        Span<double> q = stackalloc double[nn];
        Span<double> inner = stackalloc double[nn];
        Span<double> left = stackalloc double[nn];
        Span<double> lambda = stackalloc double[n];
        var qm = vectors.Slice(m * nn, nn);
        var gqm = vectorGradient.Slice(m * nn, nn);
        for (int i = 0; i < nn; i++) q[i] = double.CreateTruncating(qm[i]);
        for (int i = 0; i < n; i++) lambda[i] = double.CreateTruncating(values[m * n + i]);

        // inner = diag(ḡ_Λ) + F ∘ (Qᵀ ḡ_Q)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double gap = lambda[j] - lambda[i];
                if (i == j)
                {
                    inner[i * n + j] = double.CreateTruncating(valueGradient[m * n + i]);
                    continue;
                }
                if (gap == 0.0)
                {
                    inner[i * n + j] = 0.0;
                    continue;
                }
                double dot = 0.0;
                for (int k = 0; k < n; k++) dot += q[k * n + i] * double.CreateTruncating(gqm[k * n + j]);
                inner[i * n + j] = dot / gap;
            }

        // left = Q · inner; G = left · Qᵀ, folded onto the lower triangle.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0.0;
                for (int k = 0; k < n; k++) sum += q[i * n + k] * inner[k * n + j];
                left[i * n + j] = sum;
            }
        var g = gradient.Slice(m * nn, nn);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double gij = 0.0, gji = 0.0;
                for (int k = 0; k < n; k++)
                {
                    gij += left[i * n + k] * q[j * n + k];
                    gji += left[j * n + k] * q[i * n + k];
                }
                g[i * n + j] = T.CreateTruncating(i == j ? gij : gij + gji);
                if (i != j) g[j * n + i] = T.Zero;
            }
    }
}
