using Ppl.Runtime.Inference;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests;

/// <summary>A multivariate normal N(mean, Σ) given by its precision matrix, with the analytic gradient −P(x − m).</summary>
internal sealed class GaussianDensity : ILogDensityFunction
{
    private readonly Tensor _mean;
    private readonly Tensor _precision;

    public GaussianDensity(double[] mean, double[,] precision)
    {
        Dimension = mean.Length;
        _mean = tensor(mean, ScalarType.Float64);
        _precision = tensor(precision, ScalarType.Float64);
    }

    public int Dimension { get; }

    public long Calls { get; private set; }

    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions)
    {
        Calls++;
        var diff = positions - _mean;
        var pd = diff.matmul(_precision);
        return (TensorArithmetic.Mul(-0.5, (diff * pd).sum(1)), -pd);
    }
}

/// <summary>Covariance, precision and analytic moments of the test Gaussians.</summary>
internal static class GaussianFixtures
{
    /// <summary>Σ_ij = s_i s_j ρ^|i−j| (an AR(1) correlation with scales s_i from 0.5 to 2): its precision is tridiagonal.</summary>
    public static (double[,] Covariance, double[,] Precision) Ar1(int d, double rho)
    {
        var s = Enumerable.Range(0, d).Select(i => 0.5 + 1.5 * i / Math.Max(1, d - 1)).ToArray();
        var cov = new double[d, d];
        var prec = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                cov[i, j] = s[i] * s[j] * Math.Pow(rho, Math.Abs(i - j));
        // The AR(1) correlation matrix has the tridiagonal inverse (1/(1−ρ²))·[1, −ρ; −ρ, 1+ρ², ...].
        double c = 1 / (1 - rho * rho);
        for (int i = 0; i < d; i++)
        {
            double diag = (i == 0 || i == d - 1) ? 1 : 1 + rho * rho;
            prec[i, i] = c * diag / (s[i] * s[i]);
            if (i + 1 < d)
            {
                prec[i, i + 1] = -c * rho / (s[i] * s[i + 1]);
                prec[i + 1, i] = prec[i, i + 1];
            }
        }
        return (cov, prec);
    }
}

/// <summary>Eight schools, non-centred: θ = (μ, log τ, η₁…η₈), μ ~ N(0, 5), τ ~ HalfCauchy(5) (with the log-Jacobian
/// of τ = e^u), η ~ N(0, 1), y_j ~ N(μ + τ η_j, σ_j). Elementwise operations only, so rows never interact.</summary>
internal static class EightSchools
{
    public static readonly double[] Y = { 28, 8, -3, 7, -1, 1, 18, 12 };
    public static readonly double[] Sigma = { 15, 10, 16, 11, 9, 11, 10, 18 };

    public static AutogradLogDensityFunction Density()
    {
        var y = tensor(Y, ScalarType.Float64);
        var sigma = tensor(Sigma, ScalarType.Float64);
        return new AutogradLogDensityFunction(10, x =>
        {
            var mu = x[.., 0];
            var u = x[.., 1];
            var eta = x[.., 2..];
            var tau = u.exp();
            var lp = TensorArithmetic.Mul(-0.5, TensorArithmetic.Square((TensorArithmetic.Div(mu, 5))));
            lp = TensorArithmetic.Add(TensorArithmetic.Add(lp, Math.Log(2 / (Math.PI * 5))) - (TensorArithmetic.Add(1, TensorArithmetic.Square((TensorArithmetic.Div(tau, 5))))).log(), u);
            lp = lp - TensorArithmetic.Mul(0.5, TensorArithmetic.Square(eta).sum(1));
            var theta = TensorArithmetic.Add(mu.unsqueeze(1), tau.unsqueeze(1) * eta);
            lp = lp - TensorArithmetic.Mul(0.5, TensorArithmetic.Square(((y - theta) / sigma)).sum(1));
            return lp;
        });
    }
}

/// <summary>Neal's funnel: v ~ N(0, 3²), x_i | v ~ N(0, e^{v}) for i = 1..D−1, with the analytic gradient.</summary>
internal sealed class FunnelDensity : ILogDensityFunction
{
    public FunnelDensity(int dimension) => Dimension = dimension;

    public int Dimension { get; }

    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions)
    {
        var v = positions[.., 0];
        var x = positions[.., 1..];
        var scale = (-v).exp();
        var sumSq = TensorArithmetic.Square(x).sum(1);
        var lp = TensorArithmetic.Div(-TensorArithmetic.Square(v), 18) - TensorArithmetic.Mul(0.5, sumSq) * scale - TensorArithmetic.Mul(0.5 * (Dimension - 1), v);
        var gv = TensorArithmetic.Sub(TensorArithmetic.Add(TensorArithmetic.Div(-v, 9), TensorArithmetic.Mul(0.5, sumSq) * scale), 0.5 * (Dimension - 1));
        var gx = -x * scale.unsqueeze(1);
        return (lp, cat(new[] { gv.unsqueeze(1), gx }, 1));
    }
}
