using System.Globalization;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Bench.Sbi;

/// <summary>The sbibm two-moons and Gaussian-linear simulators, written directly in C# until the compiled models
/// exist, and the reference files under ../shared/reference/sbibm.</summary>
internal static class SbibmTasks
{
    /// <summary>Two moons: θ ~ U(−1, 1)², a ~ U(−π/2, π/2), r ~ N(0.1, 0.01²), p = (r cos a + 0.25, r sin a),
    /// x = p + (−|θ₁+θ₂|/√2, (−θ₁+θ₂)/√2).</summary>
    public static (Tensor Theta, Tensor X) TwoMoons(long n, ulong seed)
    {
        using var scope = NewDisposeScope();
        var theta = TensorArithmetic.Sub(TensorArithmetic.Mul(Uniform(seed, "theta", n, 2), 2), 1);
        var a = TensorArithmetic.Mul((TensorArithmetic.Sub(Uniform(seed, "a", n), 0.5)), Math.PI);
        var r = TensorArithmetic.Add(0.1, TensorArithmetic.Mul(0.01, Normal(seed, "r", n)));
        var p = stack([TensorArithmetic.Add(r * a.cos(), 0.25), r * a.sin()], 1);
        var t0 = theta.select(1, 0);
        var t1 = theta.select(1, 1);
        var x = TensorArithmetic.Add(p, stack([TensorArithmetic.Div(-(TensorArithmetic.Add(t0, t1)).abs(), Math.Sqrt(2)), TensorArithmetic.Div((TensorArithmetic.Add(-t0, t1)), Math.Sqrt(2))], 1));
        return (theta.MoveToOuterDisposeScope(), x.MoveToOuterDisposeScope());
    }

    /// <summary>Gaussian linear: θ ~ N(0, 0.1·I₁₀), x ~ N(θ, 0.1·I₁₀).</summary>
    public static (Tensor Theta, Tensor X) GaussianLinear(long n, ulong seed)
    {
        using var scope = NewDisposeScope();
        var theta = TensorArithmetic.Mul(Normal(seed, "theta", n, 10), Math.Sqrt(0.1));
        var x = TensorArithmetic.Add(theta, TensorArithmetic.Mul(Normal(seed, "noise", n, 10), Math.Sqrt(0.1)));
        return (theta.MoveToOuterDisposeScope(), x.MoveToOuterDisposeScope());
    }

    /// <summary>Reads a CSV of numbers with one header line into [rows, columns] float32.</summary>
    public static Tensor ReadCsv(string path)
    {
        var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var flat = rows.SelectMany(r => r).ToArray();
        return tensor(flat).reshape(rows.Length, rows[0].Length);
    }

    /// <summary>../shared/reference beside the repository root (found by walking up to Ppl.sln).</summary>
    public static string ReferenceRoot()
    {
        var env = Environment.GetEnvironmentVariable("PPL_REFERENCE_DIR");
        if (!string.IsNullOrEmpty(env)) return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
        if (dir is null) throw new DirectoryNotFoundException("Ppl.sln not found above " + AppContext.BaseDirectory);
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference"));
    }

    private static Tensor Uniform(ulong seed, string site, params long[] shape) =>
        new RandomStream(seed, RandomStream.SiteKey(site), 0, shape, ScalarType.Float32, CPU).Uniform();

    private static Tensor Normal(ulong seed, string site, params long[] shape) =>
        new RandomStream(seed, RandomStream.SiteKey(site), 0, shape, ScalarType.Float32, CPU).StandardNormal();
}
