using Ppl.Runtime.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Examples.Tests;

/// <summary>
/// The two-point chain end to end: maps simulated by lognormal_lensing.ppl, measured by lensing_map_spectra.ppl, average to
/// the expected spectra lognormal_lensing_cl.ppl puts in its likelihood — which checks the estimator's normalisation
/// (L²/N⁴), the band weights, the shape-noise term and the band averaging of C_ell against each other.
/// </summary>
public class TwoPointBaselineTests(ITestOutputHelper output)
{
    // Made per use: tensors in a static field would belong to whatever dispose scope first touched the class.
    private static Dictionary<string, DataInput> Fiducial() => new()
    {
        ["omega_c"] = DataInput.Scalar(0.2664, "test"), ["omega_b"] = DataInput.Scalar(0.0492, "test"), ["sigma_8"] = DataInput.Scalar(0.831, "test"),
        ["h_0"] = DataInput.Scalar(0.6727, "test"), ["n_s"] = DataInput.Scalar(0.9645, "test"), ["w_0"] = DataInput.Scalar(-1.0, "test"),
    };

    [Fact]
    public void MeasuredSpectraOfSimulatedMapsAverageToTheTwoPointExpectation()
    {
        // 100 noisy Y10-density maps at the fiducial θ, N = 32 over 5°, 4 bands. The full model reads C_ell by plain linear
        // interpolation here (jax_interpolation = false), as the two-point model does; the jax-cosmo reading differs by up
        // to ~10% at the lowest multipoles, which is a property of the reference simulator, not of the chain tested.
        // Each band-pair mean is compared with its standard error from the 100 maps (the log-normal maps are not Gaussian,
        // so the empirical spread is used): |z| < 5 for all 60 entries (a normalisation or pairing error gives |z| ≫ 5).
        const int m = 100;
        var sizes = new Dictionary<string, DataInput>
        {
            ["N"] = ExampleModels.Int(32), ["side_deg"] = DataInput.Scalar(5.0, "test"), ["nbands"] = ExampleModels.Int(4),
        };
        using var scope = NewDisposeScope();
        var mapsData = ExampleModels.Data("lognormal_lensing", new(sizes.Where(kv => kv.Key != "nbands")) { ["jax_interpolation"] = new(tensor(false), "test") });
        var maps = ExampleModels.Bind("lognormal_lensing", null, mapsData)
            .Simulate(new SimulationRequest(m, 21) { Conditioning = Fiducial(), RecordLets = new HashSet<string>() }).Values["y"];
        var measured = ExampleModels.Bind("lensing_map_spectra", null, ExampleModels.Data("lensing_map_spectra", sizes))
            .Simulate(new SimulationRequest(m, 1) { Conditioning = new Dictionary<string, DataInput> { ["maps"] = new(maps.to(ScalarType.Float64), "simulated") } })
            .Values["cl_hat"].to(ScalarType.Float64);                                                    // [m, 60]
        var expected = ExampleModels.Bind("lognormal_lensing_cl", null, ExampleModels.Data("lognormal_lensing_cl", sizes))
            .Simulate(new SimulationRequest(1, 1) { Conditioning = Fiducial() }).Values["cl"].to(ScalarType.Float64).reshape(-1);   // [60]
        Assert.Equal(new long[] { m, 60 }, measured.shape);

        var mean = measured.mean(new long[] { 0 });
        var standardError = TensorArithmetic.Div(measured.std(new long[] { 0 }), Math.Sqrt(m));
        var z = ((mean - expected) / standardError).reshape(4, 15);
        var ratio = (mean / expected).reshape(4, 15);
        for (int b = 0; b < 4; b++)
            output.WriteLine($"band {b}: measured / expected = {string.Join(" ", ratio[b].data<double>().Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        double worst = z.abs().max().item<double>();
        output.WriteLine($"largest |z| = {worst:F2}");
        Assert.True(worst < 5, $"a band power is {worst:F1} standard errors from the two-point model's expectation");
    }
}
