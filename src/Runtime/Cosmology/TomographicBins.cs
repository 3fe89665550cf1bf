using System.Collections;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Tomographic redshift bins with equal galaxy counts: the edges split the parent's cumulative distribution into equal
/// parts (found by root finding on doubles — the bins do not depend on the cosmology), and each bin is a
/// <see cref="PhotometricRedshiftBin"/> of the parent.
/// </summary>
public sealed class TomographicBins : IReadOnlyList<PhotometricRedshiftBin>
{
    /// <summary>Romberg order sbi_lens integrates the cumulative distribution with (65 nodes on [0, z]).</summary>
    public const int CumulativeRombergOrder = 6;

    private readonly PhotometricRedshiftBin[] _bins;

    private TomographicBins(RedshiftDistribution parent, double[] edges, double photoZScatter)
    {
        Parent = parent;
        Edges = edges;
        PhotoZScatter = photoZScatter;
        _bins = new PhotometricRedshiftBin[edges.Length - 1];
        for (int i = 0; i < _bins.Length; i++) _bins[i] = new PhotometricRedshiftBin(parent, edges[i], edges[i + 1], photoZScatter);
    }

    /// <summary>
    /// Splits <paramref name="parent"/> into <paramref name="binCount"/> bins of equal galaxy count. Edge i solves
    /// ∫₀^z n = i / binCount with the integral by Romberg (order 6, as sbi_lens) and the root by bisection to 1e-13.
    /// </summary>
    public static TomographicBins EqualCounts(RedshiftDistribution parent, int binCount, double photoZScatter = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        var edges = new double[binCount + 1];
        edges[binCount] = parent.ZMax;
        for (int i = 1; i < binCount; i++)
        {
            double target = (double)i / binCount;
            double lo = edges[i - 1], hi = parent.ZMax;
            while (hi - lo > 1e-13 * Math.Max(1.0, hi))
            {
                double mid = 0.5 * (lo + hi);
                double cumulative = parent.Integrate(QuadratureRule.Romberg(0.0, mid, CumulativeRombergOrder));
                if (cumulative < target) lo = mid; else hi = mid;
            }
            edges[i] = 0.5 * (lo + hi);
        }
        return new TomographicBins(parent, edges, photoZScatter);
    }

    /// <summary>The five equal-count bins of the LSST Y10 benchmark (Smail a = 2, b = 0.68, z0 = 0.11, 27 gal/arcmin², σ_z = 0.05(1+z)).</summary>
    public static TomographicBins LsstY10() => EqualCounts(SmailRedshift.LsstY10, 5, 0.05);

    /// <summary>The distribution that was split.</summary>
    public RedshiftDistribution Parent { get; }

    /// <summary>Bin edges in photometric redshift, from 0 to z_max (binCount + 1 values).</summary>
    public IReadOnlyList<double> Edges { get; }

    /// <summary>The photo-z scatter coefficient of every bin.</summary>
    public double PhotoZScatter { get; }

    /// <summary>Galaxy density of each bin in galaxies per square arcminute.</summary>
    public double[] GalaxiesPerArcmin2 => _bins.Select(b => b.GalaxiesPerArcmin2).ToArray();

    /// <summary>Number of bins.</summary>
    public int Count => _bins.Length;

    /// <summary>Bin <paramref name="index"/>, in increasing redshift.</summary>
    public PhotometricRedshiftBin this[int index] => _bins[index];

    /// <inheritdoc />
    public IEnumerator<PhotometricRedshiftBin> GetEnumerator() => ((IEnumerable<PhotometricRedshiftBin>)_bins).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _bins.GetEnumerator();
}
