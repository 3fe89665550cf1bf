using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Cosmic shear in a set of redshift bins (jax-cosmo's <c>WeakLensing</c> probe without intrinsic alignments or
/// multiplicative bias). The lensing efficiency of bin i at redshift z is
/// q_i(z) = (3 H0² Ω_m / 2c) (1 + z) χ(z) ∫_z^{z_max} n_i(z') max(χ' − χ, 0) / max(χ', 1) dz'.
/// The redshift-only parts of every Limber integral (grids, n_i(z') samples, interpolation positions) are tabulated
/// once per floating type and device and reused for every cosmology.
/// </summary>
public sealed class WeakLensingTracer
{
    private readonly ConcurrentDictionary<(ScalarType, DeviceType, int), LimberGrid> _grids = new();

    /// <summary>A tracer over the given bins with shape noise σ_e per ellipticity component.</summary>
    public WeakLensingTracer(IReadOnlyList<RedshiftDistribution> bins, double sigmaE = 0.26)
    {
        if (bins.Count == 0) throw new ArgumentException("A weak-lensing tracer needs at least one redshift bin.", nameof(bins));
        Bins = bins;
        SigmaE = sigmaE;
        ZMax = bins.Max(b => b.ZMax);
        var pairs = new List<(int, int)>();
        for (int i = 0; i < bins.Count; i++)
            for (int j = i; j < bins.Count; j++) pairs.Add((i, j));
        Pairs = pairs;
    }

    /// <summary>The LSST Y10 benchmark's tracer: <see cref="TomographicBins.LsstY10"/> with σ_e = 0.26.</summary>
    public static WeakLensingTracer LsstY10() => new(TomographicBins.LsstY10(), 0.26);

    /// <summary>The redshift bins.</summary>
    public IReadOnlyList<RedshiftDistribution> Bins { get; }

    /// <summary>Intrinsic ellipticity dispersion σ_e.</summary>
    public double SigmaE { get; }

    /// <summary>The largest z_max of the bins: the upper end of every redshift integral.</summary>
    public double ZMax { get; }

    /// <summary>Number of bins.</summary>
    public int BinCount => Bins.Count;

    /// <summary>The bin pairs (i, j), i ≤ j, in the order of the C_ell rows: (0,0), (0,1), …, (0,n−1), (1,1), ….</summary>
    public IReadOnlyList<(int First, int Second)> Pairs { get; }

    /// <summary>Galaxy density of each bin per square arcminute.</summary>
    public double[] GalaxiesPerArcmin2 => Bins.Select(b => b.GalaxiesPerArcmin2).ToArray();

    /// <summary>Shape-noise power σ_e² / n_i (n_i per steradian) of each bin, the constant added to auto-spectra.</summary>
    public double[] NoiseCl => Bins.Select(b => SigmaE * SigmaE / b.GalaxiesPerSteradian).ToArray();

    /// <summary>Per-pixel noise standard deviation σ_e / √(n_i A_pix) of each bin for pixels of the given area in arcmin².</summary>
    public double[] PixelNoiseSigma(double pixelAreaArcmin2) =>
        Bins.Select(b => SigmaE / Math.Sqrt(b.GalaxiesPerArcmin2 * pixelAreaArcmin2)).ToArray();

    /// <summary>
    /// The lensing efficiency q_i(z) of every bin at redshifts <paramref name="z"/> [nz] (data, 0 ≤ z ≤ z_max):
    /// [B, nbins, nz], dimensionless once multiplied by 1/c (the Limber sum carries the 1/c²), the inner integral by
    /// Simpson's rule with 256 intervals on [z, z_max] as jax-cosmo does.
    /// </summary>
    public Tensor Efficiency(CosmologyParameters c, Tensor z)
    {
        if (z.dim() != 1) throw new ArgumentException($"z must be a 1-D tensor; it is [{string.Join(", ", z.shape)}].", nameof(z));
        using var scope = NewDisposeScope();
        var redshifts = z.to(ScalarType.Float64, CPU).data<double>().ToArray();
        var inner = InnerIntegration.For(this, redshifts);
        var distances = Background.TabulateDistance(c);
        var scaleFactors = tensor(redshifts.Select(v => 1.0 / (1.0 + v)).ToArray(), dtype: c.DType, device: c.Device).unsqueeze(0);
        var chi = distances.Interpolate(scaleFactors);                                                       // [B, nz]
        var innerScaleFactors = tensor(inner.Redshifts.Select(v => 1.0 / (1.0 + v)).ToArray(), dtype: c.DType, device: c.Device).unsqueeze(0);
        var chiPrime = distances.Interpolate(innerScaleFactors).reshape(c.BatchSize, redshifts.Length, InnerIntegration.NodesPerPoint);
        var weighted = tensor(inner.WeightedDensities, dtype: c.DType, device: c.Device).reshape(BinCount, redshifts.Length, InnerIntegration.NodesPerPoint);
        var onePlusZ = tensor(redshifts.Select(v => 1.0 + v).ToArray(), dtype: c.DType, device: c.Device);
        return EfficiencyFrom(c, chi, chiPrime, weighted, onePlusZ).MoveToOuterDisposeScope();
    }

    /// <summary>q_i at the scale factors of the Limber grid (<see cref="LimberGrid.ScaleFactors"/>), from precomputed tables: [B, nbins, na].</summary>
    internal Tensor EfficiencyOnLimberGrid(CosmologyParameters c, DistanceTable distances)
    {
        using var scope = NewDisposeScope();
        var grid = GridFor(c.DType, c.Device);
        var chi = TableInterpolation.AtLocated(distances.Chi, grid.OuterLower, grid.OuterFraction).clamp_min(ConstantScalars.Of(0.0));
        var chiPrime = TableInterpolation.AtLocated(distances.Chi, grid.InnerLower, grid.InnerFraction).clamp_min(ConstantScalars.Of(0.0))
            .reshape(c.BatchSize, grid.Count, grid.InnerCount);
        return EfficiencyFrom(c, chi, chiPrime, grid.WeightedDensities, grid.OnePlusZ).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (3 H0² Ω_m / 2c) (1 + z_j) χ_j Σ_m W_ijm max(χ'_jm − χ_j, 0) / max(χ'_jm, 1), with χ [B, n], χ' [B, n, nm],
    /// W = n_i(z'_jm) × quadrature weight [nbins, n, nm] and 1 + z [n]; returns [B, nbins, n].
    /// </summary>
    private static Tensor EfficiencyFrom(CosmologyParameters c, Tensor chi, Tensor chiPrime, Tensor weightedDensities, Tensor onePlusZ)
    {
        using var scope = NewDisposeScope();
        var geometry = (chiPrime - chi.unsqueeze(-1)).clamp_min(ConstantScalars.Of(0.0)) / chiPrime.clamp_min(ConstantScalars.Of(1.0));
        var integral = einsum("ijm,bjm->bij", weightedDensities, geometry);
        var prefactor = TensorArithmetic.Div(TensorArithmetic.Mul(3.0 * CosmologyConstants.H0 * CosmologyConstants.H0, c.OmegaM), (2.0 * CosmologyConstants.SpeedOfLight));
        return (c.Column(prefactor, 3) * integral * (onePlusZ * chi).unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>The tabulated redshift-only parts of the Limber integrals, for one floating type and device.</summary>
    internal LimberGrid GridFor(ScalarType dtype, Device device) =>
        _grids.GetOrAdd((dtype, device.type, device.index), _ => new LimberGrid(this, dtype, device));
}
