using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Angular power spectra in the Limber approximation, as jax-cosmo computes them:
/// C_ℓ^{ij} = (1/c²) ∫ da P_nl(k = (ℓ + ½)/χ, a) q_i q_j F(ℓ)² (dχ/da) / max(χ², 1), with
/// F(ℓ) = √((ℓ−1)ℓ(ℓ+1)(ℓ+2)) / (ℓ + ½)², the Eisenstein–Hu transfer function and Takahashi halofit, the integral by
/// Simpson's rule on 513 scale factors from 1/(1 + z_max) to 1.
/// </summary>
public static class Limber
{
    /// <summary>
    /// All auto and cross spectra C_ℓ^{ij}, i ≤ j, in <see cref="WeakLensingTracer.Pairs"/> order, at the multipoles
    /// <paramref name="ell"/> [nell] (data: any non-negative values, repeats allowed); returns [B, npairs, nell].
    /// </summary>
    /// <remarks>
    /// Cost: one evaluation of halofit on the (distinct ℓ) × (scale factor) grid and one batched matrix product with
    /// the lensing kernels. Repeated multipoles (as in FFT-frequency tables, where 2N entries hold N + 1 values) are
    /// computed once. Two rewrites keep the grid cheap: the linear spectrum comes from a fine ln k table of
    /// Δ²_lin(k, 1) (Eisenstein–Hu evaluated at its nodes only; relative error &lt; 1e-5), and the factor
    /// k⁻³ = χ³ (ℓ + ½)⁻³ of P = 2π² Δ²/k³ is split exactly between the kernels and the ℓ factor. C_ℓ is
    /// dimensionless.
    /// </remarks>
    public static Tensor AngularCl(CosmologyParameters c, WeakLensingTracer t, Tensor ell)
    {
        if (ell.dim() != 1) throw new ArgumentException($"ell must be a 1-D tensor; it is [{string.Join(", ", ell.shape)}].", nameof(ell));
        using var scope = NewDisposeScope();
        var ellValues = ell.to(ScalarType.Float64, CPU).data<double>().ToArray();
        var distinct = ellValues.Distinct().OrderBy(v => v).ToArray();

        var grid = t.GridFor(c.DType, c.Device);
        var distances = Background.TabulateDistance(c);
        var efficiency = t.EfficiencyOnLimberGrid(c, distances);                                                          // [B, nbins, na]
        var chi = TableInterpolation.AtLocated(distances.Chi, grid.OuterLower, grid.OuterFraction).clamp_min(ConstantScalars.Of(0.0)); // [B, na]
        var chiClipped = chi.clamp_min(ConstantScalars.Of(1.0));

        // Kernel pairs times the measure w_j dχ/da / max(χ², 1) and the χ³ part of k⁻³: [B, np, na].
        var a = grid.ScaleFactors.unsqueeze(0);                                                                // [1, na]
        var measure = grid.Weights * Background.DChiDaAligned(c, a) / TensorArithmetic.Square(chi).clamp_min(ConstantScalars.Of(1.0)) * chiClipped.pow(ConstantScalars.Of(3));
        var first = tensor(t.Pairs.Select(p => (long)p.First).ToArray(), device: c.Device);
        var second = tensor(t.Pairs.Select(p => (long)p.Second).ToArray(), device: c.Device);
        var kernels = efficiency.index_select(1, first) * efficiency.index_select(1, second) * measure.unsqueeze(1);

        // Δ²_nl on the (ℓ, a) grid, ln k = ln(ℓ + ½) − ln max(χ, 1): [B, nl, na].
        var power = new MatterPower(c);
        var coefficients = power.CoefficientsAt(a);
        var table = power.TabulateLogDeltaSquared();
        var logEllAll = tensor(distinct.Select(l => Math.Log(l + 0.5)).ToArray(), dtype: c.DType, device: c.Device).reshape(1, -1, 1);
        var logChi = chiClipped.log().unsqueeze(1);                                                            // [B, 1, na]
        long block = Math.Clamp(ChunkElements(c.Device) / (c.BatchSize * grid.Count), 1, distinct.Length);
        var blocks = new List<Tensor>();
        for (long start = 0; start < distinct.Length; start += block)
        {
            using var blockScope = NewDisposeScope();
            var logEll = logEllAll.narrow(1, start, Math.Min(block, distinct.Length - start));
            var logK = logEll - logChi;
            var position = TensorArithmetic.Div((TensorArithmetic.Sub(logEll, LogPowerTable.LogKMin)), LogPowerTable.Step) - TensorArithmetic.Div(logChi, LogPowerTable.Step);
            var logDelta = TensorArithmetic.Add(table.AtNodePosition(position), coefficients.LogGrowthSquared.unsqueeze(1));
            var deltaNonLinear = MatterPower.NonLinearDeltaSquared(logK, logDelta, coefficients);
            blocks.Add(kernels.matmul(deltaNonLinear.transpose(1, 2)).MoveToOuterDisposeScope());        // [B, np, block]
        }
        var spectra = blocks.Count == 1 ? blocks[0] : cat(blocks, 2);                                         // [B, np, nl]
        double norm = MatterPower.TwoPiSquared / (CosmologyConstants.SpeedOfLight * CosmologyConstants.SpeedOfLight);
        var ellFactor = tensor(distinct.Select(l => norm * EllFactorSquared(l) / Math.Pow(l + 0.5, 3)).ToArray(), dtype: c.DType, device: c.Device);
        spectra = spectra * ellFactor;
        if (distinct.Length != ellValues.Length || distinct.Where((v, i) => v != ellValues[i]).Any())
        {
            var positions = ellValues.Select(v => (long)Array.BinarySearch(distinct, v)).ToArray();
            spectra = spectra.index_select(2, tensor(positions, device: c.Device));
        }
        return spectra.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Elements of one (B × ℓ-block × a) slab of the halofit grid: the ℓ axis is processed in blocks of about this
    /// size so that, without autograd, temporaries are freed block by block (bounded memory for tens of thousands of
    /// multipoles) and, on the CPU, stay cache-sized.
    /// </summary>
    private static long ChunkElements(Device device) => device.type == DeviceType.CUDA ? 1L << 24 : 1L << 18;

    /// <summary>F(ℓ)² = (ℓ−1)ℓ(ℓ+1)(ℓ+2) / (ℓ + ½)⁴ (zero where the product is not positive, i.e. ℓ ≤ 1).</summary>
    public static double EllFactorSquared(double ell)
    {
        double product = (ell - 1.0) * ell * (ell + 1.0) * (ell + 2.0);
        return product > 0.0 ? product / Math.Pow(ell + 0.5, 4) : 0.0;
    }
}
