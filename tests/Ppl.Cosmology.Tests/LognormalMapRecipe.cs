using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Cosmology.Tests;

/// <summary>
/// science.md §1's log-normal convergence map, steps 1–8, written directly over TorchSharp to check the cosmology
/// and shift pieces against the reference simulator. (The product's version of this model is written in the modelling
/// language; this one exists only in the tests.)
/// </summary>
public static class LognormalMapRecipe
{
    /// <summary>κ [B, N, N, nbins] (bins last, as the reference code lays it out) from latent z [B, nbins, N, N].</summary>
    public static Tensor Kappa(CosmologyParameters c, WeakLensingTracer tracer, LognormalShiftTable shifts, Tensor z, int n, double mapSizeDegrees)
    {
        using var scope = NewDisposeScope();
        int bins = tracer.BinCount;
        int pairs = tracer.Pairs.Count;
        long batch = c.BatchSize;
        double side = mapSizeDegrees / 180.0 * Math.PI;

        // ell table 2π|fftfreq(2N, L/2N)| and the C_ell on it.
        var ell = FftFrequencies(2 * n, side / (2 * n)).Select(f => 2 * Math.PI * Math.Abs(f)).ToArray();
        var cl = Limber.AngularCl(c, tracer, tensor(ell, dtype: c.DType, device: c.Device));              // [B, np, 2N]

        // 1. P^{ij}(|k|) on the N×N grid, read off the ell table with jax-cosmo's interp, P(0) = 0, times (N/L)².
        var kAxis = FftFrequencies(n, side / n).Select(f => 2 * Math.PI * f).ToArray();
        var lower = new long[n * n];
        var upper = new long[n * n];
        var fraction = new double[n * n];
        var mask = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int m = i * n + j;
                double k = Math.Sqrt(kAxis[i] * kAxis[i] + kAxis[j] * kAxis[j]);
                (lower[m], upper[m], fraction[m]) = JaxCosmoInterpolationWeights(k, ell);
                mask[m] = m == 0 ? 0.0 : 1.0;
            }
        var t = tensor(fraction, dtype: c.DType, device: c.Device);
        var power = TensorArithmetic.Add(cl.index_select(2, tensor(lower, device: c.Device)) * (TensorArithmetic.Sub(1.0, t)), cl.index_select(2, tensor(upper, device: c.Device)) * t);
        power = (TensorArithmetic.Mul(power * tensor(mask, dtype: c.DType, device: c.Device), Math.Pow(n / side, 2))).reshape(batch, pairs, n, n);

        // 2–4. Gaussian-field spectra of the log-normal field.
        var lambda = shifts.Lookup(c);                                                                      // [B, nbins]
        var first = tensor(tracer.Pairs.Select(p => (long)p.First).ToArray(), device: c.Device);
        var second = tensor(tracer.Pairs.Select(p => (long)p.Second).ToArray(), device: c.Device);
        var lambdaPairs = (lambda.index_select(1, first) * lambda.index_select(1, second)).reshape(batch, pairs, 1, 1);
        var xi = fft.ifft2(power).real;
        var xiGaussian = (TensorArithmetic.Add(1.0, xi / lambdaPairs)).log();
        var powerGaussian = fft.fft2(xiGaussian).abs() * tensor(mask, dtype: c.DType, device: c.Device).reshape(n, n);

        // 5. Per mode, Σ = [P_g^{ij}] (symmetric 5×5) → S = Q max(Λ, 0)^{1/2} Qᵀ, S(0) = 0.
        var pairOf = new long[bins * bins];
        for (int p = 0; p < pairs; p++)
        {
            var (i, j) = tracer.Pairs[p];
            pairOf[i * bins + j] = p;
            pairOf[j * bins + i] = p;
        }
        var sigma = powerGaussian.permute(0, 2, 3, 1).index_select(3, tensor(pairOf, device: c.Device)).reshape(batch, n, n, bins, bins);
        var (values, vectors) = linalg.eigh(sigma);
        var root = (vectors * values.clamp_min(ConstantScalars.Of(0.0)).sqrt().unsqueeze(-2)).matmul(vectors.transpose(-1, -2));
        root = root * tensor(mask, dtype: c.DType, device: c.Device).reshape(1, n, n, 1, 1);

        // 7. g_i = Re IFFT2[Σ_j S_ij FFT2[z_j]].
        var modes = fft.fft2(z.to(c.DType, c.Device));                                                    // [B, nbins, N, N]
        var mixing = root.permute(0, 3, 4, 1, 2).to(modes.dtype);                                          // [B, i, j, N, N]
        var g = fft.ifft2((mixing * modes.unsqueeze(1)).sum(2)).real;                                      // [B, nbins, N, N]

        // 8. κ_i = λ_i (exp(g_i − Var_pix(g_i)/2) − 1).
        var variance = g.var(new long[] { 2, 3 }, unbiased: false, keepdim: true);
        var kappa = lambda.reshape(batch, bins, 1, 1) * (TensorArithmetic.Sub((g - TensorArithmetic.Div(variance, 2.0)).exp(), 1.0));
        return kappa.permute(0, 2, 3, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>numpy.fft.fftfreq(n, d).</summary>
    public static double[] FftFrequencies(int n, double d)
    {
        var f = new double[n];
        for (int i = 0; i < n; i++) f[i] = (i < (n + 1) / 2 ? i : i - n) / (n * d);
        return f;
    }

    /// <summary>
    /// The two table entries and the weight jax-cosmo's <c>interp(x, xp, fp)</c> combines for this x: nearest node i
    /// (first on ties), clipped to 1 … n−2, and its neighbour on the side sign(clip(x, xp[1], xp[n−2]) − xp[i]) (+1 for
    /// zero); the value is the line through them at x. The reference code calls it with the unsorted table
    /// |fftfreq(2N)|, for which this is not plain linear interpolation.
    /// </summary>
    public static (long Lower, long Upper, double Fraction) JaxCosmoInterpolationWeights(double x, double[] xp)
    {
        int nearest = 0;
        double best = double.PositiveInfinity;
        for (int i = 0; i < xp.Length; i++)
        {
            double d = (x - xp[i]) * (x - xp[i]);
            if (d < best)
            {
                best = d;
                nearest = i;
            }
        }
        nearest = Math.Clamp(nearest, 1, xp.Length - 2);
        double clipped = Math.Min(Math.Max(x, xp[1]), xp[^2]);
        int neighbour = nearest + (clipped - xp[nearest] < 0 ? -1 : 1);
        return (nearest, neighbour, (x - xp[nearest]) / (xp[neighbour] - xp[nearest]));
    }
}
