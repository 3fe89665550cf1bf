using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>
/// The language's `redshift_bins` value (made by `smail_bins` or `lsst_y10_bins`): tomographic source bins, fixed by the
/// data (never batched). Fields: <see cref="NGal"/>, <see cref="Edges"/> and the layout of the npairs = nbins (nbins + 1) / 2
/// spectra of the bin pairs (<see cref="First"/>, <see cref="Second"/>, <see cref="Pair"/>), rows in the order (0,0), (0,1),
/// …, (0,n−1), (1,1), … as `angular_cl` returns them.
/// </summary>
public sealed class RedshiftBinsObject
{
    /// <param name="bins">The bins, in increasing redshift.</param>
    /// <param name="edges">Photometric-redshift edges (nbins + 1 values).</param>
    /// <param name="real">The model's floating type for the fields.</param>
    /// <param name="device">The model's device.</param>
    public RedshiftBinsObject(IReadOnlyList<RedshiftDistribution> bins, IReadOnlyList<double> edges, ScalarType real, Device device)
    {
        Bins = bins;
        NGal = tensor(bins.Select(b => b.GalaxiesPerArcmin2).ToArray(), dtype: real, device: device);
        Edges = tensor(edges.ToArray(), dtype: real, device: device);
        (First, Second, Pair) = PairLayout(bins.Count, device);
    }

    /// <summary>The bins' redshift distributions.</summary>
    public IReadOnlyList<RedshiftDistribution> Bins { get; }

    /// <summary>Galaxies per square arcminute in each bin, [nbins].</summary>
    public Tensor NGal { get; }

    /// <summary>Bin edges in photometric redshift, [nbins + 1].</summary>
    public Tensor Edges { get; }

    /// <summary>The first bin of each spectrum row, int [npairs].</summary>
    public Tensor First { get; }

    /// <summary>The second bin of each spectrum row, int [npairs].</summary>
    public Tensor Second { get; }

    /// <summary>The spectrum row of bins (i, j), symmetric, int [nbins, nbins].</summary>
    public Tensor Pair { get; }

    /// <summary>The rows of the pairs i ≤ j of n bins: first and second bin of each row, and the row of each (i, j).</summary>
    internal static (Tensor First, Tensor Second, Tensor Pair) PairLayout(int n, Device device)
    {
        var first = new List<long>();
        var second = new List<long>();
        var pair = new long[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                pair[i * n + j] = pair[j * n + i] = first.Count;
                first.Add(i);
                second.Add(j);
            }
        return (tensor(first.ToArray(), device: device), tensor(second.ToArray(), device: device), tensor(pair, device: device).reshape(n, n));
    }
}
