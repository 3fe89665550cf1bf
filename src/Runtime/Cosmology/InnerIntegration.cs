using static TorchSharp.torch;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// The redshift-only part of the lensing-efficiency integral ∫_z^{z_max} n_i(z') g(z, z') dz' for a set of lower
/// limits z: for each z, Simpson's rule with 256 intervals on [z, z_max] (jax-cosmo's rule); its nodes z' and the
/// products n_i(z') × weight, evaluated once in float64.
/// </summary>
internal sealed class InnerIntegration
{
    /// <summary>Simpson intervals of the inner integral.</summary>
    public const int Intervals = 256;

    private InnerIntegration(double[] redshifts, double[] weightedDensities)
    {
        Redshifts = redshifts;
        WeightedDensities = weightedDensities;
    }

    /// <summary>Nodes per lower limit.</summary>
    public const int NodesPerPoint = Intervals + 1;

    /// <summary>z' nodes, [nz × (Intervals + 1)] row-major.</summary>
    public double[] Redshifts { get; }

    /// <summary>n_i(z') × Simpson weight, [nbins × nz × (Intervals + 1)] row-major.</summary>
    public double[] WeightedDensities { get; }

    public static InnerIntegration For(WeakLensingTracer tracer, double[] lowerLimits)
    {
        int nodes = Intervals + 1;
        var z = new double[lowerLimits.Length * nodes];
        var w = new double[lowerLimits.Length * nodes];
        for (int j = 0; j < lowerLimits.Length; j++)
        {
            var rule = QuadratureRule.Simpson(lowerLimits[j], tracer.ZMax, Intervals);
            Array.Copy(rule.Nodes, 0, z, j * nodes, nodes);
            Array.Copy(rule.Weights, 0, w, j * nodes, nodes);
        }
        using var scope = NewDisposeScope();
        var zPrime = tensor(z, dtype: ScalarType.Float64);
        var weights = tensor(w, dtype: ScalarType.Float64);
        var densities = stack(tracer.Bins.Select(b => b.Density(zPrime) * weights).ToArray());
        return new InnerIntegration(z, densities.data<double>().ToArray());
    }
}
