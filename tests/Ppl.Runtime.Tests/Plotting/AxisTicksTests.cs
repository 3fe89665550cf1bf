using Ppl.Runtime.Plotting;

namespace Ppl.Runtime.Tests.Plotting;

public class AxisTicksTests
{
    [Theory]
    [InlineData(0.0, 1.0, 5, 0.2)]
    [InlineData(-3.2, 7.9, 4, 2.0)]
    [InlineData(998.6, 1001.6, 4, 1.0)]
    [InlineData(1e-6, 9e-6, 4, 2e-6)]
    [InlineData(-250.0, 250.0, 5, 100.0)]
    public void StepsAreOneTwoOrFiveTimesAPowerOfTen(double min, double max, int target, double expected)
    {
        double step = AxisTicks.Step(min, max, target);
        Assert.Equal(expected, step, expected * 1e-9);
        var ticks = AxisTicks.Choose(min, max, target);
        Assert.All(ticks, t => Assert.InRange(t, min - step * 1e-9, max + step * 1e-9));
        for (int k = 1; k < ticks.Length; k++) Assert.Equal(step, ticks[k] - ticks[k - 1], step * 1e-9);
        Assert.InRange(ticks.Length, target / 2, 2 * target + 1);
    }

    [Fact]
    public void NextStepCyclesThroughOneTwoFive()
    {
        Assert.Equal(0.2, AxisTicks.NextStep(0.1), 12);
        Assert.Equal(0.5, AxisTicks.NextStep(0.2), 12);
        Assert.Equal(1.0, AxisTicks.NextStep(0.5), 12);
        Assert.Equal(2000, AxisTicks.NextStep(1000), 9);
    }

    [Theory]
    [InlineData(0.0, 0.5, "0")]
    [InlineData(-0.5, 0.5, "\u22120.5")]
    [InlineData(1.0, 0.5, "1.0")]
    [InlineData(1000.0, 500.0, "1000")]
    [InlineData(0.25, 0.05, "0.25")]
    [InlineData(150000.0, 50000.0, "1.5e5")]
    [InlineData(3e-6, 1e-6, "3e\u22126")]
    [InlineData(-2.5e-6, 5e-7, "\u22122.5e\u22126")]
    public void LabelsShowWhatTheStepNeeds(double value, double step, string expected)
    {
        Assert.Equal(expected, AxisTicks.Format(value, step));
    }

    [Fact]
    public void DegenerateRangesGiveAtMostOneTick()
    {
        Assert.Equal(new[] { 2.0 }, AxisTicks.Choose(2, 2, 5));
        Assert.Empty(AxisTicks.Choose(double.NaN, 1, 5));
    }
}
