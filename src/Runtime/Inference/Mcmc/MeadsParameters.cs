namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// The parameters of one fold's generalised HMC kernel in MEADS (Hoffman and Sountsov 2022, "Tuning-free generalized
/// Hamiltonian Monte Carlo"), computed from the positions and gradients of the chains of another fold:
/// <list type="bullet">
/// <item>a diagonal metric M⁻¹ = the chains' (regularised) variance per coordinate;</item>
/// <item>the step size ε = min(1, ½ / √λ_g), λ_g the largest eigenvalue of the covariance of the gradients in the
/// preconditioned space (g ⊙ σ), i.e. the stiffest curvature of the target there;</item>
/// <item>the damping γ = max(1 / √λ_q, 1 / ((t + 1) ε)), λ_q the largest eigenvalue of the chains' correlation matrix
/// (the longest scale), with a floor that decays with the step count t so that early steps refresh strongly;</item>
/// <item>the momentum refresh α = 1 − exp(−2εγ) and the slice drift δ = α / 2.</item>
/// </list>
/// </summary>
/// <param name="StepSize">ε.</param>
/// <param name="Damping">γ.</param>
/// <param name="Refresh">α: the fraction of the momentum's variance redrawn before each leapfrog step.</param>
/// <param name="SliceDrift">δ: how far the persistent slice variable moves per step.</param>
/// <param name="Metric">The diagonal inverse metric.</param>
public sealed record MeadsParameters(double StepSize, double Damping, double Refresh, double SliceDrift, DiagonalMetric Metric)
{
    /// <summary>The parameters computed from the chains of one fold (positions and log-density gradients, at least two
    /// chains), at GHMC step <paramref name="step"/> (counted from 0); null when a statistic is not finite.</summary>
    public static MeadsParameters? FromFold(IReadOnlyList<double[]> positions, IReadOnlyList<double[]> gradients, long step)
    {
        if (ChainEnsembleStatistics.CrossChainVariance(positions) is not { } variance) return null;
        int n = positions.Count, d = variance.Length;
        var sd = variance.Select(Math.Sqrt).ToArray();
        var mean = new double[d];
        foreach (var q in positions)
            for (int j = 0; j < d; j++) mean[j] += q[j] / n;
        var normalised = positions.Select(q => Enumerable.Range(0, d).Select(j => (q[j] - mean[j]) / sd[j]).ToArray()).ToArray();
        var scaledGradients = gradients.Select(g => Enumerable.Range(0, d).Select(j => g[j] * sd[j]).ToArray()).ToArray();
        double curvature = MaximumEigenvalue(scaledGradients), spread = MaximumEigenvalue(normalised);
        if (!(curvature > 0) || !(spread > 0) || !double.IsFinite(curvature) || !double.IsFinite(spread)) return null;
        double epsilon = Math.Min(1.0, 0.5 / Math.Sqrt(curvature));
        double gamma = Math.Max(1.0 / Math.Sqrt(spread), 1.0 / ((step + 1) * epsilon));
        double alpha = 1.0 - Math.Exp(-2.0 * epsilon * gamma);
        return new MeadsParameters(epsilon, gamma, alpha, alpha / 2, new DiagonalMetric(variance));
    }

    /// <summary>
    /// An estimate of the largest eigenvalue of E[x xᵀ] from n ≥ 2 rows x_i: tr(Σ²) / tr(Σ), with the unbiased
    /// estimates tr(Σ²) ≈ mean over i ≠ j of (x_iᵀ x_j)² and tr(Σ) ≈ mean of |x_i|². It lies between the mean and the
    /// largest eigenvalue and approaches the largest when one direction dominates (the case that limits ε).
    /// </summary>
    public static double MaximumEigenvalue(IReadOnlyList<double[]> rows)
    {
        int n = rows.Count, d = rows[0].Length;
        double trace = 0, fourth = 0;
        foreach (var x in rows)
        {
            double s = VectorMath.Dot(x, x);
            trace += s;
            fourth += s * s;
        }
        // Σ_{i≠j} (x_iᵀ x_j)² = ‖XᵀX‖²_F − Σ_i |x_i|⁴ = ‖XXᵀ‖²_F − Σ_i |x_i|⁴: the smaller Gram matrix is used.
        double frobenius = 0;
        if (d < n)
        {
            var gram = new double[d * d];
            foreach (var x in rows)
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) gram[a * d + b] += x[a] * x[b];
            foreach (var g in gram) frobenius += g * g;
        }
        else
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = VectorMath.Dot(rows[i], rows[j]);
                    frobenius += s * s;
                }
        }
        return (frobenius - fourth) / ((double)n * (n - 1)) / (trace / n);
    }
}
