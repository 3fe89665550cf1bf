using Ppl.Runtime.Inference;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Bench.Inference;

/// <summary>A 100-D Gaussian with AR(1) correlation ρ and scales 0.5…2 (tridiagonal precision), analytic gradient.</summary>
internal sealed class CorrelatedGaussian : ILogDensityFunction
{
    private readonly Tensor _precision;

    public CorrelatedGaussian(int dimension, double rho)
    {
        Dimension = dimension;
        var s = Enumerable.Range(0, dimension).Select(i => 0.5 + 1.5 * i / Math.Max(1, dimension - 1)).ToArray();
        var p = new double[dimension, dimension];
        double c = 1 / (1 - rho * rho);
        for (int i = 0; i < dimension; i++)
        {
            p[i, i] = c * ((i == 0 || i == dimension - 1) ? 1 : 1 + rho * rho) / (s[i] * s[i]);
            if (i + 1 < dimension) p[i, i + 1] = p[i + 1, i] = -c * rho / (s[i] * s[i + 1]);
        }
        _precision = tensor(p, ScalarType.Float64);
    }

    public int Dimension { get; }

    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions)
    {
        var pd = positions.matmul(_precision);
        return (TensorArithmetic.Mul(-0.5, (positions * pd).sum(1)), -pd);
    }
}

/// <summary>Neal's funnel: v ~ N(0, 3²), x_i ~ N(0, e^v), analytic gradient.</summary>
internal sealed class Funnel : ILogDensityFunction
{
    public Funnel(int dimension) => Dimension = dimension;

    public int Dimension { get; }

    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions)
    {
        var v = positions[.., 0];
        var x = positions[.., 1..];
        var scale = (-v).exp();
        var sumSq = TensorArithmetic.Square(x).sum(1);
        var lp = TensorArithmetic.Div(-TensorArithmetic.Square(v), 18) - TensorArithmetic.Mul(0.5, sumSq) * scale - TensorArithmetic.Mul(0.5 * (Dimension - 1), v);
        var gv = TensorArithmetic.Sub(TensorArithmetic.Add(TensorArithmetic.Div(-v, 9), TensorArithmetic.Mul(0.5, sumSq) * scale), 0.5 * (Dimension - 1));
        return (lp, cat(new[] { gv.unsqueeze(1), -x * scale.unsqueeze(1) }, 1));
    }
}

/// <summary>Eight schools, non-centred, over (μ, log τ, η₁…η₈), with autograd gradients.</summary>
internal static class EightSchools
{
    public static AutogradLogDensityFunction Density()
    {
        var y = tensor(new double[] { 28, 8, -3, 7, -1, 1, 18, 12 }, ScalarType.Float64);
        var sigma = tensor(new double[] { 15, 10, 16, 11, 9, 11, 10, 18 }, ScalarType.Float64);
        return new AutogradLogDensityFunction(10, x =>
        {
            var mu = x[.., 0];
            var u = x[.., 1];
            var eta = x[.., 2..];
            var tau = u.exp();
            var lp = TensorArithmetic.Add(TensorArithmetic.Mul(-0.5, TensorArithmetic.Square((TensorArithmetic.Div(mu, 5)))) - (TensorArithmetic.Add(1, TensorArithmetic.Square((TensorArithmetic.Div(tau, 5))))).log(), u) - TensorArithmetic.Mul(0.5, TensorArithmetic.Square(eta).sum(1));
            var theta = TensorArithmetic.Add(mu.unsqueeze(1), tau.unsqueeze(1) * eta);
            return lp - TensorArithmetic.Mul(0.5, TensorArithmetic.Square(((y - theta) / sigma)).sum(1));
        });
    }
}
