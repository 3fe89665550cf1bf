using System.Diagnostics;
using System.Globalization;
using Ppl.Runtime.Models;

namespace Ppl.Bench.Sbi;

/// <summary>
/// Simulation throughput of the log-normal lensing model (examples/lognormal_lensing.ppl, 5 tomographic bins, maps of
/// the noisy observation `y` and the noiseless `kappa`) on the CPU: maps per second at N = 64 (5°) and N = 256 (10°,
/// the Y10 benchmark) for batches of B = 1, 16 and 64 simulations per call — what an implicit-inference campaign
/// spends per training example. Each cell is the fastest of at least three calls (wall and process CPU time).
/// </summary>
internal static class LensingSimulationThroughput
{
    public static void Run(bool quick, IReadOnlyList<int>? sizes, IReadOnlyList<int>? batches)
    {
        sizes ??= quick ? [64] : [64, 256];
        batches ??= quick ? [1, 16] : [1, 16, 64];
        Console.WriteLine();
        Console.WriteLine("Lensing simulator (examples/lognormal_lensing.ppl), CPU, maps/s: wall (process cpu)");
        Console.WriteLine("| N | side | " + string.Join(" | ", batches.Select(b => $"B = {b}")) + " |");
        Console.WriteLine("|---|---|" + string.Concat(batches.Select(_ => "---|")));
        foreach (int n in sizes)
        {
            double side = n == 64 ? 5 : 10;
            var model = CompiledModels.Bind("lognormal_lensing", data: new()
            {
                ["N"] = DataInput.Scalar(n, "bench"), ["side_deg"] = DataInput.Scalar(side, "bench"),
            });
            var cells = batches.Select(b => Cell(model, b, quick)).ToArray();
            Console.WriteLine($"| {n} | {side}° | " + string.Join(" | ", cells) + " |");
        }
    }

    private static string Cell(Model model, int batch, bool quick)
    {
        var inv = CultureInfo.InvariantCulture;
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        var budget = Stopwatch.StartNew();
        ulong seed = 1;
        for (int rep = 0; rep < 3 || budget.Elapsed.TotalSeconds < (quick ? 1 : 3); rep++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var result = model.Simulate(new SimulationRequest(batch, seed++) { ChunkSize = batch, RecordLets = new HashSet<string>() });
            foreach (var t in result.Values.Values) t.Dispose();
            bestWall = Math.Min(bestWall, wall.Elapsed.TotalSeconds);
            bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            if (rep >= 20) break;
        }
        return string.Format(inv, "{0:G3} ({1:G3})", batch / bestWall, batch / bestCpu);
    }
}
