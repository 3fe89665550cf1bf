using System.Diagnostics;
using Ppl.Runtime.Cosmology;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Bench.Cosmology;

/// <summary>
/// Times <see cref="Limber.AngularCl"/> and its gradient for the LSST Y10 tracer on the ell tables of N×N maps over
/// 10° (nell = 2N FFT frequencies, N + 1 of them distinct), and on 2N distinct multipoles for comparison.
/// </summary>
internal static class ClTiming
{
    public static int Run(BenchOptions options)
    {
        var tracer = WeakLensingTracer.LsstY10();
        Console.WriteLine($"# Limber C_ell, LSST Y10 tracer (5 bins, 15 pairs), {options.DType} on {options.Device}, " +
                          $"{torch.get_num_threads()} intra-op threads, median of {options.Repeats} runs after a warm-up");
        Console.WriteLine("# wall = elapsed time; cpu = this process's processor time (all threads), robust to other load on the machine");
        Console.WriteLine($"{"B",3} {"nell",6} {"distinct",8} {"fwd wall ms",12} {"fwd cpu ms",11} {"f+g wall ms",12} {"f+g cpu ms",11} {"f+g cpu ms/cosmology",21}");
        foreach (int n in new[] { 64, 128, 256 })
            foreach (bool distinct in new[] { false, true })
                foreach (long b in new long[] { 1, 16 })
                {
                    var ell = distinct ? DistinctEll(2 * n) : MapEll(n, 10.0);
                    int unique = ell.Distinct().Count();
                    var (forward, gradient) = Measure(tracer, ell, b, options);
                    Console.WriteLine($"{b,3} {ell.Length,6} {unique,8} {forward.Wall,12:F1} {forward.Cpu,11:F1} {gradient.Wall,12:F1} {gradient.Cpu,11:F1} {gradient.Cpu / b,21:F2}");
                }
        // The largest maps: N = 8192 (16,384 multipoles, 8,193 distinct), one cosmology.
        var large = MapEll(8192, 10.0);
        var (f, g) = Measure(tracer, large, 1, options with { Repeats = 1 });
        Console.WriteLine($"{1,3} {large.Length,6} {large.Distinct().Count(),8} {f.Wall,12:F1} {f.Cpu,11:F1} {g.Wall,12:F1} {g.Cpu,11:F1} {g.Cpu,21:F2}");
        return 0;
    }

    private static (Timing Forward, Timing Gradient) Measure(WeakLensingTracer tracer, double[] ell, long b, BenchOptions options)
    {
        var values = Enumerable.Range(0, (int)b).Select(i => new CosmologyValues(0.2664 + 0.002 * i, 0.0492, 0.6727, 0.9645, 0.831 - 0.003 * i, -1.0)).ToArray();
        var forward = new List<Timing>();
        var gradient = new List<Timing>();
        for (int r = 0; r <= options.Repeats; r++)
        {
            using (var scope = NewDisposeScope())
            {
                var c = CosmologyParameters.FromValues(values, options.DType, options.Device);
                var ellTensor = tensor(ell, dtype: options.DType, device: options.Device);
                var clock = Timing.Start();
                using (no_grad())
                {
                    var cl = Limber.AngularCl(c, tracer, ellTensor);
                    cl.sum().to(ScalarType.Float64).item<double>();
                }
                if (r > 0) forward.Add(clock.Stop());
            }
            using (var scope = NewDisposeScope())
            {
                var theta = tensor(values.SelectMany(v => new[] { v.OmegaC, v.OmegaB, v.H, v.NS, v.Sigma8, v.W0 }).ToArray(),
                    dtype: options.DType, device: options.Device).reshape(b, 6).requires_grad_(true);
                var clock = Timing.Start();
                var columns = theta.unbind(1);
                var c = new CosmologyParameters(columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]);
                var cl = Limber.AngularCl(c, tracer, tensor(ell, dtype: options.DType, device: options.Device));
                var grad = torch.autograd.grad(new[] { cl.log().sum() }, new[] { theta })[0];
                grad.sum().to(ScalarType.Float64).item<double>();
                if (r > 0) gradient.Add(clock.Stop());
            }
        }
        return (Median(forward), Median(gradient));
    }

    /// <summary>The ell table of an N×N map of the given side: 2π|fftfreq(2N, L/2N)|.</summary>
    internal static double[] MapEll(int n, double sideDegrees)
    {
        double side = sideDegrees / 180.0 * Math.PI;
        return Enumerable.Range(0, 2 * n).Select(i => 2 * Math.PI * Math.Abs(i < n ? i : i - 2 * n) / side).ToArray();
    }

    private static double[] DistinctEll(int count) =>
        Enumerable.Range(0, count).Select(i => 10.0 * Math.Pow(2000.0, i / (count - 1.0))).ToArray();

    private static Timing Median(List<Timing> x) => new(Median(x.Select(t => t.Wall)), Median(x.Select(t => t.Cpu)));

    private static double Median(IEnumerable<double> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    /// <summary>Wall-clock and process processor time of one run, in milliseconds.</summary>
    private readonly record struct Timing(double Wall, double Cpu)
    {
        public static Clock Start() => new(Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
    }

    private readonly record struct Clock(Stopwatch Watch, TimeSpan CpuAtStart)
    {
        public Timing Stop() => new(Watch.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - CpuAtStart).TotalMilliseconds);
    }
}
