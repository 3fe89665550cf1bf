using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests;

/// <summary>The default thread count never exceeds the cores that are free: one per process on a loaded machine.</summary>
public class ThreadDefaultsTests
{
    [Theory]
    [InlineData(16, 0.0, 16)]   // idle: every available core
    [InlineData(16, 3.7, 13)]   // three cores busy elsewhere
    [InlineData(2, 7.25, 1)]    // a 2-core machine shared with six busy processes: one thread
    [InlineData(2, 1.0, 1)]
    [InlineData(4, 4.0, 1)]
    [InlineData(1, 0.0, 1)]
    [InlineData(8, null, 8)]    // no load average (not Linux): the cores the process may use
    [InlineData(8, double.NaN, 8)]
    [InlineData(0, null, 1)]
    public void ChooseLeavesBusyCoresAlone(int processors, double? load, int expected) =>
        Assert.Equal(expected, ThreadDefaults.Choose(processors, load));

    [Fact]
    public void ThisProcessGetsBetweenOneAndItsProcessorCount()
    {
        var (threads, error) = ThreadDefaults.ForThisProcess();
        Assert.Null(error);
        if (threads is { } n) Assert.InRange(n, 1, Environment.ProcessorCount);
        if (OperatingSystem.IsLinux()) Assert.NotNull(ThreadDefaults.LoadAverage());
    }
}
