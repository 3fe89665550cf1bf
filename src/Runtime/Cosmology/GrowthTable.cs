using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Linear growth factor and rate of a batch of cosmologies tabulated at fixed scale factors (see <see cref="Growth.Tabulate"/>),
/// read by linear interpolation. Its tensors belong to the dispose scope that was active when it was built.
/// </summary>
public sealed class GrowthTable
{
    internal GrowthTable(Tensor scaleFactors, Tensor factor, Tensor rate)
    {
        ScaleFactors = scaleFactors;
        FactorAtNodes = factor;
        RateAtNodes = rate;
    }

    /// <summary>Table nodes a, [n], increasing.</summary>
    public Tensor ScaleFactors { get; }

    /// <summary>D(a) at the nodes, [B, n], with D(1) = 1.</summary>
    public Tensor FactorAtNodes { get; }

    /// <summary>d ln D / d ln a at the nodes, [B, n].</summary>
    public Tensor RateAtNodes { get; }

    /// <summary>D(a) for a of shape [n] or [B, n]; returns [B, n], clipped to [0, 1] as jax-cosmo does.</summary>
    public Tensor Factor(Tensor a)
    {
        using var scope = NewDisposeScope();
        var aa = a.dim() == 1 ? a.unsqueeze(0) : a;
        return FactorAligned(aa.to(FactorAtNodes.dtype, FactorAtNodes.device)).MoveToOuterDisposeScope();
    }

    /// <summary>f(a) for a of shape [n] or [B, n]; returns [B, n].</summary>
    public Tensor Rate(Tensor a)
    {
        using var scope = NewDisposeScope();
        var aa = a.dim() == 1 ? a.unsqueeze(0) : a;
        return TableInterpolation.Linear(ScaleFactors, RateAtNodes, aa.to(RateAtNodes.dtype, RateAtNodes.device)).MoveToOuterDisposeScope();
    }

    /// <summary>D at a [B or 1, …] → [B, …].</summary>
    internal Tensor FactorAligned(Tensor a)
    {
        using var scope = NewDisposeScope();
        return TableInterpolation.Linear(ScaleFactors, FactorAtNodes, a).clamp(ConstantScalars.Of(0.0), ConstantScalars.Of(1.0)).MoveToOuterDisposeScope();
    }

    internal void MoveToOuterDisposeScope()
    {
        ScaleFactors.MoveToOuterDisposeScope();
        FactorAtNodes.MoveToOuterDisposeScope();
        RateAtNodes.MoveToOuterDisposeScope();
    }
}
