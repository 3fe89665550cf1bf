using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Examples.Tests;

/// <summary>The log-density gradient of every explicit example equals central finite differences (float64).</summary>
public class ExampleGradientTests
{
    public static IEnumerable<object[]> Explicit() => new[]
    {
        new object[] { "gaussian_linear" }, new object[] { "eight_schools" }, new object[] { "lotka_volterra" },
        new object[] { "gaussian_random_field" }, new object[] { "lognormal_lensing" }, new object[] { "lognormal_lensing_cl" },
        new object[] { "cluster_counts" }, new object[] { "photoz_outliers" }, new object[] { "supernova_hubble" },
        new object[] { "garch" }, new object[] { "stochastic_volatility" },
        // lensing_map_spectra has neither params nor latents: there is nothing to differentiate.
    };

    /// <summary>Models whose priors lie far from the unconstrained origin (a cosmology at Ω_c = e^u ≈ 1 has Ω_m &gt; 1):
    /// their test points are prior draws, mapped to the unconstrained space.</summary>
    private static readonly HashSet<string> PriorPoints = new() { "lognormal_lensing", "lognormal_lensing_cl" };

    [Theory]
    [MemberData(nameof(Explicit))]
    public void GradientMatchesCentralDifferences(string name)
    {
        var extra = name == "gaussian_random_field" ? new Dictionary<string, DataInput> { ["N"] = ExampleModels.Int(6) } : null;
        var model = ExampleModels.BindWithSimulatedObservations(name, ModelOptions.Float64, seed: 3, extra);
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(17);
        // Three random points in the unconstrained space (moderate scale keeps the ODE and the positive supports tame).
        var u = PriorPoints.Contains(name)
            ? model.Unconstrain(model.Simulate(new SimulationRequest(3, 5)).Values.Where(kv => model.Sites.Any(s => s.Name == kv.Key && s.InUnconstrainedVector))
                .ToDictionary(kv => kv.Key, kv => kv.Value))
            : TensorArithmetic.Mul(randn(new long[] { 3, model.Dimension }, ScalarType.Float64, generator: gen), 0.5);
        var (lp, grad) = model.LogDensityAndGradient(u);
        Assert.True(lp.isfinite().all().item<bool>(), "log density not finite at the test points");

        // Central differences for every coordinate of every point, evaluated as one batch.
        const double h = 1e-6;
        int d = model.Dimension;
        var eye = TensorArithmetic.Mul(TorchSharp.torch.eye(d, dtype: ScalarType.Float64), h);
        for (int p = 0; p < 3; p++)
        {
            var plus = TensorArithmetic.Add(u[p].unsqueeze(0), eye);
            var minus = u[p].unsqueeze(0) - eye;
            var fd = TensorArithmetic.Div((model.LogDensity(plus) - model.LogDensity(minus)), (2 * h));
            var diff = (fd - grad[p]).abs();
            var scale = grad[p].abs().clamp_min(ConstantScalars.Of(1.0));
            // Central differences in float64 with h = 1e-6 are accurate to ~1e-8 relative for smooth densities.
            double worst = (diff / scale).max().item<double>();
            Assert.True(worst < 1e-5, $"{name}: finite differences disagree with autograd by {worst:E2} (relative) at point {p}");
        }
    }
}
