using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Cosmology.Tests;

/// <summary>
/// The Limber sum rebuilt from the public pieces (distance, dχ/da, lensing efficiency, halofit with Eisenstein–Hu
/// evaluated at every k) on the same Simpson grid must equal <see cref="Limber.AngularCl"/>, which uses precomputed
/// grids and a tabulated ln Δ²_lin. The table's interpolation error bounds the difference: measured below 1e-5
/// relative, asserted at 2e-5 (float64).
/// </summary>
public class LimberAssemblyTests
{
    [Fact]
    public void AngularClEqualsTheLimberSumOfItsParts()
    {
        using var scope = NewDisposeScope();
        var tracer = WeakLensingTracer.LsstY10();
        var c = CosmologyParameters.FromValues(new[] { ReferenceCosmologies.Fiducial }, ScalarType.Float64);
        var ells = new[] { 100.0, 3000.0 };
        var cl = Limber.AngularCl(c, tracer, tensor(ells, dtype: ScalarType.Float64));

        var rule = QuadratureRule.Simpson(1.0 / 11.0, 1.0, 512);
        var a = tensor(rule.Nodes, dtype: ScalarType.Float64);
        var z = tensor(rule.Nodes.Select(x => 1.0 / x - 1.0).ToArray(), dtype: ScalarType.Float64);
        var chi = Background.RadialComovingDistance(c, a)[0];
        var q = tracer.Efficiency(c, z)[0];                                                   // [5, na]
        var measure = tensor(rule.Weights, dtype: ScalarType.Float64) * Background.DChiDa(c, a)[0] / TensorArithmetic.Square(chi).clamp_min(ConstantScalars.Of(1.0));
        const double c2 = CosmologyConstants.SpeedOfLight * CosmologyConstants.SpeedOfLight;
        for (int l = 0; l < ells.Length; l++)
        {
            var k = TensorArithmetic.Div((ells[l] + 0.5), chi.clamp_min(ConstantScalars.Of(1.0)));
            var pk = PowerSpectrum.Halofit(c, k, a)[0];
            for (int p = 0; p < tracer.Pairs.Count; p++)
            {
                var (i, j) = tracer.Pairs[p];
                double expected = (pk * q[i] * q[j] * measure).sum().item<double>() * Limber.EllFactorSquared(ells[l]) / c2;
                BackgroundAndPowerTests.AssertRelative(expected, cl[0, p, l].item<double>(), 2e-5);
            }
        }
    }

    [Fact]
    public void EfficiencyVanishesAtTheEndsAndIsPositiveBetween()
    {
        using var scope = NewDisposeScope();
        var tracer = WeakLensingTracer.LsstY10();
        var c = CosmologyParameters.FromValues(new[] { ReferenceCosmologies.Fiducial }, ScalarType.Float64);
        var q = tracer.Efficiency(c, tensor(new[] { 0.0, 0.3, 1.0, 3.0, 10.0 }, dtype: ScalarType.Float64))[0];
        Assert.Equal(new long[] { 5, 5 }, q.shape);
        // Exact by construction: the efficiency is a product with χ(0) = 0 (the distance table's first node) ...
        Assert.True(q.select(1, 0).abs().max().item<double>() == 0.0);
        // ... and beyond z_max the integral over sources is empty (all weights zero).
        Assert.True(q.select(1, 4).abs().max().item<double>() == 0.0);
        // At z = 3 only the two highest bins have sources behind: the lower bins' erf windows cancel to exactly zero in float64.
        Assert.True(q.narrow(1, 1, 2).min().item<double>() > 0.0);
        Assert.True(q.select(1, 3).narrow(0, 3, 2).min().item<double>() > 0.0);
        // Higher bins have more lensing material in front of them: at z = 0.3, q rises with the bin index.
        var atLowZ = q.select(1, 1).data<double>().ToArray();
        for (int i = 1; i < 5; i++) Assert.True(atLowZ[i] > atLowZ[i - 1]);
    }
}
