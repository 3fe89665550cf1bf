using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// Where a failing model says it failed: the statement index is a local of each generated method, so a fault is
/// reported at its own line (in a function: the function's line and the call site), also when several threads run one
/// bound model at once; sizes from the data are checked before any tensor is made with them.
/// </summary>
public class ModelLocationTests
{
    // Line 4 fails when |a| >= 1, line 5 (in the middle of the model) when |b| >= 1.
    private const string TwoFaults =
        "model TwoFaults\n" +
        "param a ~ Uniform(-3, 3)\n" +
        "param b ~ Uniform(-3, 3)\n" +
        "let first = cholesky([[1.0, a], [a, 1.0]])\n" +
        "let second = cholesky([[1.0, b], [b, 1.0]])\n" +
        "observe y: real[2] ~ Normal(first[:, 0] + second[:, 1], 1.0)\n";

    /// <summary>u for a = b = 0.3-ish (both factors exist), for a > 2 (line 4 fails) and for b > 2 (line 5 fails);
    /// Uniform(-3, 3) maps u to -3 + 6 sigmoid(u), so a = 2 at u = ln 5.</summary>
    private static readonly double[][] Points = [[0.2, -0.3], [2.1, 0.0], [0.0, 2.1]];

    private static readonly int[] FailingLine = [0, 4, 5];

    private static Model BindTwoFaults()
    {
        var compilation = Ppl.Compiler.Driver.Compile(CliRunner.WriteModel(TwoFaults), TwoFaults);
        Assert.False(compilation.HasErrors, compilation.RenderDiagnostics());
        var data = new Dictionary<string, DataInput> { ["y"] = new(tensor(new[] { 0.5, 0.3 }), "test") };
        return Model.Bind(compilation.Factory!(), data, ModelOptions.Float64).Model!;
    }

    /// <summary>The log density at point <paramref name="k"/>, or the line its failure is reported at (as a negative number).</summary>
    private static double Evaluate(Model model, int k)
    {
        using var scope = NewDisposeScope();
        using var u = tensor(Points[k], new long[] { 1, 2 }, ScalarType.Float64);
        try
        {
            return model.LogDensity(u).item<double>();
        }
        catch (ModelRunException e)
        {
            Assert.Equal("PPL0490", e.Error.Code);
            return -e.Error.Location.Line;
        }
    }

    [Fact]
    public void AFaultInTheMiddleOfTheModelIsReportedAtItsLine()
    {
        var model = BindTwoFaults();
        Assert.True(double.IsFinite(Evaluate(model, 0)));
        Assert.Equal(-4, Evaluate(model, 1));
        Assert.Equal(-5, Evaluate(model, 2));
    }

    [Fact]
    public void ABoundModelRunOnSeveralThreadsGivesTheSequentialResultsAndLocations()
    {
        var model = BindTwoFaults();
        var sequential = Enumerable.Range(0, Points.Length).Select(k => Evaluate(model, k)).ToArray();
        Assert.Equal(new[] { -4.0, -5.0 }, sequential[1..]);

        const int threads = 4, rounds = 60;
        using var start = new Barrier(threads);
        var results = new double[threads][];
        var failures = new Exception?[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                var mine = new double[rounds];
                // Each thread walks the three points in its own phase, so failures at lines 4 and 5 and successes interleave.
                for (int i = 0; i < rounds; i++) mine[i] = Evaluate(model, (i + t) % Points.Length);
                results[t] = mine;
            }
            catch (Exception e)
            {
                failures[t] = e;
            }
        })).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();
        Assert.All(failures, Assert.Null);

        for (int t = 0; t < threads; t++)
            for (int i = 0; i < rounds; i++)
            {
                int k = (i + t) % Points.Length;
                if (FailingLine[k] > 0) Assert.Equal(-FailingLine[k], results[t][i]);
                else Assert.Equal(sequential[k], results[t][i], 1e-12);
            }
    }

    [Fact]
    public void AFaultInsideAFunctionNamesTheFunctionLineAndTheCallSite()
    {
        // fft of an empty axis (N = 0) fails at line 4, inside `power`, which the model calls on line 8.
        var path = CliRunner.WriteModel(
            "model FnFault\ndata N: int = 4\nfun power(x: real[N]) -> real[N] {\n    let modes = fft(x)\n    return re(modes * conj(modes))\n}\n" +
            "param mu ~ Normal(0, 1)\nlet p = power(mu + zeros(N))\nobserve y: real[N] ~ Normal(p, 1.0)\n");
        var output = Path.Combine(Path.GetDirectoryName(path)!, "sims.npz");
        var r = CliRunner.Run("simulate", path, "-n", "2", "--set", "N=0", "-o", output);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:4:17: error PPL0409: fft: the transformed axes must not be empty", r.Err);
        Assert.Contains("4 |     let modes = fft(x)", r.Err);
        Assert.Contains("  = note: called from " + path + ":8:9", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ADataOnlyPartOfAFunctionComputedAtBindingNamesTheCallSite()
    {
        // cholesky(m) reads the data m only, so it is computed once when binding, taken out of `scaled` (line 4), called
        // on line 7.
        var path = CliRunner.WriteModel(
            "model Hoisted\ndata m: real[2, 2]\nfun scaled(s: real) -> real[2, 2] {\n  return s * cholesky(m)\n}\n" +
            "param s ~ Uniform(0.5, 2)\nlet l = scaled(s)\nobserve y: real[2] ~ Normal(l[:, 0], 1.0)\n");
        var r = CliRunner.Run("check", path, "--set", "m=[[1.0, 2.0], [2.0, 1.0]]");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:4:14: error PPL0406: evaluating the model's data failed", r.Err);
        Assert.Contains("  = note: called from " + path + ":7:9", r.Err);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-12")]
    public void ANegativeSizeIsOneLocatedErrorBeforeAnyTensorAndWritesNothing(string j)
    {
        var output = Path.Combine(Path.GetDirectoryName(CliRunner.WriteModel("model Unused\n"))!, "sims.npz");
        var r = CliRunner.Run("simulate", ExampleModels.PathOf("eight_schools"), "-n", "2", "--set", "J=" + j, "-o", output);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains($"eight_schools.ppl:5:1: error PPL0409: the size J must not be negative (it is {j})", r.Err);
        Assert.Single(r.Err.Split('\n'), l => l.Contains("error", StringComparison.Ordinal));
        Assert.DoesNotContain("dimension", r.Err);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void AComprehensionOverAnEmptyRangeIsALocatedSizeError(string j)
    {
        var path = CliRunner.WriteModel(
            "model Empty\ndata J: int = 3\nlet v = [1.0 * i for i in 0:J]\nparam mu ~ Normal(0, 1)\nobserve y ~ Normal(mu + sum(v), 1.0)\n");
        var output = Path.Combine(Path.GetDirectoryName(path)!, "sims.npz");
        var r = CliRunner.Run("simulate", path, "-n", "2", "--set", "J=" + j, "-o", output);
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:3:1: error PPL0409: the range of a comprehension is empty", r.Err);
        Assert.DoesNotContain("TensorList", r.Err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void TheSpectraExampleRecordingItsFlattenedMapsDeclaresTheLetShape()
    {
        // A fuzzer's mutation of lensing_map_spectra.ppl: cl_hat = flatten(maps) has the size N * N * 5, which is not a
        // linear form; Bind used to leave its shape undeclared (exit 3).
        var text = File.ReadAllText(ExampleModels.PathOf("lensing_map_spectra"));
        var mutated = System.Text.RegularExpressions.Regex.Replace(text, @"^let cl_hat = .*$", "let cl_hat = flatten(maps)",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.NotEqual(text, mutated);
        var path = CliRunner.WriteModel(mutated);
        var output = Path.Combine(Path.GetDirectoryName(path)!, "sims.npz");
        var r = CliRunner.Run("simulate", path, "-n", "1", "--set", "N=8", "-o", output);
        Assert.True(r.Exit == ExitCodes.Ok, r.Err);
        var read = NpzReader.ReadAllTensors(output).Value!;
        Assert.Equal(new long[] { 1, 8 * 8 * 5 }, read["cl_hat"].shape);
        Assert.True(read["maps"].flatten().equal(read["cl_hat"].flatten()).all().item<bool>());
    }
}
