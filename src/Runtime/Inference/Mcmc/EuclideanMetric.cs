namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Which kind of Euclidean metric (mass matrix) a sampler uses, named as CmdStan names them.</summary>
public enum MetricKind
{
    /// <summary>The identity (<c>unit_e</c>); never adapted.</summary>
    Unit,
    /// <summary>A diagonal inverse mass matrix (<c>diag_e</c>), adapted from Welford variances.</summary>
    Diagonal,
    /// <summary>A dense inverse mass matrix (<c>dense_e</c>), adapted from Welford covariances.</summary>
    Dense,
}

/// <summary>
/// The kinetic energy K(p) = ½ pᵀ M⁻¹ p of Euclidean HMC and what follows from it: the velocity M⁻¹p
/// (Stan's <c>dtau_dp</c>, the "sharp" momentum of the no-U-turn criterion) and momentum draws p ~ N(0, M).
/// </summary>
public abstract class EuclideanMetric
{
    /// <summary>The number of coordinates.</summary>
    public abstract int Dimension { get; }

    /// <summary>The metric's kind.</summary>
    public abstract MetricKind Kind { get; }

    /// <summary>M⁻¹ p.</summary>
    public abstract double[] Velocity(double[] momentum);

    /// <summary>A momentum p ~ N(0, M) from D independent standard normals.</summary>
    public abstract double[] MomentumFromStandardNormals(double[] standardNormals);

    /// <summary>The diagonal of the inverse mass matrix.</summary>
    public abstract double[] InverseMassDiagonal();

    /// <summary>½ pᵀ M⁻¹ p given p and M⁻¹ p.</summary>
    public static double KineticEnergy(double[] momentum, double[] velocity) => 0.5 * VectorMath.Dot(momentum, velocity);

    /// <summary>½ pᵀ M⁻¹ p.</summary>
    public double KineticEnergy(double[] momentum) => KineticEnergy(momentum, Velocity(momentum));

    /// <summary>The Hamiltonian H = V(q) + K(p) of a point; NaN becomes +∞ (as in Stan) so that it counts as divergent.</summary>
    public double Hamiltonian(PhasePoint point)
    {
        if (!point.IsFinite) return double.PositiveInfinity;
        double h = point.PotentialEnergy + KineticEnergy(point.Momentum);
        return double.IsNaN(h) ? double.PositiveInfinity : h;
    }

    /// <summary>The identity metric of dimension D.</summary>
    public static DiagonalMetric Unit(int dimension)
    {
        var ones = new double[dimension];
        Array.Fill(ones, 1.0);
        return new DiagonalMetric(ones, MetricKind.Unit);
    }
}
