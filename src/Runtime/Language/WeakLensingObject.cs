using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>
/// The language's `weak_lensing` value (made by `weak_lensing(bins, sigma_e)`): a cosmic-shear tracer, fixed by the data.
/// Its fields describe the bins, the shape noise and the layout of the npairs = nbins (nbins + 1) / 2 spectra that
/// `angular_cl` returns (rows in the order (0,0), (0,1), …, (0,n−1), (1,1), …).
/// </summary>
public sealed class WeakLensingObject
{
    /// <param name="tracer">The tracer (it caches its redshift tables per floating type and device).</param>
    /// <param name="real">The model's floating type for the fields.</param>
    /// <param name="device">The model's device.</param>
    public WeakLensingObject(WeakLensingTracer tracer, ScalarType real, Device device)
    {
        Tracer = tracer;
        int n = tracer.BinCount;
        NGal = tensor(tracer.GalaxiesPerArcmin2, dtype: real, device: device);
        NoiseCl = tensor(tracer.NoiseCl, dtype: real, device: device);
        SigmaE = tensor(tracer.SigmaE, dtype: real, device: device);
        // The tracer's pair order is the one RedshiftBinsObject lays out (i ≤ j, row-major).
        (First, Second, Pair) = RedshiftBinsObject.PairLayout(n, device);
    }

    /// <summary>The tracer as the cosmology library takes it.</summary>
    public WeakLensingTracer Tracer { get; }

    /// <summary>Galaxies per square arcminute in each bin, [nbins].</summary>
    public Tensor NGal { get; }

    /// <summary>Shape-noise power σ_e² / n_i (n_i per steradian) of each bin, [nbins].</summary>
    public Tensor NoiseCl { get; }

    /// <summary>σ_e, a scalar.</summary>
    public Tensor SigmaE { get; }

    /// <summary>The first bin of each spectrum row, int [npairs].</summary>
    public Tensor First { get; }

    /// <summary>The second bin of each spectrum row, int [npairs].</summary>
    public Tensor Second { get; }

    /// <summary>The spectrum row of bins (i, j), symmetric, int [nbins, nbins].</summary>
    public Tensor Pair { get; }
}
