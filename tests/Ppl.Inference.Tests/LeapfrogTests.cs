using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

public class LeapfrogTests
{
    // A 2-D anisotropic Gaussian with a non-unit diagonal metric, evaluated in managed code so the integrator alone is tested.
    private static readonly double[] Precision = { 1.0, 4.0 };

    private static DensityEvaluation Evaluate(double[] q) =>
        new(-0.5 * (Precision[0] * q[0] * q[0] + Precision[1] * q[1] * q[1]), new[] { -Precision[0] * q[0], -Precision[1] * q[1] });

    private static PhasePoint Integrate(PhasePoint z, double eps, int steps, EuclideanMetric metric)
    {
        for (int i = 0; i < steps; i++)
        {
            var drift = Leapfrog.Drift(z, eps, metric);
            z = Leapfrog.Land(drift, Evaluate(drift.Position));
        }
        return z;
    }

    private static PhasePoint Start()
    {
        var q = new[] { 1.3, -0.4 };
        return PhasePoint.AtRest(q, Evaluate(q)).WithMomentum(new[] { 0.7, 1.1 });
    }

    [Fact]
    public void EnergyErrorShrinksQuadraticallyWithTheStepSize()
    {
        var metric = new DiagonalMetric(new[] { 1.5, 0.5 });
        var z0 = Start();
        double h0 = metric.Hamiltonian(z0);
        double MaxError(double eps)
        {
            var z = z0;
            double worst = 0;
            for (int i = 0; i < (int)Math.Round(2.0 / eps); i++)
            {
                z = Integrate(z, eps, 1, metric);
                worst = Math.Max(worst, Math.Abs(metric.Hamiltonian(z) - h0));
            }
            return worst;
        }
        double e1 = MaxError(0.1), e2 = MaxError(0.05), e3 = MaxError(0.025);
        // The leapfrog is a second-order symplectic integrator: halving ε divides the energy error by ≈ 4. The
        // ratios' deviation from 4 is O(ε²), a few percent at these step sizes.
        Assert.InRange(e1 / e2, 3.6, 4.4);
        Assert.InRange(e2 / e3, 3.8, 4.2);
        Assert.True(e3 < 1e-3);
    }

    [Fact]
    public void ReversingTheMomentumRetracesTheTrajectory()
    {
        var metric = new DiagonalMetric(new[] { 1.5, 0.5 });
        var z0 = Start();
        var z = Integrate(z0, 0.2, 25, metric);
        z = z.WithMomentum(z.Momentum.Select(p => -p).ToArray());
        z = Integrate(z, 0.2, 25, metric);
        // Exact in exact arithmetic; 50 steps of round-off stay far below 1e-12.
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(z0.Position[i], z.Position[i], 12);
            Assert.Equal(-z0.Momentum[i], z.Momentum[i], 12);
        }
    }

    [Fact]
    public void NegativeStepIntegratesBackwards()
    {
        var metric = new DenseMetric(new[,] { { 1.0, 0.3 }, { 0.3, 0.8 } });
        var z0 = Start();
        var back = Integrate(Integrate(z0, 0.1, 10, metric), -0.1, 10, metric);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(z0.Position[i], back.Position[i], 12);
            Assert.Equal(z0.Momentum[i], back.Momentum[i], 12);
        }
    }

    [Fact]
    public void DenseMetricMomentaHaveCovarianceM()
    {
        // p = L⁻ᵀz must have covariance M = Σ⁻¹; checked in closed form: Σ · Cov(p) = I, where Cov(p) = L⁻ᵀL⁻¹ is
        // assembled column by column from unit vectors z = e_k.
        var sigma = new[,] { { 2.0, 0.6, 0.1 }, { 0.6, 1.0, -0.2 }, { 0.1, -0.2, 0.5 } };
        var metric = new DenseMetric(sigma);
        var columns = Enumerable.Range(0, 3).Select(k => metric.MomentumFromStandardNormals(Enumerable.Range(0, 3).Select(i => i == k ? 1.0 : 0.0).ToArray())).ToArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double cov = columns.Sum(c => c[i] * c[j]);
                double product = 0;
                for (int k = 0; k < 3; k++) product += sigma[i, k] * columns.Sum(c => c[k] * c[j]);
                Assert.Equal(i == j ? 1.0 : 0.0, product, 12);
                Assert.True(double.IsFinite(cov));
            }
    }
}
