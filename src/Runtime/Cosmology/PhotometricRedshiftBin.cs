using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// One tomographic bin: the galaxies of a parent distribution whose photometric redshift falls in [z_low, z_high),
/// with a Gaussian photo-z error σ_z = scatter·(1 + z). Its density is
/// ½ n(z) [erf((z_high − z)/(√2 σ_z)) − erf((z_low − z)/(√2 σ_z))], normalised over [0, z_max] (sbi_lens's
/// <c>photoz_bin</c>, with z_max = 10 as jax-cosmo's default).
/// </summary>
public sealed class PhotometricRedshiftBin : RedshiftDistribution
{
    /// <param name="parent">The distribution the bin is cut from.</param>
    /// <param name="zLow">Lower photometric-redshift edge.</param>
    /// <param name="zHigh">Upper photometric-redshift edge.</param>
    /// <param name="photoZScatter">σ_z / (1 + z), 0.05 for LSST Y10.</param>
    /// <param name="zMax">Upper end of the bin's own redshift range (normalisation and lensing integrals).</param>
    public PhotometricRedshiftBin(RedshiftDistribution parent, double zLow, double zHigh, double photoZScatter, double zMax = 10.0)
        : base(zMax, 0.0)
    {
        if (!(zHigh > zLow)) throw new ArgumentException("A bin needs z_high > z_low.", nameof(zHigh));
        Parent = parent;
        ZLow = zLow;
        ZHigh = zHigh;
        PhotoZScatter = photoZScatter;
        _galaxies = new Lazy<double>(() => Parent.GalaxiesPerArcmin2 * Parent.Integrate(ZLow, ZHigh));
    }

    private readonly Lazy<double> _galaxies;

    /// <summary>The distribution the bin is cut from.</summary>
    public RedshiftDistribution Parent { get; }

    /// <summary>Lower photometric-redshift edge.</summary>
    public double ZLow { get; }

    /// <summary>Upper photometric-redshift edge.</summary>
    public double ZHigh { get; }

    /// <summary>The photo-z scatter coefficient: σ_z = scatter·(1 + z).</summary>
    public double PhotoZScatter { get; }

    /// <summary>The parent's galaxy density times the parent's fraction between the edges (Simpson, 256 intervals), as sbi_lens counts it.</summary>
    public override double GalaxiesPerArcmin2 => _galaxies.Value;

    /// <summary>½ n(z) [erf((z_high − z)/(√2 σ_z)) − erf((z_low − z)/(√2 σ_z))], σ_z = scatter·(1 + z).</summary>
    protected override Tensor UnnormalisedDensity(Tensor z)
    {
        using var scope = NewDisposeScope();
        var x = TensorArithmetic.Div(1.0, (TensorArithmetic.Mul(Math.Sqrt(2.0) * PhotoZScatter, (TensorArithmetic.Add(1.0, z)))));
        var window = special.erf((TensorArithmetic.Sub(ZHigh, z)) * x) - special.erf((TensorArithmetic.Sub(ZLow, z)) * x);
        return (TensorArithmetic.Mul(0.5, Parent.Density(z)) * window).MoveToOuterDisposeScope();
    }
}
