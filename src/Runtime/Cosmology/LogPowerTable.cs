using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// ln Δ²_lin(k, a = 1) = ln(k³ P_lin(k, 1) / 2π²) of a batch of cosmologies on a uniform grid in ln k, read by
/// linear interpolation. It replaces the Eisenstein–Hu evaluation at every (ℓ, a) point of the Limber grid: the fit is
/// evaluated at the grid's few thousand nodes instead. With the spacing used here the interpolation error is below
/// 1e-5 relative in P (BAO wiggles included), far below the float32 resolution of the results that matter.
/// Its tensors belong to the dispose scope that was active when it was built.
/// </summary>
internal sealed class LogPowerTable
{
    /// <summary>ln k of the first node (k ≈ 4.5·10⁻⁵ h/Mpc, below (ℓ + ½)/χ for ℓ = 0 at z = 10).</summary>
    public const double LogKMin = -10.0;

    /// <summary>ln k of the last node (k ≈ 2.2·10⁴ h/Mpc); beyond the ends the table extrapolates linearly.</summary>
    public const double LogKMax = 10.0;

    /// <summary>Node spacing in ln k.</summary>
    public const double Step = 0.005;

    public static readonly int NodeCount = (int)Math.Round((LogKMax - LogKMin) / Step) + 1;

    public LogPowerTable(Tensor values) => Values = values;

    /// <summary>ln Δ²_lin at the nodes, [B, n].</summary>
    public Tensor Values { get; }

    /// <summary>
    /// ln Δ²_lin at positions given in node units, p = (ln k − ln k_min)/step, of shape [B, …]; returns [B, …].
    /// Differentiable in the table and in p.
    /// </summary>
    public Tensor AtNodePosition(Tensor position)
    {
        using var scope = NewDisposeScope();
        long batch = Values.shape[0];
        var shape = position.shape;
        using var keptScalar6 = (NodeCount - 2).ToScalar();
        // A non-finite position (from a non-finite cosmology) reads node 0: its fraction is NaN, and so is the result.
        var detached = position.detach();
        var lower = where(detached.isfinite(), detached, zeros_like(detached)).floor().clamp(ConstantScalars.Of(0), keptScalar6);
        var fraction = position - lower;
        var index = lower.to(ScalarType.Int64).reshape(batch, -1);
        var v0 = Values.gather(1, index);
        var v1 = Values.gather(1, TensorArithmetic.Add(index, 1));
        var flatFraction = fraction.reshape(batch, -1);
        return (TensorArithmetic.Add(v0, flatFraction * (v1 - v0))).reshape(shape).MoveToOuterDisposeScope();
    }
}
