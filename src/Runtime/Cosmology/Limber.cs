using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Angular power spectra in the Limber approximation, as jax-cosmo computes them:
/// C_ℓ^{ij} = (1/c²) ∫ da P_nl(k = (ℓ + ½)/χ, a) q_i q_j F(ℓ)² (dχ/da) / max(χ², 1), with
/// F(ℓ) = √((ℓ−1)ℓ(ℓ+1)(ℓ+2)) / (ℓ + ½)², the Eisenstein–Hu transfer function and Takahashi halofit.
/// </summary>
public static class Limber
{
    /// <summary>
    /// All auto and cross spectra C_ℓ^{ij}, i ≤ j, in <see cref="WeakLensingTracer.Pairs"/> order, at the multipoles
    /// <paramref name="ell"/> [nell] (data: any non-negative values, repeats allowed); returns [B, npairs, nell].
    /// The work is one batched evaluation of P_nl on the (distinct ℓ) × (scale factor) grid and one batched matrix
    /// product; repeated multipoles (as in FFT-frequency tables) are computed once.
    /// </summary>
    public static Tensor AngularCl(CosmologyParameters c, WeakLensingTracer t, Tensor ell)
    {
        if (ell.dim() != 1) throw new ArgumentException($"ell must be a 1-D tensor; it is [{string.Join(", ", ell.shape)}].", nameof(ell));
        using var scope = NewDisposeScope();
        var ellValues = ell.to(ScalarType.Float64, CPU).data<double>().ToArray();
        var distinct = ellValues.Distinct().OrderBy(v => v).ToArray();
        var positions = ellValues.Select(v => (long)Array.BinarySearch(distinct, v)).ToArray();

        var grid = t.GridFor(c.DType, c.Device);
        var distances = Background.TabulateDistance(c);
        var efficiency = t.Efficiency(c, distances);                                                          // [B, nbins, na]
        var chi = TableInterpolation.AtLocated(distances.Chi, grid.OuterLower, grid.OuterFraction).clamp_min(0.0); // [B, na]

        var first = tensor(t.Pairs.Select(p => (long)p.First).ToArray(), device: c.Device);
        var second = tensor(t.Pairs.Select(p => (long)p.Second).ToArray(), device: c.Device);
        var a = grid.ScaleFactors.unsqueeze(0);                                                               // [1, na]
        var measure = grid.Weights * Background.DChiDaAligned(c, a) / chi.square().clamp_min(1.0);            // [B, na]
        var kernels = efficiency.index_select(1, first) * efficiency.index_select(1, second) * measure.unsqueeze(1); // [B, np, na]

        var ellDistinct = tensor(distinct, dtype: c.DType, device: c.Device);
        var k = (ellDistinct + 0.5).reshape(1, -1, 1) / chi.clamp_min(1.0).unsqueeze(1);                      // [B, nl, na]
        var power = new MatterPower(c);
        var scales = power.ScalesAt(a);
        var pk = power.HalofitAligned(k, a, scales);                                                          // [B, nl, na]

        var spectra = kernels.matmul(pk.transpose(1, 2));                                                     // [B, np, nl]
        var ellFactor = tensor(distinct.Select(EllFactorSquared).ToArray(), dtype: c.DType, device: c.Device);
        spectra = spectra * ellFactor / (CosmologyConstants.SpeedOfLight * CosmologyConstants.SpeedOfLight);
        if (distinct.Length != ellValues.Length || !positions.Select((p, i) => p == i).All(x => x))
            spectra = spectra.index_select(2, tensor(positions, device: c.Device));
        return spectra.MoveToOuterDisposeScope();
    }

    /// <summary>F(ℓ)² = (ℓ−1)ℓ(ℓ+1)(ℓ+2) / (ℓ + ½)⁴ (zero where the product is not positive, i.e. ℓ ≤ 1).</summary>
    public static double EllFactorSquared(double ell)
    {
        double product = (ell - 1.0) * ell * (ell + 1.0) * (ell + 2.0);
        return product > 0.0 ? product / Math.Pow(ell + 0.5, 4) : 0.0;
    }
}
