using System.Diagnostics;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Bench.Sampling;

/// <summary>Times the batched log density and gradient alone, at unconstrained points from the prior.</summary>
internal static class DensityTiming
{
    /// <summary>The process CPU time per call with <paramref name="rows"/> rows (mean) and the median wall time, over
    /// enough calls to fill about a second.</summary>
    public static (double Cpu, double Wall) MillisecondsPerCall(Model model, ModelLogDensity density, int rows)
    {
        var init = ModelInitialisation.Create(model, 7, rows, 1, new Dictionary<string, DataInput>()).Initialisation!;
        var flat = Enumerable.Range(1, rows).SelectMany(c => init.Position(c, 0)).ToArray();
        using var positions = tensor(flat, new long[] { rows, model.Dimension }, ScalarType.Float64);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        while (times.Count < 5 || (total.Elapsed.TotalSeconds < 1 && times.Count < 200))
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var (lp, grad) = density.Evaluate(positions);
            // Reading the values back is part of every sampler step (and waits for a GPU).
            _ = lp.to(ScalarType.Float64, CPU).data<double>()[0] + grad.to(ScalarType.Float64, CPU).data<double>()[0];
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / times.Count;
        times.Sort();
        return (cpu, times[times.Count / 2]);
    }
}
