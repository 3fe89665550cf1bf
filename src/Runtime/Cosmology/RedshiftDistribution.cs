using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// A source redshift distribution n(z) on [0, z_max], normalised as jax-cosmo does: the unnormalised density divided
/// by its Simpson integral over [0, z_max] with 256 intervals. Distributions do not depend on the cosmology, so they
/// are evaluated in float64 on the CPU once, when a tracer tabulates them.
/// </summary>
public abstract class RedshiftDistribution
{
    /// <summary>Intervals of the Simpson rule jax-cosmo normalises n(z) and counts galaxies with.</summary>
    public const int NormalisationIntervals = 256;

    private readonly Lazy<double> _normalisation;

    /// <param name="zMax">Upper end of the distribution.</param>
    /// <param name="galaxiesPerArcmin2">Galaxy density per square arcminute.</param>
    protected RedshiftDistribution(double zMax, double galaxiesPerArcmin2)
    {
        if (!(zMax > 0.0)) throw new ArgumentOutOfRangeException(nameof(zMax), "z_max must be positive.");
        ZMax = zMax;
        GalaxiesPerArcmin2 = galaxiesPerArcmin2;
        _normalisation = new Lazy<double>(() => QuadratureRule.Simpson(0.0, ZMax, NormalisationIntervals).Integrate(UnnormalisedDensity));
    }

    /// <summary>Upper end of the distribution (the lensing kernels integrate up to it).</summary>
    public double ZMax { get; }

    /// <summary>Galaxy number density in galaxies per square arcminute.</summary>
    public virtual double GalaxiesPerArcmin2 { get; }

    /// <summary>Galaxy number density per steradian.</summary>
    public double GalaxiesPerSteradian => GalaxiesPerArcmin2 * CosmologyConstants.ArcminSquaredPerSteradian;

    /// <summary>The normalised density at z (any floating tensor; same type and device out).</summary>
    public Tensor Density(Tensor z)
    {
        using var scope = NewDisposeScope();
        return (TensorArithmetic.Div(UnnormalisedDensity(z), _normalisation.Value)).MoveToOuterDisposeScope();
    }

    /// <summary>The normalised density at one redshift.</summary>
    public double Density(double z) => UnnormalisedDensity(z) / _normalisation.Value;

    /// <summary>The density before normalisation.</summary>
    protected abstract Tensor UnnormalisedDensity(Tensor z);

    /// <summary>The density before normalisation at one redshift.</summary>
    protected double UnnormalisedDensity(double z)
    {
        using var scope = NewDisposeScope();
        return UnnormalisedDensity(tensor(z, dtype: ScalarType.Float64)).item<double>();
    }

    /// <summary>∫ n(z) dz over [a, b] by Simpson's rule with <paramref name="intervals"/> intervals, evaluated as one tensor call.</summary>
    public double Integrate(double a, double b, int intervals = NormalisationIntervals) => Integrate(QuadratureRule.Simpson(a, b, intervals));

    /// <summary>∫ n(z) dz with a given rule, evaluated as one tensor call.</summary>
    public double Integrate(QuadratureRule rule)
    {
        using var scope = NewDisposeScope();
        var values = Density(tensor(rule.Nodes, dtype: ScalarType.Float64)).data<double>().ToArray();
        double s = 0.0;
        for (int i = 0; i < values.Length; i++) s += rule.Weights[i] * values[i];
        return s;
    }
}
