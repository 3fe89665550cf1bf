using System.Numerics;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Eigen-decomposition of many small real symmetric matrices at once by cyclic Jacobi rotations, vectorised across
/// matrices: each SIMD lane holds one matrix (structure of arrays), all lanes apply the same sweep of rotations, and a
/// block stops when the off-diagonal part of every lane is below round-off. Computes in double precision whatever
/// the input type. Eigenvalues come out ascending with their unit eigenvectors in the columns, as LAPACK's
/// <c>syevd</c> orders them (eigenvector signs are arbitrary there and here).
/// </summary>
/// <remarks>
/// Why this is written here rather than called from libtorch: <c>linalg.eigh</c> on the CPU runs one LAPACK call per
/// matrix, and for the 5 × 5 per-mode spectra of the lensing model (65,536 of them at N = 256) the per-call overhead
/// is ~100× the arithmetic. A Jacobi sweep over a lane-parallel block has no per-matrix overhead, converges
/// quadratically (5–7 sweeps for n ≤ 8 in double), and is accurate to round-off in every eigenvalue, small ones
/// included.
/// </remarks>
public static class JacobiEigenKernel
{
    /// <summary>Largest matrix order handled (the state of one block must stay in the first-level cache).</summary>
    public const int MaxOrder = 8;

    /// <summary>Sweeps after which a block stops even if not converged (never reached for finite input in practice).</summary>
    private const int MaxSweeps = 30;

    /// <summary>
    /// Decomposes <paramref name="count"/> row-major n × n symmetric matrices stored one after another in
    /// <paramref name="matrices"/>; writes the n eigenvalues of each (ascending) to <paramref name="values"/> and the
    /// n × n eigenvector matrix (row-major, eigenvectors in columns) to <paramref name="vectors"/>. Only the lower
    /// triangle of each input is read (as LAPACK's default). Returns false, with nothing meaningful written, when an
    /// input element is not finite.
    /// </summary>
    public static bool Decompose<T>(ReadOnlySpan<T> matrices, int n, int count, Span<T> values, Span<T> vectors, int threads = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n < 1 || n > MaxOrder) throw new ArgumentOutOfRangeException(nameof(n), n, $"the matrix order must be 1 … {MaxOrder}");
        if (matrices.Length < (long)count * n * n || values.Length < (long)count * n || vectors.Length < (long)count * n * n)
            throw new ArgumentException("the spans are shorter than count matrices");
        foreach (var x in matrices[..(count * n * n)])
            if (!T.IsFinite(x)) return false;

        int width = Vector<double>.Count;
        int blocks = (count + width - 1) / width;
        if (threads <= 1 || blocks < 2 * threads)
        {
            for (int b = 0; b < blocks; b++) DecomposeBlock(matrices, n, count, b * width, values, vectors);
            return true;
        }
        unsafe
        {
            // Parallel.For cannot capture spans: pin them and pass the addresses.
            fixed (T* input = matrices, valueOut = values, vectorOut = vectors)
            {
                nint inputAddress = (nint)input, valueAddress = (nint)valueOut, vectorAddress = (nint)vectorOut;
                int perThread = (blocks + threads - 1) / threads;
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    var m = new ReadOnlySpan<T>((T*)inputAddress, count * n * n);
                    var v = new Span<T>((T*)valueAddress, count * n);
                    var q = new Span<T>((T*)vectorAddress, count * n * n);
                    for (int b = t * perThread; b < Math.Min(blocks, (t + 1) * perThread); b++)
                        DecomposeBlock(m, n, count, b * width, v, q);
                });
            }
        }
        return true;
    }

    /// <summary>One block of up to <see cref="Vector{T}.Count"/> matrices starting at <paramref name="first"/>.</summary>
    private static void DecomposeBlock<T>(ReadOnlySpan<T> matrices, int n, int count, int first, Span<T> values, Span<T> vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<double>.Count;
        int lanes = Math.Min(width, count - first);
        int nn = n * n;
        Span<Vector<double>> a = stackalloc Vector<double>[MaxOrder * MaxOrder];
        Span<Vector<double>> q = stackalloc Vector<double>[MaxOrder * MaxOrder];
        Span<double> lane = stackalloc double[width];

        // Gather: a[i, j] holds element (i, j) of every lane's matrix, symmetrised from the lower triangle.
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                for (int l = 0; l < width; l++)
                    lane[l] = l < lanes ? double.CreateTruncating(matrices[(first + l) * nn + i * n + j]) : (i == j ? 1.0 : 0.0);
                var v = new Vector<double>(lane);
                a[i * n + j] = v;
                a[j * n + i] = v;
                q[i * n + j] = i == j ? Vector<double>.One : Vector<double>.Zero;
                q[j * n + i] = q[i * n + j];
            }

        for (int sweep = 0; sweep < MaxSweeps && !Converged(a, n); sweep++)
            for (int p = 0; p < n - 1; p++)
                for (int r = p + 1; r < n; r++)
                    Rotate(a, q, n, p, r);

        // Scatter, sorting each lane's eigenvalues ascending (insertion order over at most 8 values).
        Span<double> diagonal = stackalloc double[MaxOrder];
        Span<int> order = stackalloc int[MaxOrder];
        for (int l = 0; l < lanes; l++)
        {
            for (int i = 0; i < n; i++)
            {
                diagonal[i] = a[i * n + i][l];
                order[i] = i;
            }
            for (int i = 1; i < n; i++)
                for (int j = i; j > 0 && diagonal[order[j]] < diagonal[order[j - 1]]; j--)
                    (order[j], order[j - 1]) = (order[j - 1], order[j]);
            int m = first + l;
            for (int c = 0; c < n; c++)
            {
                values[m * n + c] = T.CreateTruncating(diagonal[order[c]]);
                for (int i = 0; i < n; i++) vectors[m * nn + i * n + c] = T.CreateTruncating(q[i * n + order[c]][l]);
            }
        }
    }

    /// <summary>
    /// True when, in every lane, the off-diagonal norm is below 10⁻¹⁵ times the diagonal norm (or is zero): further
    /// rotations change nothing in double precision beyond round-off.
    /// </summary>
    private static bool Converged(Span<Vector<double>> a, int n)
    {
        var off = Vector<double>.Zero;
        var diagonal = Vector<double>.Zero;
        for (int i = 0; i < n; i++)
        {
            diagonal += a[i * n + i] * a[i * n + i];
            for (int j = 0; j < i; j++) off += a[i * n + j] * a[i * n + j];
        }
        var tolerance = diagonal * new Vector<double>(1e-30);
        return Vector.LessThanOrEqualAll(off, tolerance);
    }

    /// <summary>
    /// One Jacobi rotation in the (p, r) plane of every lane (Golub &amp; Van Loan's symmetric Schur step): chosen so that
    /// element (p, r) becomes zero, with the smaller of the two possible angles; lanes where it is already zero are
    /// left unchanged (c = 1, s = 0).
    /// </summary>
    private static void Rotate(Span<Vector<double>> a, Span<Vector<double>> q, int n, int p, int r)
    {
        var apr = a[p * n + r];
        var zero = Vector.Equals(apr, Vector<double>.Zero);
        var safe = Vector.ConditionalSelect(zero, Vector<double>.One, apr);
        var tau = (a[r * n + r] - a[p * n + p]) / (safe + safe);
        var absTau = Vector.Abs(tau);
        var t = Vector.SquareRoot(Vector<double>.One + tau * tau) + absTau;
        t = Vector<double>.One / t;
        t = Vector.ConditionalSelect(Vector.LessThan(tau, Vector<double>.Zero), -t, t);
        t = Vector.ConditionalSelect(zero, Vector<double>.Zero, t);
        var c = Vector<double>.One / Vector.SquareRoot(Vector<double>.One + t * t);
        var s = t * c;

        for (int k = 0; k < n; k++)
        {
            var x = a[k * n + p];
            var y = a[k * n + r];
            a[k * n + p] = c * x - s * y;
            a[k * n + r] = s * x + c * y;
        }
        for (int k = 0; k < n; k++)
        {
            var x = a[p * n + k];
            var y = a[r * n + k];
            a[p * n + k] = c * x - s * y;
            a[r * n + k] = s * x + c * y;
        }
        a[p * n + r] = Vector<double>.Zero;
        a[r * n + p] = Vector<double>.Zero;
        for (int k = 0; k < n; k++)
        {
            var x = q[k * n + p];
            var y = q[k * n + r];
            q[k * n + p] = c * x - s * y;
            q[k * n + r] = s * x + c * y;
        }
    }
}
