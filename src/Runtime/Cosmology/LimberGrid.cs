using static TorchSharp.torch;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// The cosmology-independent tables of the Limber integral for one tracer, floating type and device (jax-cosmo's
/// quadratures): the outer integral over a ∈ [1/(1 + z_max), 1] by Simpson with 512 intervals; for each of its nodes
/// z_j, the lensing-efficiency integral over z' ∈ [z_j, z_max] by Simpson with 256 intervals, whose samples of n_i(z')
/// times the weights are stored here; and where every a and a' = 1/(1 + z') falls in the distance table.
/// The tensors are detached from any dispose scope: they live as long as the tracer.
/// </summary>
internal sealed class LimberGrid
{
    /// <summary>Simpson intervals of the outer (scale-factor) integral.</summary>
    public const int OuterIntervals = 512;

    public LimberGrid(WeakLensingTracer tracer, ScalarType dtype, Device device)
    {
        double zMax = tracer.ZMax;
        var outer = QuadratureRule.Simpson(1.0 / (1.0 + zMax), 1.0, OuterIntervals);
        Count = outer.Nodes.Length;
        InnerCount = InnerIntegration.Intervals + 1;
        var z = outer.Nodes.Select(a => 1.0 / a - 1.0).ToArray();

        var inner = InnerIntegration.For(tracer, z);
        var tableNodes = Background.DistanceTableScaleFactors;
        var (outerLower, outerFraction) = TableInterpolation.Locate(tableNodes, outer.Nodes);
        var (innerLower, innerFraction) = TableInterpolation.Locate(tableNodes, inner.Redshifts.Select(zp => 1.0 / (1.0 + zp)).ToArray());

        WeightedDensities = tensor(inner.WeightedDensities, dtype: dtype, device: device)
            .reshape(tracer.BinCount, Count, InnerCount).DetachFromDisposeScope();
        ScaleFactors = tensor(outer.Nodes, dtype: dtype, device: device).DetachFromDisposeScope();
        Weights = tensor(outer.Weights, dtype: dtype, device: device).DetachFromDisposeScope();
        OnePlusZ = tensor(z.Select(v => 1.0 + v).ToArray(), dtype: dtype, device: device).DetachFromDisposeScope();
        OuterLower = tensor(outerLower, device: device).DetachFromDisposeScope();
        OuterFraction = tensor(outerFraction, dtype: dtype, device: device).DetachFromDisposeScope();
        InnerLower = tensor(innerLower, device: device).DetachFromDisposeScope();
        InnerFraction = tensor(innerFraction, dtype: dtype, device: device).DetachFromDisposeScope();
    }

    /// <summary>Number of outer nodes na.</summary>
    public int Count { get; }

    /// <summary>Number of inner nodes per outer node nm.</summary>
    public int InnerCount { get; }

    /// <summary>Outer nodes a_j, [na].</summary>
    public Tensor ScaleFactors { get; }

    /// <summary>Outer Simpson weights, [na].</summary>
    public Tensor Weights { get; }

    /// <summary>1 + z_j at the outer nodes, [na].</summary>
    public Tensor OnePlusZ { get; }

    /// <summary>n_i(z'_{jm}) times the inner Simpson weight, [nbins, na, nm].</summary>
    public Tensor WeightedDensities { get; }

    public Tensor OuterLower { get; }
    public Tensor OuterFraction { get; }
    public Tensor InnerLower { get; }
    public Tensor InnerFraction { get; }
}
