using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>The Smail et al. distribution n(z) ∝ z^a exp(−(z/z0)^b) on [0, z_max].</summary>
public sealed class SmailRedshift : RedshiftDistribution
{
    /// <param name="a">Power-law index a.</param>
    /// <param name="b">Exponential index b.</param>
    /// <param name="z0">Scale redshift z0.</param>
    /// <param name="zMax">Upper end.</param>
    /// <param name="galaxiesPerArcmin2">Total galaxy density.</param>
    public SmailRedshift(double a, double b, double z0, double zMax = 10.0, double galaxiesPerArcmin2 = 1.0)
        : base(zMax, galaxiesPerArcmin2)
    {
        if (!(z0 > 0.0)) throw new ArgumentOutOfRangeException(nameof(z0), "z0 must be positive.");
        A = a;
        B = b;
        Z0 = z0;
    }

    /// <summary>The LSST Y10-like distribution of the log-normal lensing benchmark: a = 2, b = 0.68, z0 = 0.11, z_max = 10, 27 galaxies/arcmin².</summary>
    public static SmailRedshift LsstY10 => new(2.0, 0.68, 0.11, 10.0, 27.0);

    /// <summary>Power-law index a.</summary>
    public double A { get; }

    /// <summary>Exponential index b.</summary>
    public double B { get; }

    /// <summary>Scale redshift z0.</summary>
    public double Z0 { get; }

    /// <summary>z^a exp(−(z/z0)^b).</summary>
    protected override Tensor UnnormalisedDensity(Tensor z)
    {
        using var scope = NewDisposeScope();
        using var keptScalar15 = B.ToScalar();
        using var keptScalar16 = A.ToScalar();
        return (z.pow(keptScalar16) * (-(TensorArithmetic.Div(z, Z0)).pow(keptScalar15)).exp()).MoveToOuterDisposeScope();
    }
}
