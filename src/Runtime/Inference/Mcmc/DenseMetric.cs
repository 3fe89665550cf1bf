namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>A dense inverse mass matrix M⁻¹ = Σ, kept with its Cholesky factor Σ = L Lᵀ.</summary>
public sealed class DenseMetric : EuclideanMetric
{
    private readonly double[] _inverseMass;   // row-major D×D
    private readonly double[] _cholesky;      // lower triangle, row-major

    /// <param name="inverseMass">M⁻¹ as a row-major D×D array (for example a posterior covariance); symmetric positive definite.</param>
    public DenseMetric(double[,] inverseMass)
    {
        int d = inverseMass.GetLength(0);
        if (inverseMass.GetLength(1) != d) throw new ArgumentException("The inverse mass matrix must be square.", nameof(inverseMass));
        _inverseMass = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                _inverseMass[i * d + j] = 0.5 * (inverseMass[i, j] + inverseMass[j, i]);
        Dimension = d;
        _cholesky = CholeskyFactor.Lower(_inverseMass, d)
            ?? throw new ArgumentException("The inverse mass matrix is not positive definite.", nameof(inverseMass));
    }

    /// <inheritdoc />
    public override int Dimension { get; }

    /// <inheritdoc />
    public override MetricKind Kind => MetricKind.Dense;

    /// <summary>A copy of M⁻¹.</summary>
    public double[,] InverseMass()
    {
        var m = new double[Dimension, Dimension];
        for (int i = 0; i < Dimension; i++)
            for (int j = 0; j < Dimension; j++)
                m[i, j] = _inverseMass[i * Dimension + j];
        return m;
    }

    /// <inheritdoc />
    public override double[] Velocity(double[] momentum)
    {
        int d = Dimension;
        var v = new double[d];
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            int row = i * d;
            for (int j = 0; j < d; j++) s += _inverseMass[row + j] * momentum[j];
            v[i] = s;
        }
        return v;
    }

    /// <inheritdoc />
    public override double[] MomentumFromStandardNormals(double[] standardNormals) =>
        // p = L⁻ᵀ z has covariance L⁻ᵀ L⁻¹ = (L Lᵀ)⁻¹ = M.
        CholeskyFactor.SolveUpperTransposed(_cholesky, Dimension, standardNormals);

    /// <inheritdoc />
    public override double[] InverseMassDiagonal()
    {
        var diag = new double[Dimension];
        for (int i = 0; i < Dimension; i++) diag[i] = _inverseMass[i * Dimension + i];
        return diag;
    }
}
