using System.Text.Json;
using Ppl.Runtime.Cosmology;
using Ppl.Runtime.Language;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using Ppl.Tests.Shared;
using static TorchSharp.torch;

namespace Ppl.Compiler.Tests;

/// <summary>
/// The background builtins (`hubble_e`, `hubble`, `comoving_distance`, `angular_diameter_distance`, `luminosity_distance`,
/// `distance_modulus`, `growth_factor`): against jax-cosmo's distances and growth (tests/data/cosmology/jax_cosmo_lsst_y10.json,
/// the fiducial cosmology at a = 1, 0.5, 0.25, i.e. z = 0, 1, 3), and golden/good/CosmologyBackground.ppl run as a model:
/// batch invariance, log-density gradient against finite differences, agreement with the library, located errors for z ≤ −1.
/// </summary>
public class CosmologyBackgroundExecutionTests
{
    // The fiducial cosmology of the reference file (Ω_c, Ω_b, h, n_s, σ_8, w_0), w_a = 0.
    private static readonly double[] Fiducial = { 0.2664, 0.0492, 0.6727, 0.9645, 0.831, -1.0 };

    private static (double[] A, double[] Chi, double[] Growth) Reference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("cosmology", "jax_cosmo_lsst_y10.json")));
        double[] Vector(string name) => doc.RootElement.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToArray();
        return (Vector("a"), Vector("radial_comoving_distance_Mpc_over_h"), Vector("growth_factor"));
    }

    private static CosmologyObject FiducialCosmology(ScalarType dtype, long batch)
    {
        Ev P(double v) => batch == 0 ? new Ev(tensor(v, dtype), false) : new Ev(tensor(Enumerable.Repeat(v, (int)batch).ToArray(), dtype: dtype), true);
        return Lib.Wcdm(P(Fiducial[0]), P(Fiducial[1]), P(Fiducial[2]), P(Fiducial[3]), P(Fiducial[4]), P(Fiducial[5]), null);
    }

    private static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();

    public static TheoryData<ScalarType> Types => new() { ScalarType.Float32, ScalarType.Float64 };

    [Theory]
    [MemberData(nameof(Types))]
    public void DistancesAndGrowthMatchJaxCosmo(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var (a, chiOverH, growth) = Reference();
        var z = new Ev(tensor(a.Select(x => 1 / x - 1).ToArray(), dtype: dtype), false); // 0, 1, 3: exact in float32
        var cosmo = FiducialCosmology(dtype, 0);
        double h = Fiducial[2];
        var chi = Lib.ComovingDistance(cosmo, z);
        Assert.Equal(dtype, chi.dtype);
        Assert.Equal(new long[] { 3 }, chi.shape);
        var chiMpc = Values(chi);
        var dA = Values(Lib.AngularDiameterDistance(cosmo, z));
        var dL = Values(Lib.LuminosityDistance(cosmo, z));
        var mu = Values(Lib.DistanceModulus(cosmo, z));
        var d = Values(Lib.GrowthFactor(cosmo, z));
        // The library follows jax-cosmo's tables and quadratures exactly: float32 round-off (measured: at most 9.6e-7
        // relative in float32 and 8.3e-7 in float64, both χ at z = 1, where the reference's own float32 round-off dominates;
        // μ within 3.1e-6 mag).
        const double tolerance = 1e-5;
        Assert.True(Math.Abs(chiMpc[0]) < 1e-3, $"χ(0) = {chiMpc[0]} Mpc");
        for (int i = 1; i < a.Length; i++)
        {
            double expectedChi = chiOverH[i] / h;                                 // Mpc/h → Mpc
            AssertRelative(expectedChi, chiMpc[i], tolerance, $"χ at a = {a[i]}");
            AssertRelative(a[i] * expectedChi, dA[i], tolerance, $"d_A at a = {a[i]}");
            AssertRelative(expectedChi / a[i], dL[i], tolerance, $"d_L at a = {a[i]}");
            // μ = 5 log10(d_L / 10 pc); an absolute tolerance of 5·log10(1 + 1e-5)/… ≈ 2e-5 mag follows from the relative one.
            double expectedMu = 5 * Math.Log10(expectedChi / a[i] * 1e6 / 10);
            Assert.True(Math.Abs(expectedMu - mu[i]) < 5 * tolerance, $"μ at a = {a[i]}: {mu[i]} vs {expectedMu}");
        }
        for (int i = 0; i < a.Length; i++) AssertRelative(growth[i], d[i], tolerance, $"D at a = {a[i]}");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void HubbleIsTheClosedForm(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var zs = new[] { 0.0, 0.3, 1.0, 2.5, 10.0 };
        var cosmo = Lib.Wcdm(new Ev(tensor(0.25, dtype), false), new Ev(tensor(0.05, dtype), false), new Ev(tensor(0.7, dtype), false),
            new Ev(tensor(0.96, dtype), false), new Ev(tensor(0.8, dtype), false), new Ev(tensor(-0.9, dtype), false), new Ev(tensor(0.2, dtype), false));
        var e = Values(Lib.HubbleE(cosmo, new Ev(tensor(zs, dtype: dtype), false)));
        var hz = Values(Lib.Hubble(cosmo, new Ev(tensor(zs, dtype: dtype), false)));
        for (int i = 0; i < zs.Length; i++)
        {
            // E² = Ω_m (1+z)³ + Ω_de a^{−3(1 + w0 + wa)} e^{−3 wa (1 − a)} with a = 1/(1 + z), w(a) = w0 + wa (1 − a).
            double a = 1 / (1 + zs[i]);
            double expected = Math.Sqrt(0.3 * Math.Pow(1 + zs[i], 3) + 0.7 * Math.Pow(a, -3 * (1 - 0.9 + 0.2)) * Math.Exp(-3 * 0.2 * (1 - a)));
            double tolerance = dtype == ScalarType.Float32 ? 1e-6 : 1e-12;
            AssertRelative(expected, e[i], tolerance, $"E({zs[i]})");
            AssertRelative(70 * expected, hz[i], tolerance, $"H({zs[i]})");
        }
    }

    [Fact]
    public void ShapesFollowZAndTheBatch()
    {
        using var scope = NewDisposeScope();
        var batched = FiducialCosmology(ScalarType.Float64, 3);
        var single = FiducialCosmology(ScalarType.Float64, 0);
        var grid = new Ev(tensor(new[] { 0.1, 0.2, 0.5, 1.0, 2.0, 3.0 }, dtype: ScalarType.Float64).reshape(2, 3), false);
        Assert.Equal(new long[] { 3, 2, 3 }, Lib.ComovingDistance(batched, grid).shape);
        Assert.Equal(new long[] { 2, 3 }, Lib.ComovingDistance(single, grid).shape);
        Assert.Equal(Array.Empty<long>(), Lib.GrowthFactor(single, new Ev(tensor(0.5, ScalarType.Float64), false)).shape);
        var zBatched = new Ev(tensor(new[] { 0.5, 1.0, 2.0, 3.0 }, dtype: ScalarType.Float64).reshape(4, 1), true);
        var perRow = Lib.LuminosityDistance(single, zBatched);
        Assert.Equal(new long[] { 4, 1 }, perRow.shape);
        // Each row of a batched z is read by the one cosmology: the same as evaluating the redshifts together unbatched.
        var together = Lib.LuminosityDistance(single, new Ev(tensor(new[] { 0.5, 1.0, 2.0, 3.0 }, dtype: ScalarType.Float64), false));
        Assert.True((perRow.reshape(4) - together).abs().max().item<double>() < 1e-9);
        Assert.Equal(new long[] { 0 }, Lib.HubbleE(single, new Ev(zeros(0, ScalarType.Float64), false)).shape);
    }

    private static Model Bind(ModelOptions options, Dictionary<string, DataInput>? data = null) => GoldenModel.Bind("CosmologyBackground.ppl", options, data);

    [Fact]
    public void BatchedRunEqualsSingleRuns()
    {
        var model = Bind(ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var batch = model.Simulate(new SimulationRequest(5, 9) { ChunkSize = 5 });
        for (long i = 0; i < 5; i++)
        {
            var one = model.Simulate(new SimulationRequest(1, 9) { FirstIndex = i, ChunkSize = 1 });
            foreach (var (name, value) in one.Values)
            {
                double diff = ((batch.Values[name][i] - value[0]).abs().max() / value[0].abs().max().clamp_min(ConstantScalars.Of(1e-300))).item<double>();
                Assert.True(diff < 1e-12, $"'{name}' of simulation {i} differs between a batch of 5 and a batch of 1 by {diff:E2} (relative)");
            }
        }
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (model, u) = GoldenModel.AtSimulatedPoint("CosmologyBackground.ppl", 3, 4);
        var (lp, grad) = model.LogDensityAndGradient(u);
        Assert.True(lp.isfinite().all().item<bool>());
        // Float64, h = 1e-6: truncation ~h² and round-off ~1e-16·|log p|/h against derivatives of 10–10⁵ (narrow
        // observation noise); the tables' interpolation segments (fixed nodes in a) do not move under θ, and z_host moves
        // by 1e-6 only, far from its segment's ends at these points (a kink would show as a relative error near 1).
        const double h = 1e-6;
        var eye = TensorArithmetic.Mul(TorchSharp.torch.eye(model.Dimension, dtype: ScalarType.Float64), h);
        for (int p = 0; p < 3; p++)
        {
            var fd = TensorArithmetic.Div(model.LogDensity(TensorArithmetic.Add(u[p], eye)) - model.LogDensity(u[p] - eye), 2 * h);
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
            ["omega_c"] = DataInput.Scalar(0.3, "test"), ["h"] = DataInput.Scalar(0.68, "test"), ["w_0"] = DataInput.Scalar(-0.8, "test"),
            ["z_host"] = DataInput.Scalar(0.7, "test"),
        };
        var sim = model.Simulate(new SimulationRequest(1, 3) { Conditioning = theta });
        var c = CosmologyParameters.FromValues(new[] { new CosmologyValues(0.3, 0.049, 0.68, 0.96, 0.81, -0.8, 0.1) }, ScalarType.Float64);
        var z = tensor(new[] { 0.1, 0.5, 1.0, 3.0 }, dtype: ScalarType.Float64);
        var a = TensorArithmetic.Div(1.0, TensorArithmetic.Add(z, 1.0));
        var chi = TensorArithmetic.Div(Background.RadialComovingDistance(c, a)[0], 0.68);
        var growth = Growth.Factor(c, a)[0];
        Assert.True(((sim.Values["chi"][0] - chi).abs() / chi).max().item<double>() < 1e-12);
        var dl = Background.RadialComovingDistance(c, tensor(new[] { 1 / 1.7 }, dtype: ScalarType.Float64))[0, 0].item<double>() * 1.7 / 0.68;
        AssertRelative(dl, sim.Values["d_l"][0].item<double>(), 1e-12, "d_L(z_host)");
        var fiducialGrowth = Growth.Factor(CosmologyParameters.FromValues(new[] { new CosmologyValues(0.2664, 0.0492, 0.6727, 0.9645, 0.831, -1.0) }, ScalarType.Float64),
            tensor(new[] { 0.5 }, dtype: ScalarType.Float64))[0, 0];
        Assert.True(((sim.Values["d"][0] - growth * fiducialGrowth).abs() / growth).max().item<double>() < 1e-12);
    }

    [Fact]
    public void RedshiftsAtOrBelowMinusOneAreLocatedErrors()
    {
        var c = Driver.CompileFile(Path.Combine(Baseline.GoldenDirectory, "good", "CosmologyBackground.ppl"));
        var data = new Dictionary<string, DataInput> { ["z"] = new(tensor(new[] { 0.1, -1.0, 1.0, 3.0 }, dtype: ScalarType.Float64), "--set z") };
        // hubble_e(fiducial, z) is data only: it is computed when the data are bound, and fails there.
        var binding = Model.Bind(c.Factory!(), data, ModelOptions.Float64);
        Assert.False(binding.Succeeded);
        var error = binding.Errors.First(e => !e.IsWarning);
        Assert.Equal("PPL0406", error.Code);
        Assert.Contains("hubble_e: every redshift z must be greater than -1", error.Message);
        Assert.Equal(15, error.Location.Line);
        // At run time (a cosmology of params) the same check is a domain failure of the statement (PPL0490).
        var cosmo = FiducialCosmology(ScalarType.Float64, 2);
        var failure = Assert.Throws<ModelDomainException>(() => Lib.DistanceModulus(cosmo, new Ev(tensor(new[] { 0.5, double.NaN }, dtype: ScalarType.Float64), false)));
        Assert.Contains("distance_modulus", failure.Message);
    }

    [Theory]
    [InlineData("let d = comoving_distance(1.0, z)", "PPL0202", "a cosmology is needed")]
    [InlineData("let d = luminosity_distance(cosmo, complex(z, z))", "PPL0201", "z must be a real scalar or array")]
    public void BadArgumentsAreLocatedCompileErrors(string line, string code, string message)
    {
        var source = "model M\ndata z: real[3] = [0.1, 0.2, 0.3]\nparam om ~ Uniform(0.1, 0.5)\n" +
                     "let cosmo = wcdm(om, 0.05, 0.7, 0.96, 0.8, -1.0)\n" + line + "\nobserve y ~ Normal(sum(cosmo.h * z), 1.0)\n";
        var c = Driver.Compile("m.ppl", source, new CompilationOptions { Build = false });
        var error = Assert.Single(c.Diagnostics, d => d.Code == code);
        Assert.Contains(message, error.Message);
        Assert.Equal(5, error.Range.Start.Line);
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{what}: {actual} vs {expected} (relative {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
}
