using Ppl.Runtime.Cosmology;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Cosmology.Tests;

/// <summary>
/// Autograd gradients with respect to all seven parameters (Ω_c, Ω_b, h, n_s, σ_8, w_0, w_a) against central finite
/// differences in float64, at a point near the fiducial (w_a ≠ 0 so its path is exercised).
/// Step h = 1e-6: truncation error ~h² ≈ 1e-12 relative; round-off in the scalars (sums of ~45 logs of size ~20)
/// is ~3e-14 absolute, i.e. ~1.5e-8/|∂f| after dividing by 2h — at most ~2e-7 relative for the smallest derivative
/// (∂/∂w_a ≈ 0.07) — so 1e-6 relative agreement is a strict check. halofit's non-linear scale is read off a tabulated σ²(R) at the nearest node (as jax-cosmo does), so
/// P_nl and C_ell are smooth only between node switches (jumps ~1e-5 relative); the small step keeps every switch out
/// of the stencil at this point (a step of 1e-5 in w_0 does cross one and is off by 15%: a switch shows up loudly).
/// </summary>
public class GradientTests
{
    private static readonly double[] Point = { 0.27, 0.048, 0.68, 0.96, 0.82, -0.95, 0.1 };
    private static readonly string[] Names = { "Ω_c", "Ω_b", "h", "n_s", "σ_8", "w_0", "w_a" };

    private static CosmologyParameters FromVector(Tensor theta) =>
        new(theta[0].reshape(1), theta[1].reshape(1), theta[2].reshape(1), theta[3].reshape(1), theta[4].reshape(1), theta[5].reshape(1), theta[6].reshape(1));

    private static void CheckGradient(Func<CosmologyParameters, Tensor> scalar, double tolerance = 1e-6)
    {
        using var scope = NewDisposeScope();
        var theta = tensor(Point, dtype: ScalarType.Float64).requires_grad_(true);
        var value = scalar(FromVector(theta));
        var grad = torch.autograd.grad(new[] { value }, new[] { theta })[0].data<double>().ToArray();
        using var noGrad = no_grad();
        for (int p = 0; p < Point.Length; p++)
        {
            const double h = 1e-6;
            var e = zeros(Point.Length, dtype: ScalarType.Float64);
            e[p] = h;
            double fd = (scalar(FromVector(TensorArithmetic.Add(theta, e))).item<double>() - scalar(FromVector(theta - e)).item<double>()) / (2 * h);
            double scale = Math.Max(Math.Abs(fd), 1e-3 * grad.Max(g => Math.Abs(g)));
            Assert.True(Math.Abs(grad[p] - fd) <= tolerance * scale,
                $"d/d{Names[p]}: autograd {grad[p]:G10}, finite difference {fd:G10}");
        }
    }

    [Fact]
    public void DistanceAndGrowth()
    {
        var a = tensor(new[] { 0.2, 0.45, 0.8 }, dtype: ScalarType.Float64);
        CheckGradient(c => TensorArithmetic.Div(Background.RadialComovingDistance(c, a).sum(), 1000.0));
        CheckGradient(c => (Growth.Factor(c, a) * tensor(new[] { 1.0, 2.0, -1.0 }, dtype: ScalarType.Float64)).sum());
    }

    [Fact]
    public void PowerSpectra()
    {
        var k = tensor(new[] { 0.01, 0.1, 1.0, 5.0 }, dtype: ScalarType.Float64);
        CheckGradient(c => PowerSpectrum.Linear(c, k, 0.7).log().sum());
        CheckGradient(c => PowerSpectrum.Halofit(c, k, 0.7).log().sum());
    }

    [Fact]
    public void AngularPowerSpectra()
    {
        var tracer = WeakLensingTracer.LsstY10();
        var ell = tensor(new[] { 40.0, 400.0, 4000.0 }, dtype: ScalarType.Float64);
        // A fixed, sign-varying weighting of all 45 log-spectra, so no component can hide behind another.
        var weights = torch.sin(TensorArithmetic.Mul(torch.arange(ConstantScalars.Of(0), ConstantScalars.Of(45), ConstantScalars.Of(1), dtype: ScalarType.Float64), 1.7)).reshape(1, 15, 3);
        CheckGradient(c => (Limber.AngularCl(c, tracer, ell).log() * weights).sum());
    }
}
