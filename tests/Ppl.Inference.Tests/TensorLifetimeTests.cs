using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Inference.Output;
using TorchSharp;

namespace Ppl.Inference.Tests;

public class TensorLifetimeTests
{
    [Fact]
    public void SamplingAndOutputLeaveNoLiveTensors()
    {
        var density = EightSchools.Density();
        var columns = ConstrainedColumns.Identity(10);
        var options = new SamplingOptions { Chains = 2, Seed = 3, NumWarmup = 30, NumSamples = 20 };
        // Warm up once so that lazily created library tensors (if any) exist before counting.
        HamiltonianSampler.Sample(density, options, InitialPositions.Uniform(10, 3)).GetRunOrThrow();

        static long Live() => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        long before = Live();
        using (var probe = torch.zeros(1)) Assert.Equal(before + 1, Live()); // the counter does see tensors
        var run = HamiltonianSampler.Sample(density, options with { NumSamples = 60 }, InitialPositions.Uniform(10, 3)).GetRunOrThrow();
        CmdStanCsvWriter.Write(new StringWriter(), run, run.Chains[0], columns, new CmdStanCsvHeader("m"));
        var npz = Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8] + "-lifetime.npz");
        Directory.CreateDirectory(Path.GetDirectoryName(npz)!);
        Assert.True(DrawsNpzWriter.Write(npz, run, columns).Succeeded);
        long after = Live();
        // Thousands of batched evaluations ran in between: any per-call leak would show up as a difference.
        Assert.Equal(before, after);
    }
}
