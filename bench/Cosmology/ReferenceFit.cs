using System.Text.Json;
using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;

namespace Ppl.Bench.Cosmology;

/// <summary>
/// Recovers the cosmologies behind the reference file's "low" and "high" C_ell, which the file names but does not give:
/// Gauss–Newton on the squared residuals of ln C_ell (15 pairs × 6 ells) over (Ω_c, Ω_b, h, n_s, σ_8, w_0), from the
/// fiducial θ, in float64. Each iteration evaluates the centre and the 12 central-difference neighbours as one batch of
/// 13 cosmologies. Also reports the best fit over (Ω_c, σ_8) alone, to show whether fewer parameters would do.
/// </summary>
internal static class ReferenceFit
{
    private static readonly double[] Fiducial = { 0.2664, 0.0492, 0.6727, 0.9645, 0.831, -1.0 };
    private static readonly string[] Names = { "Ω_c", "Ω_b", "h", "n_s", "σ_8", "w_0" };

    public static int Run(BenchOptions options)
    {
        var path = options.ReferencePath ?? DefaultReferencePath();
        if (path is null || !File.Exists(path))
        {
            Console.Error.WriteLine($"reference file not found ({path ?? "no ../shared/reference beside the checkout"}); pass --reference FILE");
            return 1;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var ell = root.GetProperty("ell").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var tracer = WeakLensingTracer.LsstY10();
        foreach (var name in new[] { "low", "high" })
        {
            var target = root.GetProperty("cl_15pairs_upper_triangle_order").GetProperty(name).EnumerateArray()
                .SelectMany(row => row.EnumerateArray().Select(e => Math.Log(e.GetDouble()))).ToArray();
            foreach (var free in new[] { new[] { 0, 4 }, new[] { 0, 1, 2, 3, 4, 5 } })
            {
                var (theta, rms, max) = Fit(tracer, ell, target, free);
                Console.WriteLine($"{name,-5} free {string.Join(",", free.Select(p => Names[p])),-22} rms {rms:E2} max {max:E2}  " +
                                  string.Join("  ", theta.Select((v, i) => $"{Names[i]}={v:F5}")));
            }
        }
        return 0;
    }

    private static (double[] Theta, double Rms, double Max) Fit(WeakLensingTracer tracer, double[] ell, double[] target, int[] free)
    {
        const double h = 1e-6;
        var theta = (double[])Fiducial.Clone();
        double[] residual = Array.Empty<double>();
        for (int iteration = 0; iteration < 15; iteration++)
        {
            var points = new List<double[]> { theta };
            foreach (int p in free)
                foreach (int sign in new[] { 1, -1 })
                {
                    var t = (double[])theta.Clone();
                    t[p] += sign * h;
                    points.Add(t);
                }
            var logCl = Evaluate(tracer, ell, points);
            residual = target.Select((v, i) => v - logCl[0][i]).ToArray();
            var jacobian = free.Select((_, f) => logCl[1 + 2 * f].Select((v, i) => (v - logCl[2 + 2 * f][i]) / (2 * h)).ToArray()).ToArray();
            var step = SolveNormalEquations(jacobian, residual);
            for (int f = 0; f < free.Length; f++) theta[free[f]] += step[f];
        }
        return (theta, Math.Sqrt(residual.Select(r => r * r).Average()), residual.Max(r => Math.Abs(r)));
    }

    private static double[][] Evaluate(WeakLensingTracer tracer, double[] ell, List<double[]> points)
    {
        using var scope = NewDisposeScope();
        var c = CosmologyParameters.FromValues(points.Select(t => new CosmologyValues(t[0], t[1], t[2], t[3], t[4], t[5])).ToArray(), ScalarType.Float64);
        var cl = Limber.AngularCl(c, tracer, tensor(ell, dtype: ScalarType.Float64)).log().reshape(points.Count, -1);
        return Enumerable.Range(0, points.Count).Select(i => cl[i].data<double>().ToArray()).ToArray();
    }

    /// <summary>Solves (JᵀJ) x = Jᵀr by Gaussian elimination with partial pivoting (at most 6 unknowns).</summary>
    private static double[] SolveNormalEquations(double[][] j, double[] r)
    {
        int n = j.Length;
        var a = new double[n, n + 1];
        for (int p = 0; p < n; p++)
        {
            for (int q = 0; q < n; q++) a[p, q] = j[p].Zip(j[q], (x, y) => x * y).Sum();
            a[p, n] = j[p].Zip(r, (x, y) => x * y).Sum();
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(row => Math.Abs(a[row, col]));
            for (int k = 0; k <= n; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            for (int row = col + 1; row < n; row++)
            {
                double f = a[row, col] / a[col, col];
                for (int k = col; k <= n; k++) a[row, k] -= f * a[col, k];
            }
        }
        var x = new double[n];
        for (int row = n - 1; row >= 0; row--)
        {
            double s = a[row, n];
            for (int k = row + 1; k < n; k++) s -= a[row, k] * x[k];
            x[row] = s / a[row, row];
        }
        return x;
    }

    private static string? DefaultReferencePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
        return dir is null ? null : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference", "cosmology", "jax_cosmo_lsst_y10.json"));
    }
}
