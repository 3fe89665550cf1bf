using Ppl.Runtime.Tensors;
using Ppl.Compiler;
using Ppl.Runtime.Models;
using Ppl.Tests.Shared;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>The Gaussian random field whose amplitude is its only param, and its exact posterior.</summary>
internal static class CompressionModels
{
    public static string GrfPath => Path.Combine(ReferenceData.RepositoryRoot, "tests", "Ppl.Sbi.Tests", "Models", "grf_amplitude.ppl");

    public const int N = 16;
    public const double Slope = -1.0;
    public const double Noise = 0.3;

    private static readonly Lazy<Compilation> Compiled = new(() =>
    {
        var c = Driver.CompileFile(GrfPath);
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        return c;
    });

    public static Model BindGrf(ScalarType real = ScalarType.Float32)
    {
        var binding = Model.Bind(Compiled.Value.Factory!(), new Dictionary<string, DataInput>(), new ModelOptions { RealType = real });
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    /// <summary>
    /// The exact log posterior of u = log A on a grid given one map y [N, N]: the field's covariance is circulant with
    /// eigenvalues A·k^slope (0 at k = 0), the noise adds σ², and |FFT(y)_k|²/N² are the quadratic form's terms.
    /// </summary>
    public static (double[] Grid, double[] LogPosterior) ExactPosterior(double[] y, int points = 801)
    {
        using var scope = NewDisposeScope();
        var map = tensor(y, ScalarType.Float64).reshape(N, N);
        var power = TensorArithmetic.Square(fft.fft2(map).abs()).div(tensor((double)(N * N))).reshape(-1).data<double>().ToArray();
        var k1 = fft.fftfreq(N, 1.0, dtype: ScalarType.Float64).mul(tensor(2 * Math.PI));
        var k = TensorArithmetic.Add(TensorArithmetic.Square(k1.unsqueeze(1)), TensorArithmetic.Square(k1.unsqueeze(0))).sqrt().reshape(-1).data<double>().ToArray();
        var grid = Enumerable.Range(0, points).Select(i => -2.5 + 5.0 * i / (points - 1)).ToArray();
        var logPosterior = grid.Select(u =>
        {
            double a = Math.Exp(u);
            double lp = -0.5 * u * u / 0.25;
            for (int m = 0; m < k.Length; m++)
            {
                double lambda = (k[m] > 0 ? a * Math.Pow(k[m], Slope) : 0) + Noise * Noise;
                lp += -0.5 * Math.Log(lambda) - 0.5 * power[m] / lambda;
            }
            return lp;
        }).ToArray();
        return (grid, logPosterior);
    }

    /// <summary>Mean and standard deviation of a density given by its log on a uniform grid.</summary>
    public static (double Mean, double Sd) Moments(double[] grid, double[] logDensity)
    {
        double max = logDensity.Max();
        var w = logDensity.Select(l => Math.Exp(l - max)).ToArray();
        double total = w.Sum();
        double mean = grid.Zip(w).Sum(p => p.First * p.Second) / total;
        double variance = grid.Zip(w).Sum(p => (p.First - mean) * (p.First - mean) * p.Second) / total;
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>Spearman's rank correlation.</summary>
    public static double Spearman(double[] a, double[] b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = ra.Zip(rb).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(ra.Sum(r => (r - ma) * (r - ma)) * rb.Sum(r => (r - mb) * (r - mb)));
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int r = 0; r < order.Length; r++) ranks[order[r]] = r;
        return ranks;
    }
}
