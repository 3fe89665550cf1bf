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
        Console.WriteLine($"{"B",3} {"nell",6} {"distinct",8} {"forward ms",11} {"fwd+grad ms",12} {"ms/cosmology",13}");
        foreach (int n in new[] { 64, 128, 256 })
            foreach (bool distinct in new[] { false, true })
                foreach (long b in new long[] { 1, 16 })
                {
                    var ell = distinct ? DistinctEll(2 * n) : MapEll(n, 10.0);
                    int unique = ell.Distinct().Count();
                    var (forward, gradient) = Measure(tracer, ell, b, options);
                    Console.WriteLine($"{b,3} {ell.Length,6} {unique,8} {forward,11:F1} {gradient,12:F1} {gradient / b,13:F2}");
                }
        return 0;
    }

    private static (double Forward, double Gradient) Measure(WeakLensingTracer tracer, double[] ell, long b, BenchOptions options)
    {
        var values = Enumerable.Range(0, (int)b).Select(i => new CosmologyValues(0.2664 + 0.002 * i, 0.0492, 0.6727, 0.9645, 0.831 - 0.003 * i, -1.0)).ToArray();
        var forward = new List<double>();
        var gradient = new List<double>();
        for (int r = 0; r <= options.Repeats; r++)
        {
            using (var scope = NewDisposeScope())
            {
                var c = CosmologyParameters.FromValues(values, options.DType, options.Device);
                var ellTensor = tensor(ell, dtype: options.DType, device: options.Device);
                var sw = Stopwatch.StartNew();
                using (no_grad())
                {
                    var cl = Limber.AngularCl(c, tracer, ellTensor);
                    cl.sum().to(ScalarType.Float64).item<double>();
                }
                if (r > 0) forward.Add(sw.Elapsed.TotalMilliseconds);
            }
            using (var scope = NewDisposeScope())
            {
                var theta = tensor(values.SelectMany(v => new[] { v.OmegaC, v.OmegaB, v.H, v.NS, v.Sigma8, v.W0 }).ToArray(),
                    dtype: options.DType, device: options.Device).reshape(b, 6).requires_grad_(true);
                var sw = Stopwatch.StartNew();
                var columns = theta.unbind(1);
                var c = new CosmologyParameters(columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]);
                var cl = Limber.AngularCl(c, tracer, tensor(ell, dtype: options.DType, device: options.Device));
                var grad = torch.autograd.grad(new[] { cl.log().sum() }, new[] { theta })[0];
                grad.sum().to(ScalarType.Float64).item<double>();
                if (r > 0) gradient.Add(sw.Elapsed.TotalMilliseconds);
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

    private static double Median(List<double> x)
    {
        var s = x.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
