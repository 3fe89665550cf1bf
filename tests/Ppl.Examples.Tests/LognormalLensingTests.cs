using System.Globalization;
using System.Text.Json;
using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using Ppl.Tests.Shared;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Examples.Tests;

/// <summary>
/// examples/lognormal_lensing.ppl against the published simulator (sbi_lens): `ppl simulate` with the reference θ and latent
/// z reproduces its κ; the full log density's gradient in θ matches finite differences; `ppl check` reports every capability.
/// </summary>
public class LognormalLensingTests(ITestOutputHelper output)
{
    private static readonly string[] Theta = { "omega_c", "omega_b", "sigma_8", "h_0", "n_s", "w_0" };

    private static string Output(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Runs `ppl simulate` on the reference's θ and z (N = 64 over 5°) and returns the output arrays.</summary>
    private static (IReadOnlyDictionary<string, Tensor> Simulated, Tensor ReferenceKappa) SimulateReference(params string[] extra)
    {
        var npzPath = ReferenceData.PathOf("lensing", "lognormal_64px_5deg_fiducial.npz");
        var read = NpzReader.ReadAll(npzPath);
        Assert.True(read.Succeeded, read.ToString());
        var npz = read.Value!;
        var theta = npz["theta"].ToDoubleArray(); // (Ω_c, Ω_b, σ_8, h, n_s, w_0), the example's param order
        var args = new List<string>
        {
            "simulate", ExampleModels.PathOf("lognormal_lensing"), "-n", "1", "--seed", "1",
            "--set", $"N={npz["N"].ToInt64Array()[0]}", "--set", $"side_deg={Text(npz["map_size"].ToDoubleArray()[0])}",
            "--set", $"z=@{npzPath}:z", "--record", "kappa,shift", "-o", Output("reference.npz"),
        };
        for (int i = 0; i < Theta.Length; i++) args.AddRange(new[] { "--set", $"{Theta[i]}={Text(theta[i])}" });
        args.AddRange(extra);
        var r = CliRunner.Run(args.ToArray());
        Assert.True(r.Exit == ExitCodes.Ok, r.Err);
        var simulated = NpzReader.ReadAllTensors(args[args.IndexOf("-o") + 1]);
        Assert.True(simulated.Succeeded, simulated.ToString());
        var kappa = npz["kappa"];
        return (simulated.Value!, tensor(kappa.ToDoubleArray(), dtype: ScalarType.Float64).reshape(kappa.Shape));
    }

    /// <summary>Per bin, max and mean |κ − κ_ref| in units of the reference's standard deviation in that bin.</summary>
    private static (double[] Max, double[] Mean) Differences(Tensor kappa, Tensor reference)
    {
        var std = reference.std(new long[] { 0, 1 }, unbiased: false);
        var difference = (kappa.to(ScalarType.Float64) - reference).abs();
        return ((difference.amax(new long[] { 0, 1 }) / std).data<double>().ToArray(), (difference.mean(new long[] { 0, 1 }) / std).data<double>().ToArray());
    }

    [Fact]
    public void SimulateReproducesTheReferenceKappa()
    {
        // Criteria of the issue: per bin, max |Δκ| ≤ 2% and mean |Δκ| ≤ 0.5% of the reference's σ_κ (float32). Measured:
        // max 0.011–0.049%, mean 0.001–0.007% (our C_ell agree with jax-cosmo to ~1e-5 and both are float32; the square
        // roots are computed on the quadrant of non-negative frequencies and mirrored).
        using var scope = NewDisposeScope();
        var (simulated, reference) = SimulateReference();
        var kappa = simulated["kappa"];
        Assert.Equal(new long[] { 1, 64, 64, 5 }, kappa.shape);
        Assert.Equal(ScalarType.Float32, kappa.dtype);
        var (max, mean) = Differences(kappa[0], reference);
        output.WriteLine($"max |Δκ|/σ per bin: {string.Join(", ", max.Select(v => v.ToString("P4", CultureInfo.InvariantCulture)))}");
        output.WriteLine($"mean |Δκ|/σ per bin: {string.Join(", ", mean.Select(v => v.ToString("P5", CultureInfo.InvariantCulture)))}");
        for (int b = 0; b < 5; b++)
        {
            Assert.True(max[b] <= 0.02, $"bin {b}: max |Δκ| is {max[b]:P3} of σ_κ");
            Assert.True(mean[b] <= 0.005, $"bin {b}: mean |Δκ| is {mean[b]:P4} of σ_κ");
        }

        // The recorded shifts are sbi_lens's fiducial ones (float32 both sides: 1e-5 relative).
        using var json = JsonDocument.Parse(File.ReadAllText(ReferenceData.PathOf("cosmology", "jax_cosmo_lsst_y10.json")));
        var shifts = json.RootElement.GetProperty("shift_fiducial_as_sbi_lens").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var ours = simulated["shift"][0].to(ScalarType.Float64).data<double>().ToArray();
        for (int b = 0; b < 5; b++) Assert.True(Math.Abs(ours[b] / shifts[b] - 1) < 1e-5, $"shift {b}: {ours[b]} vs {shifts[b]}");
    }

    [Fact]
    public void TheReferenceQuirksMatterAndCanBeSwitchedOff()
    {
        // Plain linear interpolation of the C_ell table, or the corrected shift lookup, move κ far outside the reference
        // tolerance: the reproduction above depends on both quirks (measured: max 3.9–10.5% and 28–258% of σ_κ).
        using var scope = NewDisposeScope();
        var (plain, reference) = SimulateReference("--set", "jax_interpolation=false");
        Assert.True(Differences(plain["kappa"][0], reference).Max.Max() > 0.02);
        var (corrected, _) = SimulateReference("--set", "corrected_shifts=true");
        Assert.True(Differences(corrected["kappa"][0], reference).Max.Max() > 0.2);
        // The corrected lookup's fiducial shifts are 18–34% lower (see src/Runtime/Cosmology/README.md).
        var ratio = (corrected["shift"][0] / plain["shift"][0]).to(ScalarType.Float64).data<double>();
        Assert.All(ratio, r => Assert.InRange(r, 0.6, 0.85));
    }

    [Fact]
    public void LogDensityGradientInThetaMatchesFiniteDifferencesAtN32()
    {
        // Float64 at N = 32 (5 × 32 × 32 latents). Two points: the truth of a simulated observation (fiducial θ and its z),
        // and θ moved away from it with the same z. Central differences with h = 1e-6 in the unconstrained θ: round-off
        // |log p| · 1e-16 / h ≈ 1e-5 absolute (|log p| ~ 10⁴) and truncation h² f‴/6 ≈ 5e-5 where the density is narrowest
        // (Ω_b); checked at 1e-4 absolute + 1e-5 relative (measured: at most 2.2e-5 absolute, 1.6e-6 relative), against
        // derivatives of 0.4–600. A wrong term would be off at order one; halofit's node switches
        // (tests/Ppl.Cosmology.Tests/GradientTests.cs) stay outside these stencils.
        var fiducial = new Dictionary<string, double>
        {
            ["omega_c"] = 0.2664, ["omega_b"] = 0.0492, ["sigma_8"] = 0.831, ["h_0"] = 0.6727, ["n_s"] = 0.9645, ["w_0"] = -1.0,
        };
        var sizes = new Dictionary<string, DataInput> { ["N"] = ExampleModels.Int(32) };
        var prior = ExampleModels.Bind("lognormal_lensing", ModelOptions.Float64, ExampleModels.Data("lognormal_lensing", sizes));
        using var scope = NewDisposeScope();
        var sim = prior.Simulate(new SimulationRequest(1, 12)
        {
            Conditioning = fiducial.ToDictionary(kv => kv.Key, kv => DataInput.Scalar(kv.Value, "test")),
        });
        var data = ExampleModels.Data("lognormal_lensing", sizes);
        data["y"] = new DataInput(sim.Values["y"][0], "simulated");
        var model = ExampleModels.Bind("lognormal_lensing", ModelOptions.Float64, data);

        var moved = new Dictionary<string, Tensor>(sim.Values.Where(kv => kv.Key != "y"));
        moved["sigma_8"] = tensor(new[] { 0.79 }, dtype: ScalarType.Float64);
        moved["omega_c"] = tensor(new[] { 0.29 }, dtype: ScalarType.Float64);
        moved["w_0"] = tensor(new[] { -0.85 }, dtype: ScalarType.Float64);
        var atTruth = model.Unconstrain(sim.Values.Where(kv => kv.Key != "y").ToDictionary(kv => kv.Key, kv => kv.Value));
        var away = model.Unconstrain(moved);
        var u = cat(new[] { atTruth, away }, 0);
        var (lp, grad) = model.LogDensityAndGradient(u);
        Assert.True(lp.isfinite().all().item<bool>() && grad.isfinite().all().item<bool>(), "log density or gradient not finite");

        const double h = 1e-6;
        int dTheta = model.ParamDimension;
        Assert.Equal(6, dTheta);
        for (int p = 0; p < 2; p++)
        {
            var steps = TensorArithmetic.Mul(eye(dTheta, model.Dimension, dtype: ScalarType.Float64), h);
            var fd = (TensorArithmetic.Div((model.LogDensity(TensorArithmetic.Add(u[p], steps)) - model.LogDensity(u[p] - steps)), (2 * h))).data<double>().ToArray();
            var g = grad[p, ..dTheta].data<double>().ToArray();
            for (int j = 0; j < dTheta; j++)
            {
                double error = Math.Abs(fd[j] - g[j]);
                output.WriteLine($"point {p} d/d{Theta[j]}: autograd {g[j]:G10}, finite difference {fd[j]:G10}, |Δ| {error:E1}");
                Assert.True(error < 1e-4 + 1e-5 * Math.Abs(fd[j]), $"point {p}, d/d{Theta[j]}: autograd {g[j]:G10} vs finite difference {fd[j]:G10}");
            }
        }
    }

    [Fact]
    public void FourierLatentIsTheSameModelInAnOrthonormalBasis()
    {
        // fourier_latent = true reads the latent z as the Hartley transform H of the white field. H is orthonormal and its
        // own inverse, so the density at (θ, H(z)) with the option equals the density at (θ, z) without it: the prior
        // |z|² is unchanged and the white field — hence κ and the likelihood — is z again. Float64 at N = 16, two points
        // (the truth of a simulated observation and θ moved away); equal to round-off (checked at 1e-9 relative).
        var sizes = new Dictionary<string, DataInput> { ["N"] = ExampleModels.Int(16) };
        var prior = ExampleModels.Bind("lognormal_lensing", ModelOptions.Float64, ExampleModels.Data("lognormal_lensing", sizes));
        using var scope = NewDisposeScope();
        var sim = prior.Simulate(new SimulationRequest(2, 5));
        var data = ExampleModels.Data("lognormal_lensing", sizes);
        data["y"] = new DataInput(sim.Values["y"][0], "simulated");
        var plain = ExampleModels.Bind("lognormal_lensing", ModelOptions.Float64, data);
        var fourierData = new Dictionary<string, DataInput>(data) { ["fourier_latent"] = new DataInput(tensor(true), "test") };
        var fourier = ExampleModels.Bind("lognormal_lensing", ModelOptions.Float64, fourierData);

        var z = sim.Values["z"];
        var spectrum = fft.fft2(z);
        var hartley = TensorArithmetic.Div(TensorArithmetic.Sub(spectrum.real, spectrum.imag), 16.0);
        var back = fft.fft2(hartley);
        Assert.True(TensorArithmetic.Sub(TensorArithmetic.Div(TensorArithmetic.Sub(back.real, back.imag), 16.0), z).abs().max().item<double>() < 1e-12, "H(H(z)) ≠ z");

        var sites = sim.Values.Where(kv => kv.Key != "y").ToDictionary(kv => kv.Key, kv => kv.Value);
        var lpPlain = plain.LogDensity(plain.Unconstrain(sites));
        sites["z"] = hartley;
        var lpFourier = fourier.LogDensity(fourier.Unconstrain(sites));
        for (int i = 0; i < 2; i++)
        {
            double a = lpPlain[i].item<double>(), b = lpFourier[i].item<double>();
            output.WriteLine($"point {i}: plain {a:G15}, fourier {b:G15}");
            Assert.True(Math.Abs(a - b) <= 1e-9 * Math.Abs(a), $"point {i}: {a} vs {b}");
        }
    }

    [Theory]
    [InlineData("lognormal_lensing")]
    [InlineData("lognormal_lensing_cl")]
    public void CheckReportsEveryCapability(string name)
    {
        // With the defaults (N = 256): compiled, bound, and both inference modes available with the simulator's score.
        var r = CliRunner.Run("check", ExampleModels.PathOf(name));
        Assert.True(r.Exit == ExitCodes.Ok, r.Err);
        Assert.Contains("explicit: yes", r.Out);
        Assert.Contains("implicit: yes (score: yes", r.Out);
        Assert.Contains("bound:", r.Out);
    }
}
