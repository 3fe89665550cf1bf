using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// The radial comoving distance of a batch of cosmologies tabulated at fixed scale factors, read by linear
/// interpolation (as jax-cosmo does). Compute it once with <see cref="Background.TabulateDistance"/> and query it
/// many times. Its tensors belong to the dispose scope that was active when it was built.
/// </summary>
public sealed class DistanceTable
{
    internal DistanceTable(Tensor scaleFactors, Tensor chi)
    {
        ScaleFactors = scaleFactors;
        Chi = chi;
    }

    /// <summary>Table nodes a, [n], increasing.</summary>
    public Tensor ScaleFactors { get; }

    /// <summary>χ(a) at the nodes in Mpc/h, [B, n].</summary>
    public Tensor Chi { get; }

    /// <summary>χ(a) for a of shape [n] (shared) or [B, n]; returns [B, n], clipped at 0.</summary>
    public Tensor RadialComovingDistance(Tensor a)
    {
        using var scope = NewDisposeScope();
        var aa = a.dim() == 1 ? a.unsqueeze(0) : a;
        return Interpolate(aa.to(Chi.dtype, Chi.device)).MoveToOuterDisposeScope();
    }

    /// <summary>χ at a [B or 1, …] → [B, …].</summary>
    internal Tensor Interpolate(Tensor a)
    {
        using var scope = NewDisposeScope();
        return TableInterpolation.Linear(ScaleFactors, Chi, a).clamp_min(ConstantScalars.Of(0.0)).MoveToOuterDisposeScope();
    }

    internal void MoveToOuterDisposeScope()
    {
        ScaleFactors.MoveToOuterDisposeScope();
        Chi.MoveToOuterDisposeScope();
    }
}
