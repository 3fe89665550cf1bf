using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Tensors;

/// <summary>
/// The batched Jacobi eigensolver against LAPACK (libtorch's linalg.eigh): values, vectors up to sign, reconstruction
/// and orthonormality on random, repeated-eigenvalue and near-singular matrices, and the attached gradient against
/// finite differences and against eigh's own backward.
/// </summary>
public class SymmetricEigenTests
{
    /// <summary>count random symmetric n × n matrices in float64, seeded.</summary>
    private static Tensor RandomSymmetric(long count, long n, int seed)
    {
        var g = new Generator((ulong)seed);
        var x = randn(new[] { count, n, n }, dtype: ScalarType.Float64, generator: g);
        return TensorArithmetic.Add(x, x.transpose(-2, -1));
    }

    /// <summary>Q diag(λ) Qᵀ with a random orthogonal Q per matrix, for prescribed spectra [count, n].</summary>
    private static Tensor WithSpectrum(Tensor spectra, int seed)
    {
        long count = spectra.shape[0], n = spectra.shape[1];
        var (q, _) = linalg.qr(randn(new[] { count, n, n }, dtype: ScalarType.Float64, generator: new Generator((ulong)seed)));
        return (q * spectra.unsqueeze(-2)).matmul(q.transpose(-2, -1));
    }

    private static void AssertDecomposes(Tensor a, Tensor values, Tensor vectors, double tolerance)
    {
        var scale = linalg.matrix_norm(a).max().item<double>() + 1.0;
        var reconstructed = (vectors * values.unsqueeze(-2)).matmul(vectors.transpose(-2, -1));
        Assert.True(TensorArithmetic.Sub(reconstructed, a).abs().max().item<double>() <= tolerance * scale, "Q Λ Qᵀ differs from A");
        var gram = vectors.transpose(-2, -1).matmul(vectors);
        var identity = eye(a.shape[^1], dtype: a.dtype).expand_as(gram);
        Assert.True(TensorArithmetic.Sub(gram, identity).abs().max().item<double>() <= tolerance * 10, "Qᵀ Q differs from I");
        Assert.True((values.diff(dim: -1) >= ConstantScalars.Of(0.0)).all().item<bool>(), "eigenvalues are not ascending");
        var (reference, _) = linalg.eigh(a);
        Assert.True(TensorArithmetic.Sub(values, reference).abs().max().item<double>() <= tolerance * scale, "eigenvalues differ from LAPACK's");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    public void RandomMatricesMatchLapack(int n)
    {
        // 37 matrices: not a multiple of any SIMD width, so the padded lanes of the last block are exercised.
        var a = RandomSymmetric(37, n, seed: n);
        var (values, vectors) = SymmetricEigen.Decompose(a);
        AssertDecomposes(a, values, vectors, 1e-12);
        // Distinct eigenvalues: each vector equals LAPACK's up to sign.
        var (_, reference) = linalg.eigh(a);
        var overlap = (vectors * reference).sum(-2).abs();
        Assert.True(TensorArithmetic.Sub(overlap, 1.0).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void RepeatedAndNearZeroEigenvaluesAreExact()
    {
        var spectra = tensor(new double[,]
        {
            { 1, 1, 2, 3, 3 },
            { 0, 0, 0, 0, 0 },
            { 0, 1e-10, 1, 1, 1 },
            { -1e-12, 0, 1e-12, 2, 5 },
            { 4, 4, 4, 4, 4 },
            { -3, -3, 0, 7, 7 },
        });
        var a = WithSpectrum(spectra, seed: 3);
        var (values, vectors) = SymmetricEigen.Decompose(a);
        AssertDecomposes(a, values, vectors, 1e-12);
        Assert.True(TensorArithmetic.Sub(values, spectra).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void Float32InputIsAccurateToItsRoundOff()
    {
        var a64 = RandomSymmetric(200, 5, seed: 11);
        var a32 = a64.to_type(ScalarType.Float32);
        var (values, vectors) = SymmetricEigen.Decompose(a32);
        Assert.Equal(ScalarType.Float32, values.dtype);
        Assert.Equal(ScalarType.Float32, vectors.dtype);
        AssertDecomposes(a32.to_type(ScalarType.Float64), values.to_type(ScalarType.Float64), vectors.to_type(ScalarType.Float64), 2e-6);
    }

    [Fact]
    public void LeadingAxesAndThreadCountsGiveTheSameResult()
    {
        var a = RandomSymmetric(24, 5, seed: 5);
        var (flatValues, flatVectors) = SymmetricEigen.Decompose(a);
        var (values, vectors) = SymmetricEigen.Decompose(a.reshape(2, 3, 4, 5, 5));
        Assert.Equal(new long[] { 2, 3, 4, 5 }, values.shape);
        Assert.True(values.reshape(24, 5).equal(flatValues).all().item<bool>());
        Assert.True(vectors.reshape(24, 5, 5).equal(flatVectors).all().item<bool>());

        // Each block of matrices is independent, so the split across threads cannot change a bit.
        var input = a.contiguous().data<double>().ToArray();
        var one = (new double[24 * 5], new double[24 * 25]);
        var many = (new double[24 * 5], new double[24 * 25]);
        Assert.True(JacobiEigenKernel.Decompose<double>(input, 5, 24, one.Item1, one.Item2, threads: 1));
        Assert.True(JacobiEigenKernel.Decompose<double>(input, 5, 24, many.Item1, many.Item2, threads: 3));
        Assert.Equal(one.Item1, many.Item1);
        Assert.Equal(one.Item2, many.Item2);
    }

    [Fact]
    public void OnlyTheLowerTriangleIsRead()
    {
        var a = RandomSymmetric(4, 5, seed: 8);
        var garbage = TensorArithmetic.Add(a.tril(), TensorArithmetic.Mul(randn(new long[] { 4, 5, 5 }, dtype: ScalarType.Float64, generator: new Generator(2)).triu(1), 100.0));
        var (values, _) = SymmetricEigen.Decompose(garbage);
        var (reference, _) = linalg.eigh(garbage);
        Assert.True(TensorArithmetic.Sub(values, reference).abs().max().item<double>() < 1e-11);
    }

    [Fact]
    public void NonFiniteInputIsLeftToLapack()
    {
        var values = new double[5];
        var vectors = new double[25];
        var input = new double[25];
        input[7] = double.NaN;
        Assert.False(JacobiEigenKernel.Decompose<double>(input, 5, 1, values, vectors));
    }

    [Fact]
    public void GradientOfASquareRootMatchesFiniteDifferences()
    {
        // f(A) = Σ W ∘ (Q √Λ Qᵀ) + Σ_i c_i q_iᵀ B q_i: the model's per-mode square root, and a function of the individual
        // (sign-invariant) eigenvectors. Central differences along random symmetric directions.
        var a = WithSpectrum(tensor(new double[,] { { 0.3, 0.9, 1.7, 2.2, 4.1 }, { 0.01, 0.5, 0.6, 3, 8 } }), seed: 21);
        var w = randn(new long[] { 2, 5, 5 }, dtype: ScalarType.Float64, generator: new Generator(4));
        var b = RandomSymmetric(1, 5, seed: 6)[0];
        var c = tensor(new double[] { 1.0, -2.0, 0.5, 3.0, -1.0 });
        Tensor F(Tensor m)
        {
            var (lam, q) = SymmetricEigen.Decompose(m);
            var root = (q * lam.sqrt().unsqueeze(-2)).matmul(q.transpose(-2, -1));
            var quadratic = (q * b.matmul(q)).sum(-2);
            return TensorArithmetic.Add((w * root).sum(), (quadratic * c).sum());
        }

        var x = a.clone().requires_grad_(true);
        var gradient = autograd.grad(new[] { F(x) }, new[] { x })[0];
        for (int d = 0; d < 4; d++)
        {
            var direction = RandomSymmetric(2, 5, seed: 100 + d);
            double h = 1e-5;
            using var noGrad = no_grad();
            double numeric = (F(TensorArithmetic.Add(a, TensorArithmetic.Mul(direction, h))).item<double>() - F(TensorArithmetic.Sub(a, TensorArithmetic.Mul(direction, h))).item<double>()) / (2 * h);
            double analytic = (gradient * direction).sum().item<double>();
            Assert.True(Math.Abs(numeric - analytic) < 1e-6 * (1 + Math.Abs(numeric)), $"direction {d}: {analytic} vs {numeric}");
        }

        // And the same gradient as libtorch's eigh backward (on symmetric directions: compare symmetric parts).
        var y = a.clone().requires_grad_(true);
        var (lamRef, qRef) = linalg.eigh(y);
        var rootRef = (qRef * lamRef.sqrt().unsqueeze(-2)).matmul(qRef.transpose(-2, -1));
        var reference = autograd.grad(new[] { TensorArithmetic.Add((w * rootRef).sum(), ((qRef * b.matmul(qRef)).sum(-2) * c).sum()) }, new[] { y })[0];
        var symmetricPart = TensorArithmetic.Add(gradient, gradient.transpose(-2, -1));
        var symmetricReference = TensorArithmetic.Add(reference, reference.transpose(-2, -1));
        Assert.True(TensorArithmetic.Sub(symmetricPart, symmetricReference).abs().max().item<double>() < 1e-8);
    }

    [Fact]
    public void TheForwardValueCarriesNoPerturbation()
    {
        // With the gradient attached, the values and vectors are exactly the off-graph ones.
        var a = RandomSymmetric(9, 5, seed: 30);
        var (values, vectors) = SymmetricEigen.Decompose(a);
        var (withValues, withVectors) = SymmetricEigen.Decompose(a.clone().requires_grad_(true));
        Assert.True(withValues.detach().equal(values).all().item<bool>());
        Assert.True(withVectors.detach().equal(vectors).all().item<bool>());
    }

    [Fact]
    public void GradientSurvivesGarbageCollectionBetweenForwardAndBackward()
    {
        // The autograd node is a managed object reached from native code: collect between building the graph and
        // running it, many times, and compare with the float64 reference each time.
        var a = RandomSymmetric(64, 5, seed: 40);
        var weights = randn(new long[] { 64, 5 }, dtype: ScalarType.Float64, generator: new Generator(41));
        var x0 = a.clone().requires_grad_(true);
        var (lamRef, _) = linalg.eigh(x0);
        var reference = autograd.grad(new[] { (lamRef * weights).sum() }, new[] { x0 })[0];
        var symmetricReference = TensorArithmetic.Add(reference, reference.transpose(-2, -1));
        for (int i = 0; i < 20; i++)
        {
            using var scope = NewDisposeScope();
            var x = a.clone().requires_grad_(true);
            var (lam, _) = SymmetricEigen.Decompose(x);
            var loss = (lam * weights).sum();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var g = autograd.grad(new[] { loss }, new[] { x })[0];
            var symmetric = TensorArithmetic.Add(g, g.transpose(-2, -1));
            Assert.True(TensorArithmetic.Sub(symmetric, symmetricReference).abs().max().item<double>() < 1e-9);
        }
    }

    [Fact]
    public void OnlyTheLowerTriangleReceivesGradient()
    {
        var x = RandomSymmetric(3, 5, seed: 50).requires_grad_(true);
        var (lam, _) = SymmetricEigen.Decompose(x);
        var g = autograd.grad(new[] { lam.sum() }, new[] { x })[0];
        Assert.Equal(0.0, g.triu(1).abs().max().item<double>());
        // Σλ = trace: the diagonal gets 1, the strict lower triangle 0 (up to round-off).
        Assert.True(TensorArithmetic.Sub(g.diagonal(0, -2, -1), 1.0).abs().max().item<double>() < 1e-12);
        Assert.True(g.tril(-1).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void AnUnusedOutputFreedBeforeBackwardIsNoProblem()
    {
        // As in a model evaluation: the decomposition runs inside a dispose scope that ends (freeing the unused
        // eigenvector output) before the backward pass; only the eigenvalues flow into the loss.
        var x = RandomSymmetric(6, 5, seed: 60).requires_grad_(true);
        Tensor loss;
        using (var scope = NewDisposeScope())
        {
            var (lam, vectors) = SymmetricEigen.Decompose(x);
            loss = lam.sum().MoveToOuterDisposeScope();
            vectors.Dispose();
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var g = autograd.grad(new[] { loss }, new[] { x })[0];
        Assert.True(TensorArithmetic.Sub(g.diagonal(0, -2, -1), 1.0).abs().max().item<double>() < 1e-12);
    }
}
