using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class MomentTests
{
    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void MeanAndVarianceMatchTheTable(string id)
    {
        var c = DistributionCases.Get(id);
        using var scope = NewDisposeScope();
        var distribution = c.Build(ScalarType.Float64);
        if (distribution is not IDistributionMoments moments)
        {
            // Only distributions without a mean (Cauchy, half-Cauchy) lack the moments.
            Assert.True(double.IsNaN(c.Mean), $"{id} should give its moments");
            return;
        }
        // The table's truncated-normal moments come from quadrature (accurate to ~1e-10); the rest are closed forms.
        AssertClose(c.Mean, moments.Mean.item<double>(), id + " mean");
        AssertClose(c.Variance, moments.Variance.item<double>(), id + " variance");
    }

    [Fact]
    public void StudentTMomentsAreUndefinedOrInfiniteForFewDegreesOfFreedom()
    {
        using var scope = NewDisposeScope();
        var t = new StudentT(tensor(new[] { 0.5, 1.5, 3.0 }), tensor(2.0), tensor(1.0));
        // Exact by construction: the mean is the stored loc and 1²·3/(3−2) = 3 involves only exact small integers.
        Assert.Equal(new[] { double.NaN, 2.0, 2.0 }, t.Mean.data<double>().ToArray());
        Assert.Equal(new[] { double.NaN, double.PositiveInfinity, 3.0 }, t.Variance.data<double>().ToArray());
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual) || double.IsPositiveInfinity(actual), $"{what}: {actual}");
            return;
        }
        Assert.True(Math.Abs(actual - expected) <= 1e-8 * (1 + Math.Abs(expected)), $"{what}: {actual}, expected {expected}");
    }
}
