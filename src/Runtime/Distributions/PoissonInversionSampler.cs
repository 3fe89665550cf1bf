using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Poisson(λ) variates by exact inversion of the CDF with one uniform per element: the draw is the smallest k ≥ 0 with
/// F(k) = Q(k + 1, λ) ≥ u (Q the regularised upper incomplete gamma function), found by bisection on the integers
/// between lo = max(−1, ⌊λ − 12√λ − 30⌋) and hi = ⌈λ + 12√λ + 30⌉, in float64. Outside that window the probability is
/// below 1e-30 (the Chernoff bound); a uniform beyond F(hi) gives hi. The number of halvings is the same for the whole
/// batch (enough for its widest window); once an element's window has closed, further halvings leave it unchanged, so a
/// draw does not depend on the other elements of the batch. The work per element is O(log λ), with no rejection loop.
/// </summary>
internal static class PoissonInversionSampler
{
    /// <summary>Draws of shape <paramref name="uniforms"/>'s (λ broadcasts against it) as int64, without gradient.</summary>
    public static Tensor Sample(Tensor rate, Tensor uniforms)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var lambda = rate.detach().to_type(ScalarType.Float64).broadcast_to(uniforms.shape);
        var u = uniforms.to_type(ScalarType.Float64);
        var spread = lambda.sqrt().mul(ConstantScalars.Of(12.0)).add(ConstantScalars.Of(30.0), TensorArithmetic.One);
        var lo = lambda.sub(spread).floor().clamp_min(ConstantScalars.Of(-1.0));
        var hi = lambda.add(spread, TensorArithmetic.One).ceil();
        double widest = lo.numel() == 0 ? 1.0 : hi.sub(lo).max().item<double>();
        int halvings = (int)Math.Ceiling(Math.Log2(Math.Max(widest, 2.0))) + 1;
        for (int i = 0; i < halvings; i++)
        {
            var mid = lo.add(hi, TensorArithmetic.One).mul(ConstantScalars.Of(0.5)).floor();
            var cdf = where(mid.lt(ConstantScalars.Of(0.0)), zeros_like(mid),
                mid.clamp_min(ConstantScalars.Of(0.0)).add(ConstantScalars.Of(1.0), TensorArithmetic.One).igammac(lambda));
            var above = cdf.ge(u);
            hi = where(above, mid, hi);
            lo = where(above, lo, mid);
        }
        return hi.to_type(ScalarType.Int64).MoveToOuterDisposeScope();
    }
}
