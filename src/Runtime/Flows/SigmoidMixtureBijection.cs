using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// A smooth (C^∞) strictly increasing bijection of the real line, in the spirit of the affine-sigmoid mixture
/// couplings of Köhler et al. (2021, "Smooth normalizing flows"):
/// <code>
///   g(x) = λ·x + (1 − λ)·Σ_k π_k·(4/a_k)·σ(a_k (x − b_k)),    y = exp(s)·g(x) + t
///   g'(x) = λ + (1 − λ)·Σ_k π_k·4·σ(z_k)·σ(−z_k),  z_k = a_k (x − b_k)
/// </code>
/// Each sigmoid bump has unit peak slope and width 1/a_k; the linear part λ ∈ [λ_min, 1) makes g onto ℝ and
/// bounds g' from below, so log g' and all its derivatives are smooth and bounded — unlike splines (piecewise
/// second derivatives) or affine couplings (log-density gradient linear in x per layer). Since
/// λx ≤ g(x) ≤ λx + M with M = (1 − λ)·Σ π_k·4/a_k, the inverse is bracketed by [(v − M)/λ, v/λ] and found by
/// bisection. Raw parameters per element (3K + 3): K mixture logits, K slope and K location pre-activations,
/// then the linear-weight logit, the shift t and the log-scale pre-activation.
/// </summary>
public static class SigmoidMixtureBijection
{
    /// <summary>Smallest weight of the linear part; bounds the bisection bracket and log g' from below.</summary>
    public const double MinLinearWeight = 0.05;

    /// <summary>Smallest component slope a_k (widest bump 1/a_k).</summary>
    public const double MinSlope = 0.1;

    private const double LogScaleBound = 3.0;

    /// <summary>Number of raw parameters per element for <paramref name="components"/> sigmoids.</summary>
    public static int ParameterCount(int components) => 3 * components + 3;

    /// <summary>y = f(x) and log f'(x), elementwise. x [..], parameters [.., 3K+3].</summary>
    public static (Tensor Output, Tensor LogDerivative) Forward(Tensor x, Tensor parameters, int components)
    {
        var p = Unpack(parameters, components);
        var z = p.Slope * (x.unsqueeze(-1) - p.Location);
        var bumps = (TensorArithmetic.Mul(p.Weights, 4) / p.Slope * z.sigmoid()).sum(-1);
        var g = TensorArithmetic.Add(p.Linear * x, (TensorArithmetic.Sub(1, p.Linear)) * bumps);
        // σ(z)σ(−z) = exp(logσ(z) + logσ(−z)) stays finite for large |z|.
        var peaks = (TensorArithmetic.Mul(p.Weights, 4) * (TensorArithmetic.Add(nn.functional.logsigmoid(z), nn.functional.logsigmoid(-z))).exp()).sum(-1);
        var derivative = TensorArithmetic.Add(p.Linear, (TensorArithmetic.Sub(1, p.Linear)) * peaks);
        return (TensorArithmetic.Add(p.LogScale.exp() * g, p.Shift), TensorArithmetic.Add(p.LogScale, derivative.log()));
    }

    /// <summary>x = f⁻¹(y) by bisection on the bracket above until the bracket is below <paramref name="tolerance"/>·(1 + |x|)
    /// or <paramref name="maxIterations"/> halvings. Not differentiable (used for sampling).</summary>
    public static Tensor Inverse(Tensor y, Tensor parameters, int components, double tolerance = 1e-6, int maxIterations = 100)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var p = Unpack(parameters, components);
        var v = (y - p.Shift) * (-p.LogScale).exp();
        var bumpsMax = (TensorArithmetic.Mul(p.Weights, 4) / p.Slope).sum(-1) * (TensorArithmetic.Sub(1, p.Linear));
        var lo = (v - bumpsMax) / p.Linear;
        var hi = v / p.Linear;
        for (int i = 0; i < maxIterations; i++)
        {
            using var step = NewDisposeScope();
            var mid = TensorArithmetic.Mul((TensorArithmetic.Add(lo, hi)), 0.5);
            var z = p.Slope * (mid.unsqueeze(-1) - p.Location);
            var g = TensorArithmetic.Add(p.Linear * mid, (TensorArithmetic.Sub(1, p.Linear)) * (TensorArithmetic.Mul(p.Weights, 4) / p.Slope * z.sigmoid()).sum(-1));
            var below = g.lt(v);
            var newLo = where(below, mid, lo).MoveToOuterDisposeScope();
            var newHi = where(below, hi, mid).MoveToOuterDisposeScope();
            var width = (newHi - newLo) / (TensorArithmetic.Add(1, mid.abs()));
            bool done = width.max().to_type(ScalarType.Float64).item<double>() <= tolerance;
            lo.Dispose();
            hi.Dispose();
            lo = newLo;
            hi = newHi;
            if (done) break;
        }
        return (TensorArithmetic.Mul((TensorArithmetic.Add(lo, hi)), 0.5)).MoveToOuterDisposeScope();
    }

    private sealed record Unpacked(Tensor Weights, Tensor Slope, Tensor Location, Tensor Linear, Tensor Shift, Tensor LogScale);

    private static Unpacked Unpack(Tensor parameters, int components)
    {
        var weights = parameters.narrow(-1, 0, components).softmax(-1);
        // softplus(raw + c) + MinSlope = 1 at raw 0: unit-width bumps at initialisation.
        var slope = TensorArithmetic.Add(TensorArithmetic.Softplus(TensorArithmetic.Add(parameters.narrow(-1, components, components), SlopeOffset)), MinSlope);
        // Bumps start spread over the bulk of a standard normal so they are not interchangeable at initialisation.
        var spread = linspace(-2.0, 2.0, components, dtype: parameters.dtype, device: parameters.device);
        var location = TensorArithmetic.Add(parameters.narrow(-1, 2 * components, components), spread);
        var linear = TensorArithmetic.Add(MinLinearWeight, TensorArithmetic.Mul((1 - MinLinearWeight), parameters.select(-1, 3 * components).sigmoid()));
        var shift = parameters.select(-1, 3 * components + 1);
        var logScale = TensorArithmetic.Mul((TensorArithmetic.Div(parameters.select(-1, 3 * components + 2), LogScaleBound)).tanh(), LogScaleBound);
        return new Unpacked(weights, slope, location, linear, shift, logScale);
    }

    private static readonly double SlopeOffset = Math.Log(Math.Exp(1 - MinSlope) - 1);
}
