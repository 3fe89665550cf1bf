using Ppl.Runtime.Inference;
using TorchSharp;
using static TorchSharp.torch;

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
        return (-0.5 * (diff * pd).sum(1), -pd);
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
