using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Cosmology.Tests;

/// <summary>Closed-form limits that do not depend on any reference code (float64).</summary>
public class AnalyticLimitTests
{
    /// <summary>Einstein–de Sitter: Ω_m = 1, so Ω_de = 0 and the dark-energy parameters drop out.</summary>
    private static CosmologyParameters EinsteinDeSitter() =>
        CosmologyParameters.FromValues(new[] { new CosmologyValues(0.95, 0.05, 0.7, 0.96, 0.8, -1.0) }, ScalarType.Float64);

    private static readonly double[] ScaleFactors = { 0.05, 0.2, 0.5, 0.8, 1.0 };

    [Fact]
    public void EinsteinDeSitterGrowthIsTheScaleFactor()
    {
        // D = a solves the growth ODE exactly and RK4 integrates a linear-in-a solution without truncation error,
        // so D(a) = a and f = 1 hold to round-off (1e-12), at the nodes and (D linear) between them.
        using var scope = NewDisposeScope();
        var c = EinsteinDeSitter();
        var a = tensor(ScaleFactors, dtype: ScalarType.Float64);
        var d = Growth.Factor(c, a).data<double>().ToArray();
        var f = Growth.Rate(c, a).data<double>().ToArray();
        for (int i = 0; i < ScaleFactors.Length; i++)
        {
            Assert.Equal(ScaleFactors[i], d[i], 12);
            Assert.Equal(1.0, f[i], 12);
        }
    }

    [Fact]
    public void EinsteinDeSitterDistanceIsTwoHubbleRadiiTimesOneMinusRootA()
    {
        // χ = 2 R_H (1 − √a). The table integrates R_H √a over ln a with Simpson per step (Δ ln a = 0.027, error ~1e-9
        // relative) and interpolates linearly in a between nodes (error ≤ Δa²/8 |χ''| ≈ 1e-4 relative at a = 0.05,
        // less above): 2e-4 relative bounds both.
        using var scope = NewDisposeScope();
        var c = EinsteinDeSitter();
        var a = tensor(ScaleFactors.Take(4).ToArray(), dtype: ScalarType.Float64);
        var chi = Background.RadialComovingDistance(c, a).data<double>().ToArray();
        for (int i = 0; i < chi.Length; i++)
            BackgroundAndPowerTests.AssertRelative(2 * CosmologyConstants.HubbleRadius * (1 - Math.Sqrt(ScaleFactors[i])), chi[i], 2e-4);
        // At the table's own nodes there is no interpolation error: Simpson alone, 1e-8.
        var nodes = tensor(Background.DistanceTableScaleFactors.Where((_, i) => i % 51 == 0 && i < 255).ToArray(), dtype: ScalarType.Float64);
        var atNodes = Background.RadialComovingDistance(c, nodes).data<double>().ToArray();
        var nodeValues = nodes.data<double>().ToArray();
        for (int i = 0; i < atNodes.Length; i++)
            BackgroundAndPowerTests.AssertRelative(2 * CosmologyConstants.HubbleRadius * (1 - Math.Sqrt(nodeValues[i])), atNodes[i], 1e-8);
    }

    [Fact]
    public void ConstantEquationOfStateDarkEnergyScalesAsAPower()
    {
        // w_a = 0: ρ_de ∝ a^{−3(1 + w0)}, so E² = Ω_m a⁻³ + (1 − Ω_m) a^{−3(1 + w0)} exactly; and w(a) = w0 + w_a (1 − a).
        using var scope = NewDisposeScope();
        var v = new CosmologyValues(0.25, 0.05, 0.7, 0.96, 0.8, -0.8);
        var c = CosmologyParameters.FromValues(new[] { v, v with { WA = 0.3 } }, ScalarType.Float64);
        var a = tensor(new[] { 0.3, 0.6, 1.0 }, dtype: ScalarType.Float64);
        var e2 = Background.ESquared(c, a)[0].data<double>().ToArray();
        var w = Background.W(c, a)[1].data<double>().ToArray();
        var omegas = TensorArithmetic.Add(Background.OmegaMatterAt(c, a), Background.OmegaDarkEnergyAt(c, a));
        for (int i = 0; i < 3; i++)
        {
            double x = new[] { 0.3, 0.6, 1.0 }[i];
            Assert.Equal(0.3 * Math.Pow(x, -3) + 0.7 * Math.Pow(x, -3 * (1 - 0.8)), e2[i], 12);
            Assert.Equal(-0.8 + 0.3 * (1 - x), w[i], 14);
        }
        Assert.True((TensorArithmetic.Sub(omegas, 1.0)).abs().max().item<double>() < 1e-14);  // flat, no radiation
        Assert.Equal(1.0, Background.E(c, tensor(new[] { 1.0 }, dtype: ScalarType.Float64))[1, 0].item<double>(), 14);
    }

    [Fact]
    public void Planck15DefaultsFillUnspecifiedParameters()
    {
        using var scope = NewDisposeScope();
        var omegaC = tensor(new[] { 0.2, 0.3, 0.4 }, dtype: ScalarType.Float64);
        var c = CosmologyParameters.Planck15(omegaC: omegaC);
        Assert.Equal(3, c.BatchSize);
        Assert.Equal(ScalarType.Float64, c.DType);
        // Exact by construction: defaults are stored constants broadcast to the batch, no arithmetic.
        Assert.All(c.H.data<double>().ToArray(), h => Assert.Equal(0.6774, h));
        Assert.All(c.OmegaB.data<double>().ToArray(), b => Assert.Equal(0.0486, b));
        Assert.All(c.WA.data<double>().ToArray(), wa => Assert.Equal(0.0, wa));
        Assert.Equal(new[] { 0.2486, 0.3486, 0.4486 }, c.OmegaM.data<double>().ToArray().Select(x => Math.Round(x, 12)));
        Assert.Throws<ArgumentException>(() => new CosmologyParameters(omegaC, omegaC, omegaC, omegaC, omegaC, omegaC.narrow(0, 0, 2)));
        Assert.Throws<ArgumentException>(() => new CosmologyParameters(omegaC, omegaC, omegaC, omegaC, omegaC, omegaC.to(ScalarType.Float32)));
    }
}
