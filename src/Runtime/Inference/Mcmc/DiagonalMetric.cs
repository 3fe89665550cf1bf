namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>A diagonal inverse mass matrix M⁻¹ = diag(d).</summary>
public sealed class DiagonalMetric : EuclideanMetric
{
    private readonly double[] _inverseMass;
    private readonly double[] _inverseMassSqrt;

    /// <param name="inverseMassDiagonal">The diagonal of M⁻¹ (for example the posterior variances); positive.</param>
    /// <param name="kind"><see cref="MetricKind.Diagonal"/>, or <see cref="MetricKind.Unit"/> for the identity.</param>
    public DiagonalMetric(double[] inverseMassDiagonal, MetricKind kind = MetricKind.Diagonal)
    {
        if (kind == MetricKind.Dense) throw new ArgumentException("A diagonal metric cannot be dense.", nameof(kind));
        foreach (var d in inverseMassDiagonal)
            if (!(d > 0) || !double.IsFinite(d)) throw new ArgumentException("Inverse mass elements must be positive and finite.", nameof(inverseMassDiagonal));
        _inverseMass = (double[])inverseMassDiagonal.Clone();
        _inverseMassSqrt = _inverseMass.Select(Math.Sqrt).ToArray();
        Kind = kind;
    }

    /// <inheritdoc />
    public override int Dimension => _inverseMass.Length;

    /// <inheritdoc />
    public override MetricKind Kind { get; }

    /// <inheritdoc />
    public override double[] Velocity(double[] momentum)
    {
        var v = new double[momentum.Length];
        for (int i = 0; i < v.Length; i++) v[i] = _inverseMass[i] * momentum[i];
        return v;
    }

    /// <inheritdoc />
    public override double[] MomentumFromStandardNormals(double[] standardNormals)
    {
        // p_i = z_i / sqrt(d_i) has variance 1/d_i = M_ii.
        var p = new double[standardNormals.Length];
        for (int i = 0; i < p.Length; i++) p[i] = standardNormals[i] / _inverseMassSqrt[i];
        return p;
    }

    /// <inheritdoc />
    public override double[] InverseMassDiagonal() => (double[])_inverseMass.Clone();
}
