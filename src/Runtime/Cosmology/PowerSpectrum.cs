using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Matter power spectra in (Mpc/h)³ for wave numbers k in h/Mpc. Wave numbers are [n] (shared by the batch) or
/// [B, n]; a tensor scale-factor argument has the same layout and pairs with k point by point. Results are [B, n].
/// Each call does the per-cosmology set-up (growth ODE, σ_8 normalisation, halofit's σ²(R) table) once.
/// </summary>
public static class PowerSpectrum
{
    /// <summary>Linear P(k, a) = A k^{n_s} T_EH(k)² D(a)², with A such that σ(8 Mpc/h, a = 1) = σ_8 (jax-cosmo's integral).</summary>
    public static Tensor Linear(CosmologyParameters c, Tensor k, double a = 1.0)
    {
        using var scope = NewDisposeScope();
        var kk = c.Batched(k, nameof(k));
        using var keptScalar13 = a.ToScalar();
        return LinearAligned(c, kk, full(1, 1, keptScalar13, dtype: c.DType, device: c.Device)).MoveToOuterDisposeScope();
    }

    /// <summary>Linear P(k_i, a_i) for paired k and a.</summary>
    public static Tensor Linear(CosmologyParameters c, Tensor k, Tensor a)
    {
        using var scope = NewDisposeScope();
        return LinearAligned(c, c.Batched(k, nameof(k)), c.Batched(a, nameof(a))).MoveToOuterDisposeScope();
    }

    /// <summary>Non-linear P(k, a) from halofit with the Takahashi et al. (2012) coefficients.</summary>
    public static Tensor Halofit(CosmologyParameters c, Tensor k, double a = 1.0)
    {
        using var scope = NewDisposeScope();
        var kk = c.Batched(k, nameof(k));
        var power = new MatterPower(c);
        using var keptScalar14 = a.ToScalar();
        var aa = full(1, 1, keptScalar14, dtype: c.DType, device: c.Device);
        var coefficients = power.CoefficientsAt(aa);
        return power.HalofitAligned(kk.unsqueeze(-1), coefficients).squeeze(-1).expand(c.BatchSize, -1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Non-linear P(k_i, a_i) for paired k and a.</summary>
    public static Tensor Halofit(CosmologyParameters c, Tensor k, Tensor a)
    {
        using var scope = NewDisposeScope();
        var kk = c.Batched(k, nameof(k));
        var aa = c.Batched(a, nameof(a));
        if (kk.shape[1] != aa.shape[1]) throw new ArgumentException($"k has {kk.shape[1]} points and a has {aa.shape[1]}; they pair point by point.", nameof(a));
        var power = new MatterPower(c);
        var coefficients = power.CoefficientsAt(aa);
        return power.HalofitAligned(kk, coefficients).expand(c.BatchSize, -1).contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor LinearAligned(CosmologyParameters c, Tensor k, Tensor a)
    {
        using var scope = NewDisposeScope();
        var power = new MatterPower(c);
        var growthSquared = TensorArithmetic.Square(power.GrowthTable.FactorAligned(a));
        return power.LinearAligned(k, growthSquared).expand(c.BatchSize, -1).contiguous().MoveToOuterDisposeScope();
    }
}
