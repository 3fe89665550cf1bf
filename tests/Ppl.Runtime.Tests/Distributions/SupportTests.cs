using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class SupportTests
{
    /// <summary>
    /// Outside the support the log-density is -inf, never NaN, in both float types; its gradient is finite and zero in
    /// the value and the parameters, because the density is computed at an interior stand-in and then masked. An HMC
    /// step that leaves the support is thus rejected by its -inf energy while the state's gradient stays finite.
    /// </summary>
    [Theory]
    [MemberData(nameof(DistributionCases.BoundedIds), MemberType = typeof(DistributionCases))]
    public void OutsideTheSupportTheLogDensityIsMinusInfinityWithZeroGradient(string id)
    {
        var c = DistributionCases.Get(id);
        Assert.NotEmpty(c.OutsidePoints);
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var parameters = c.ParameterValues.Select(p => tensor(p, dtype: dtype).requires_grad_(true)).ToArray();
            var value = tensor(c.OutsidePoints, dtype: ScalarType.Float64).to_type(dtype).requires_grad_(true);
            var logProb = c.Build((i, _) => parameters[i]).LogProb(value);
            var numbers = logProb.to_type(ScalarType.Float64).data<double>().ToArray();
            Assert.All(numbers, v => Assert.Equal(double.NegativeInfinity, v));

            logProb.sum().backward();
            var valueGradient = value.grad!.to_type(ScalarType.Float64).data<double>().ToArray();
            // Exact by construction: outside the support the log-density is a constant −∞ selected by a mask.
            Assert.All(valueGradient, g => Assert.Equal(0.0, g));
            foreach (var p in parameters)
                Assert.Equal(0.0, Assert.IsAssignableFrom<Tensor>(p.grad).to_type(ScalarType.Float64).item<double>());
        }
    }

    [Theory]
    [MemberData(nameof(DistributionCases.BoundedIds), MemberType = typeof(DistributionCases))]
    public void InsideAndOutsideValuesMixedInOneTensorStaySeparate(string id)
    {
        var c = DistributionCases.Get(id);
        using var scope = NewDisposeScope();
        var values = c.Points.Concat(c.OutsidePoints).ToArray();
        var logProb = c.Build(ScalarType.Float64).LogProb(tensor(values, dtype: ScalarType.Float64)).data<double>().ToArray();
        for (int i = 0; i < c.Points.Length; i++) Assert.True(double.IsFinite(logProb[i]), $"{id} at {values[i]}: {logProb[i]}");
        for (int i = c.Points.Length; i < values.Length; i++) Assert.Equal(double.NegativeInfinity, logProb[i]);
    }

    [Fact]
    public void NaNValuesAreOutsideBoundedSupports()
    {
        using var scope = NewDisposeScope();
        foreach (var c in DistributionCases.All.Where(c => c.IsBounded))
        {
            var logProb = c.Build(ScalarType.Float64).LogProb(tensor(double.NaN, dtype: ScalarType.Float64)).item<double>();
            Assert.Equal(double.NegativeInfinity, logProb);
        }
    }

    [Fact]
    public void SupportsNameTheirBounds()
    {
        using var scope = NewDisposeScope();
        var low = tensor(-1.0);
        var high = tensor(2.0);
        Assert.Equal(SupportKind.Interval, new Uniform(low, high).Support.Kind);
        Assert.Same(low, new Uniform(low, high).Support.Lower);
        Assert.Same(high, new Uniform(low, high).Support.Upper);
        var one = tensor(1.0);
        Assert.Equal(SupportKind.GreaterThan, new TruncatedNormal(one, one, lower: low).Support.Kind);
        Assert.Equal(SupportKind.LessThan, new TruncatedNormal(one, one, upper: high).Support.Kind);
        Assert.Equal(SupportKind.Interval, new TruncatedNormal(one, one, low, high).Support.Kind);
        Assert.Equal(SupportKind.Real, new TruncatedNormal(one, one).Support.Kind);
        Assert.Equal(SupportKind.UnitInterval, new Beta(one, one).Support.Kind);
        foreach (var d in new Distribution[] { new LogNormal(one, one), new Gamma(one, one), new Exponential(one), new HalfNormal(one), new HalfCauchy(one) })
            Assert.Equal(SupportKind.Positive, d.Support.Kind);
        foreach (var d in new Distribution[] { new Normal(one, one), new Cauchy(one, one), new StudentT(one, one, one) })
            Assert.Equal(SupportKind.Real, d.Support.Kind);
    }
}
