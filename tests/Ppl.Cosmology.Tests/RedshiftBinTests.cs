using Ppl.Runtime.Cosmology;

namespace Ppl.Cosmology.Tests;

/// <summary>
/// The LSST Y10 equal-count bins against sbi_lens/jax-cosmo (float32). The edges come from root finding on the same
/// Romberg integral and the counts from the same Simpson rule, so the differences are float32 round-off and the
/// reference's root tolerance (measured ≤ 1e-6 relative); the target is 0.1%.
/// </summary>
public class RedshiftBinTests
{
    private static readonly JaxCosmoReference Reference = JaxCosmoReference.Load();

    [Fact]
    public void EdgesAndGalaxyCountsMatchReference()
    {
        var bins = TomographicBins.LsstY10();
        Assert.Equal(5, bins.Count);
        // Exact by construction: the outer edges and each bin's limits are the same stored doubles.
        Assert.Equal(0.0, bins.Edges[0]);
        Assert.Equal(10.0, bins.Edges[5]);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(bins.Edges[i], bins[i].ZLow);
            Assert.Equal(bins.Edges[i + 1], bins[i].ZHigh);
            if (i == 0) Assert.Equal(Reference.BinEdges[i][0], bins[i].ZLow);
            else BackgroundAndPowerTests.AssertRelative(Reference.BinEdges[i][0], bins[i].ZLow, 1e-3);
            BackgroundAndPowerTests.AssertRelative(Reference.BinEdges[i][1], bins[i].ZHigh, 1e-3);
            BackgroundAndPowerTests.AssertRelative(Reference.GalaxiesPerArcmin2[i], bins[i].GalaxiesPerArcmin2, 1e-3);
        }
    }

    [Fact]
    public void DistributionsAreNormalised()
    {
        // Normalisation is by the same Simpson rule, so re-integrating with it gives 1 to round-off.
        var bins = TomographicBins.LsstY10();
        Assert.Equal(1.0, bins.Parent.Integrate(0.0, 10.0), 12);
        foreach (var bin in bins) Assert.Equal(1.0, bin.Integrate(0.0, 10.0), 12);
    }

    [Fact]
    public void BinDensityIsTheErfWindowedParent()
    {
        // Independent evaluation of ½ n(z)[erf((z_hi − z)/(√2 σ_z)) − erf((z_lo − z)/(√2 σ_z))], σ_z = 0.05(1 + z),
        // normalised by Simpson's rule (256 intervals) over [0, 10]; only round-off separates the two.
        var bins = TomographicBins.LsstY10();
        var bin = bins[2];
        double Window(double z)
        {
            double x = 1.0 / (Math.Sqrt(2.0) * 0.05 * (1.0 + z));
            return 0.5 * bins.Parent.Density(z) * (Erf((bin.ZHigh - z) * x) - Erf((bin.ZLow - z) * x));
        }
        double norm = 0.0;
        for (int i = 0; i <= 256; i++) norm += Window(10.0 * i / 256) * (10.0 / 256 / 3) * (i == 0 || i == 256 ? 1 : i % 2 == 1 ? 4 : 2);
        foreach (var z in new[] { 0.3, 0.9, 1.2, 2.5 }) Assert.Equal(Window(z) / norm, bin.Density(z), 10);
        Assert.True(bin.Density(0.85) > 10 * bin.Density(2.5));
    }

    [Fact]
    public void TracerNoiseLevels()
    {
        var tracer = WeakLensingTracer.LsstY10();
        Assert.Equal(15, tracer.Pairs.Count);
        Assert.Equal((0, 0), tracer.Pairs[0]);
        Assert.Equal((0, 4), tracer.Pairs[4]);
        Assert.Equal((1, 1), tracer.Pairs[5]);
        Assert.Equal((4, 4), tracer.Pairs[14]);
        // science.md: σ_i ≈ 0.048 for 2.34375′ pixels (A_pix ≈ 5.49 arcmin²), 5.4 galaxies/arcmin² per bin, σ_e = 0.26.
        double pixelArea = Math.Pow(10.0 * 60.0 / 256.0, 2);
        foreach (var sigma in tracer.PixelNoiseSigma(pixelArea)) Assert.Equal(0.26 / Math.Sqrt(5.4 * pixelArea), sigma, 4);
        var ngal = tracer.GalaxiesPerArcmin2;
        for (int i = 0; i < 5; i++)
            BackgroundAndPowerTests.AssertRelative(0.26 * 0.26 / (ngal[i] * CosmologyConstants.ArcminSquaredPerSteradian), tracer.NoiseCl[i], 1e-14);
    }

    private static double Erf(double x)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return TorchSharp.torch.special.erf(TorchSharp.torch.tensor(x, dtype: TorchSharp.torch.ScalarType.Float64)).item<double>();
    }
}
