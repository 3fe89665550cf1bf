using Ppl.Runtime.Inference.Diagnostics;

namespace Ppl.Inference.Tests;

/// <summary>Nested R-hat against values computed by hand from its definition (Margossian et al. 2024, eqs. 15–19).</summary>
public class NestedRHatTests
{
    // Superchain 1: chains (1, 2, 3), (2, 3, 4); superchain 2: (4, 5, 6), (6, 6, 9).
    private static readonly double[][] Chains = { new double[] { 1, 2, 3 }, new double[] { 2, 3, 4 }, new double[] { 4, 5, 6 }, new double[] { 6, 6, 9 } };

    [Fact]
    public void TwoSuperchainsOfTwoChains()
    {
        // Chain means 2, 3, 5, 7; chain variances 1, 1, 1, 3; superchain means 2.5, 6 (overall 4.25).
        // B̃ = 0.5, 2; W̃ = 1, 2; Ŵ = (1.5 + 4)/2 = 2.75; B̂ = (1.75² + 1.75²)/1 = 6.125; nR̂ = √(1 + 6.125/2.75).
        Assert.Equal(Math.Sqrt(1 + 6.125 / 2.75), NestedRHat.Compute(Chains, 2), 12);
        Assert.Equal(1.796461167760864, NestedRHat.Compute(Chains, 2), 12);
    }

    [Fact]
    public void SuperchainsOfOneChainUseNoBetweenChainTerm()
    {
        // M = 1: B̃ = 0, Ŵ = mean variance 1.5; B̂ = variance of (2, 3, 5, 7) = 14.75/3.
        Assert.Equal(Math.Sqrt(1 + 14.75 / 3 / 1.5), NestedRHat.Compute(Chains, 4), 12);
    }

    [Fact]
    public void ChainsOfOneDrawUseNoWithinChainTerm()
    {
        // N = 1: W̃ = 0; B̃ = 2, 8 so Ŵ = 5; superchain means 2, 6 so B̂ = 8; nR̂ = √(1 + 8/5).
        var single = new[] { new double[] { 1 }, new double[] { 3 }, new double[] { 4 }, new double[] { 8 } };
        Assert.Equal(Math.Sqrt(2.6), NestedRHat.Compute(single, 2), 12);
    }

    [Fact]
    public void UndefinedCasesAreNaN()
    {
        Assert.True(double.IsNaN(NestedRHat.Compute(Chains, 1)));      // one superchain: no between-superchain variance
        Assert.True(double.IsNaN(NestedRHat.Compute(Chains, 3)));      // 4 chains do not split into 3 equal superchains
        Assert.True(double.IsNaN(NestedRHat.Compute(new[] { new double[] { 1, 1 }, new double[] { 1, 1 } }, 2))); // constant
        Assert.True(double.IsNaN(NestedRHat.Compute(new[] { new double[] { 1, double.NaN }, new double[] { 1, 2 } }, 2)));
    }

    [Fact]
    public void MixedSuperchainsGiveValuesNearOne()
    {
        // 16 superchains × 8 chains × 50 independent standard normals: B̂ ≈ var/400, Ŵ ≈ 1, so nR̂ − 1 ≈ 1/800 ± a little.
        var random = new Ppl.Runtime.Inference.Mcmc.CounterRandom(7);
        var chains = Enumerable.Range(0, 128).Select(c => random.Substream((ulong)c).StandardNormals(50)).ToArray();
        double value = NestedRHat.Compute(chains, 16);
        Assert.InRange(value, 1.0, 1.01);
        // Shifting one superchain by 3 standard deviations is detected.
        for (int c = 0; c < 8; c++) chains[c] = chains[c].Select(v => v + 3).ToArray();
        Assert.True(NestedRHat.Compute(chains, 16) > 1.1);
    }
}
