using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class LogProbTests
{
    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void MatchesTheClosedFormInFloat64(string id)
    {
        var c = DistributionCases.Get(id);
        using var scope = NewDisposeScope();
        var logProb = c.Build(ScalarType.Float64).LogProb(tensor(c.Points, dtype: ScalarType.Float64)).data<double>().ToArray();
        for (int i = 0; i < c.Points.Length; i++)
        {
            double expected = c.LogDensity(c.Points[i]);
            // Both sides are float64 evaluations of the same formula up to rearrangement; log Γ and erf in the reference
            // are accurate to ~1e-14, so 1e-10 relative leaves ample room while catching any wrong term.
            Assert.True(Math.Abs(logProb[i] - expected) <= 1e-10 * (1 + Math.Abs(expected)),
                $"{id} at x = {c.Points[i]}: got {logProb[i]}, expected {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void MatchesTheClosedFormInFloat32(string id)
    {
        var c = DistributionCases.Get(id);
        using var scope = NewDisposeScope();
        var values = tensor(c.Points.Select(p => (float)p).ToArray());
        var result = c.Build(ScalarType.Float32).LogProb(values);
        Assert.Equal(ScalarType.Float32, result.dtype);
        var logProb = result.data<float>().ToArray();
        for (int i = 0; i < c.Points.Length; i++)
        {
            double expected = c.LogDensity((float)c.Points[i]);
            // float32 carries ~6e-8 relative error per operation; a dozen operations and the conditioning of
            // log-densities with terms up to ~1e3 in magnitude stay well within 2e-5·(1 + |terms|).
            Assert.True(Math.Abs(logProb[i] - expected) <= 2e-5 * (1 + Math.Abs(expected)) + 1e-4,
                $"{id} at x = {c.Points[i]}: got {logProb[i]}, expected {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void IntegratesToOne(string id)
    {
        var c = DistributionCases.Get(id);
        using var scope = NewDisposeScope();
        var distribution = c.Build(ScalarType.Float64);

        double Integral(double h)
        {
            var (nodes, weights) = DoubleExponentialQuadrature.Rule(c.Lower, c.Upper, c.Center, c.Scale, h);
            var density = distribution.LogProb(tensor(nodes, dtype: ScalarType.Float64)).exp().data<double>().ToArray();
            double sum = 0;
            for (int i = 0; i < nodes.Length; i++) sum += density[i] * weights[i];
            return sum;
        }

        double coarse = Integral(1.0 / 16), fine = Integral(1.0 / 32);
        // Double-exponential rules converge exponentially: halving the step changes the result by far less than the
        // remaining error of the coarse rule, so the agreement of the two bounds the error of the fine one.
        Assert.True(Math.Abs(fine - coarse) < 1e-7, $"{id}: quadrature not converged ({coarse} vs {fine})");
        Assert.True(Math.Abs(fine - 1) < 1e-6, $"{id}: integral {fine}");
    }
}
