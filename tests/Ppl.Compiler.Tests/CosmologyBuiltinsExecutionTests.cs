using Ppl.Runtime.Cosmology;
using Ppl.Runtime.Language;
using Ppl.Runtime.Models;
using Ppl.Tests.Shared;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Compiler.Tests;

/// <summary>
/// Runs golden/good/CosmologyBuiltins.ppl (every cosmology builtin and interp_unsorted, with a cosmology made of params and
/// one made of data, and a number of bins given as data): simulations of a batch equal the same simulations run alone, the
/// log-density gradient matches finite differences, the builtins agree with the cosmology library they wrap, and bad
/// arguments are located errors. interp_unsorted is checked against a direct transcription of jax-cosmo's rule.
/// </summary>
public class CosmologyBuiltinsExecutionTests
{
    private static Model Bind(ModelOptions options, Dictionary<string, DataInput>? data = null) => GoldenModel.Bind("CosmologyBuiltins.ppl", options, data);

    [Fact]
    public void BatchedRunEqualsSingleRunsAndPairsFollowTheData()
    {
        var model = Bind(ModelOptions.Float64);
        Assert.Equal(new long[] { 6, 6 }, model.Sites.Single(s => s.Name == "y").Shape); // nbins = 3: 6 pairs
        using var scope = NewDisposeScope();
        var batch = model.Simulate(new SimulationRequest(6, 5) { ChunkSize = 6 });
        for (long i = 0; i < 6; i++)
        {
            var one = model.Simulate(new SimulationRequest(1, 5) { FirstIndex = i, ChunkSize = 1 });
            foreach (var (name, value) in one.Values)
            {
                // float64 round-off of the batched matrix products in the Limber sum stays near 1e-15 relative.
                double diff = ((batch.Values[name][i] - value[0]).abs().max() / value[0].abs().max().clamp_min(ConstantScalars.Of(1e-300))).item<double>();
                Assert.True(diff < 1e-12, $"'{name}' of simulation {i} differs between a batch of 6 and a batch of 1 by {diff:E2} (relative)");
            }
        }
        var four = Bind(ModelOptions.Float64, new() { ["nbins"] = DataInput.Scalar(4L, "test") });
        Assert.Equal(new long[] { 10, 6 }, four.Sites.Single(s => s.Name == "y").Shape);
    }

    [Fact]
    public void GradientThroughTheCosmologyBuiltinsMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (model, u) = GoldenModel.AtSimulatedPoint("CosmologyBuiltins.ppl", 2, 8);
        var (lp, grad) = model.LogDensityAndGradient(u);
        Assert.True(lp.isfinite().all().item<bool>());
        // h = 1e-6: truncation ~h² and round-off ~1e-16·|log p|/h ≈ 1e-8 against derivatives of 10²–10⁴ (narrow priors);
        // halofit's node switches (jumps ~1e-5 relative in C_ell) lie outside these stencils.
        const double h = 1e-6;
        var eye = TensorArithmetic.Mul(TorchSharp.torch.eye(model.Dimension, dtype: ScalarType.Float64), h);
        for (int p = 0; p < 2; p++)
        {
            var fd = TensorArithmetic.Div((model.LogDensity(TensorArithmetic.Add(u[p], eye)) - model.LogDensity(u[p] - eye)), (2 * h));
            var relative = ((fd - grad[p]).abs() / grad[p].abs().clamp_min(ConstantScalars.Of(1.0))).max().item<double>();
            Assert.True(relative < 1e-5, $"point {p}: finite differences disagree with autograd by {relative:E2}");
        }
    }

    [Fact]
    public void BuiltinsAgreeWithTheLibraryTheyWrap()
    {
        var model = Bind(ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var theta = new Dictionary<string, DataInput>
        {
            ["omega_c"] = DataInput.Scalar(0.28, "test"), ["sigma_8"] = DataInput.Scalar(0.78, "test"), ["w_0"] = DataInput.Scalar(-0.9, "test"),
        };
        var sim = model.Simulate(new SimulationRequest(1, 3) { Conditioning = theta });
        var bins = TomographicBins.EqualCounts(new SmailRedshift(2.0, 0.68, 0.11, 5.0, 27.0), 3, 0.05);
        var tracer = new WeakLensingTracer(bins, 0.3);
        var ell = tensor(new[] { 30.0, 100.0, 100.0, 300.0, 1000.0, 3000.0 }, dtype: ScalarType.Float64);
        var cosmo = new CosmologyParameters(tensor(new[] { 0.28 }, dtype: ScalarType.Float64), tensor(new[] { 0.049 }, dtype: ScalarType.Float64),
            tensor(new[] { 0.67 }, dtype: ScalarType.Float64), tensor(new[] { 0.96 }, dtype: ScalarType.Float64),
            tensor(new[] { 0.78 }, dtype: ScalarType.Float64), tensor(new[] { -0.9 }, dtype: ScalarType.Float64), tensor(new[] { 0.1 }, dtype: ScalarType.Float64));
        var fiducial = CosmologyParameters.FromValues(new[] { new CosmologyValues(0.26, 0.049, 0.67, 0.96, 0.81, -1.0) }, ScalarType.Float64);
        var expected = Limber.AngularCl(cosmo, tracer, ell) / Limber.AngularCl(fiducial, tracer, ell);
        var lnY10 = LognormalShiftTable.LsstY10();
        var shift = TensorArithmetic.Add(lnY10.Lookup(cosmo), TensorArithmetic.Div(lnY10.Lookup(cosmo, ShiftLookup.Corrected) * tensor(TomographicBins.LsstY10().GalaxiesPerArcmin2, dtype: ScalarType.Float64), 5.4));
        // The same double-precision computation on both sides; only the order of a few operations differs.
        Assert.True(((sim.Values["cl"][0] - expected[0]).abs() / expected[0].abs()).max().item<double>() < 1e-12);
        Assert.True(((sim.Values["shift"][0] - shift[0]).abs() / shift[0].abs()).max().item<double>() < 1e-12);
    }

    [Fact]
    public void TheShippedShiftGridIsTheReferenceTable()
    {
        var read = Ppl.Runtime.IO.NpyReader.Read(ReferenceData.ShiftTable);
        Assert.True(read.Succeeded, read.ToString());
        var (values, shape) = LognormalShiftTable.LsstY10Grid();
        Assert.Equal(read.Value.Shape, shape);
        Assert.Equal(read.Value.ToDoubleArray(), values); // exact: both are the file's doubles, no arithmetic
    }

    [Fact]
    public void BadArgumentsAreLocatedErrors()
    {
        var path = Path.Combine(Baseline.GoldenDirectory, "good", "CosmologyBuiltins.ppl");
        var c = Driver.CompileFile(path);
        var binding = Model.Bind(c.Factory!(), new Dictionary<string, DataInput> { ["nbins"] = DataInput.Scalar(0L, "--set nbins=0") }, ModelOptions.Float64);
        Assert.False(binding.Succeeded);
        var error = binding.Errors.First(e => !e.IsWarning);
        Assert.Equal("PPL0406", error.Code);
        Assert.Contains("smail_bins: nbins must be at least 1", error.Message);
        Assert.Equal(13, error.Location.Line);

        var grid = new Dictionary<string, DataInput> { ["grid"] = new(zeros(new long[] { 8, 8, 8, 5, 5 }, ScalarType.Float64), "test") };
        binding = Model.Bind(c.Factory!(), grid, ModelOptions.Float64);
        Assert.False(binding.Succeeded);
        Assert.Contains("shift_table", binding.Errors.First(e => !e.IsWarning).Message);
    }

    /// <summary>jax-cosmo's interp, transcribed: argmin of (x − xp)² (first on ties), clipped to 1 … n−2, neighbour by the
    /// sign of clip(x, xp[1], xp[n−2]) − xp[i] (+1 for zero), value a·x + b on the line through the two knots.</summary>
    private static double JaxInterp(double x, double[] xp, double[] fp)
    {
        int nearest = 0;
        for (int i = 1; i < xp.Length; i++)
            if ((x - xp[i]) * (x - xp[i]) < (x - xp[nearest]) * (x - xp[nearest])) nearest = i;
        nearest = Math.Clamp(nearest, 1, xp.Length - 2);
        double clipped = Math.Min(Math.Max(x, xp[1]), xp[^2]);
        int other = nearest + (clipped - xp[nearest] < 0 ? -1 : 1);
        double a = (fp[other] - fp[nearest]) / (xp[other] - xp[nearest]);
        return a * x + fp[nearest] - a * xp[nearest];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InterpUnsortedIsJaxCosmosInterp(bool batchedX)
    {
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(4);
        // The frequency table of the lensing model (ties between its two halves), and shuffled random knots.
        var table = Enumerable.Range(0, 32).Select(i => 2 * Math.PI * Math.Abs(i < 16 ? i : i - 32) / 0.1).ToArray();
        var random = (TensorArithmetic.Mul(rand(new long[] { 17 }, ScalarType.Float64, generator: gen), 40)).data<double>().ToArray();
        foreach (var xp in new[] { table, random })
        {
            var fp = randn(new long[] { 3, xp.Length }, ScalarType.Float64, generator: gen);
            // x over and beyond the knots' range, and exactly on knots.
            var x = (TensorArithmetic.Sub(TensorArithmetic.Mul(TensorArithmetic.Mul(rand(new long[] { 2, 50 }, ScalarType.Float64, generator: gen), 1.3), xp.Max()), 0.1 * xp.Max()));
            x[.., ..5] = tensor(xp.Take(5).ToArray(), dtype: ScalarType.Float64);
            var result = batchedX
                ? Lib.InterpUnsorted(new Ev(x, true), new Ev(tensor(xp, dtype: ScalarType.Float64), false), new Ev(fp, false))  // [2, 3, 50]
                : Lib.InterpUnsorted(new Ev(x, false), new Ev(tensor(xp, dtype: ScalarType.Float64), false), new Ev(fp.unsqueeze(0).expand(4, -1, -1), true)); // [4, 3, 2, 50]
            var f = fp.data<double>().ToArray();
            var xs = x.data<double>().ToArray();
            for (int row = 0; row < 3; row++)
            {
                var values = f.Skip(row * xp.Length).Take(xp.Length).ToArray();
                for (int k = 0; k < xs.Length; k++)
                {
                    double expected = JaxInterp(xs[k], xp, values);
                    double actual = batchedX ? result[k / 50, row, k % 50].item<double>() : result[3, row, k / 50, k % 50].item<double>();
                    // Two algebraically equal forms of the line (a·x + b here, f_i + a·(x − x_i) there): round-off only.
                    Assert.True(Math.Abs(actual - expected) <= 1e-9 * (1 + Math.Abs(expected)), $"x = {xs[k]}: {actual} vs jax-cosmo {expected}");
                }
            }
        }
    }
}
