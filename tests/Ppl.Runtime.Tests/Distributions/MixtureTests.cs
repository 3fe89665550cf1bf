using Ppl.Runtime.Distributions;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>Mixtures of continuous components: densities against the closed form, the batched form against the list
/// form, draws' moments and batch invariance, and the improper flat prior's density.</summary>
public class MixtureTests
{
    private static Tensor T(double v) => tensor(v, ScalarType.Float64);

    private static Tensor T(double[] v) => tensor(v, ScalarType.Float64);

    private static double NormalPdf(double x, double mu, double sigma) =>
        Math.Exp(-0.5 * (x - mu) * (x - mu) / (sigma * sigma)) / (sigma * Math.Sqrt(2 * Math.PI));

    private static readonly double[] Weights = [0.2, 0.5, 0.3];
    private static readonly double[] Locs = [-2.0, 0.5, 3.0];
    private static readonly double[] Scales = [0.5, 1.0, 2.0];

    private static Mixture ListForm() => new(T(Weights), Enumerable.Range(0, 3).Select(k => (Distribution)new Normal(T(Locs[k]), T(Scales[k]))).ToList());

    private static MixtureSameFamily BatchedForm() => new(T(Weights), new Normal(T(Locs), T(Scales)));

    [Fact]
    public void DensityIsTheWeightedSumOfTheComponents()
    {
        using var scope = NewDisposeScope();
        double[] points = [-3.0, -1.2, 0.0, 0.7, 2.5, 9.0];
        var list = ListForm().LogProb(T(points)).data<double>().ToArray();
        var batched = BatchedForm().LogProb(T(points)).data<double>().ToArray();
        for (int i = 0; i < points.Length; i++)
        {
            double expected = Math.Log(Enumerable.Range(0, 3).Sum(k => Weights[k] * NormalPdf(points[i], Locs[k], Scales[k])));
            Assert.True(Math.Abs(list[i] - expected) < 1e-12 * Math.Max(1, Math.Abs(expected)), $"Mixture at {points[i]}: {list[i]} vs {expected}");
            Assert.True(Math.Abs(batched[i] - expected) < 1e-12 * Math.Max(1, Math.Abs(expected)), $"MixtureSameFamily at {points[i]}: {batched[i]} vs {expected}");
        }
    }

    [Fact]
    public void DrawsHaveTheMixtureMoments()
    {
        const int n = 40_000;
        double mean = Enumerable.Range(0, 3).Sum(k => Weights[k] * Locs[k]);
        double variance = Enumerable.Range(0, 3).Sum(k => Weights[k] * (Scales[k] * Scales[k] + Locs[k] * Locs[k])) - mean * mean;
        foreach (var (name, d) in new (string, Distribution)[] { ("Mixture", ListForm()), ("MixtureSameFamily", BatchedForm()) })
        {
            using var scope = NewDisposeScope();
            var x = d.Sample(new RandomStream(5, RandomStream.SiteKey(name), 0, [n], ScalarType.Float64, CPU)).data<double>().ToArray();
            double m = x.Average();
            double v = x.Sum(a => (a - m) * (a - m)) / (n - 1);
            double fourth = x.Sum(a => Math.Pow(a - m, 4)) / n;
            Assert.True(Math.Abs(m - mean) < 5 * Math.Sqrt(variance / n), $"{name}: mean {m}, expected {mean}");
            Assert.True(Math.Abs(v - variance) < 5 * Math.Sqrt((fourth - v * v) / n), $"{name}: variance {v}, expected {variance}");
            // The share of draws below −1 (mostly the first component) against the mixture's CDF there.
            double below = x.Count(a => a < -1) / (double)n;
            double expectedBelow = Enumerable.Range(0, 3).Sum(k => Weights[k] * ReferenceMath.NormalCdf((-1 - Locs[k]) / Scales[k]));
            Assert.True(Math.Abs(below - expectedBelow) < 5 * Math.Sqrt(expectedBelow * (1 - expectedBelow) / n), $"{name}: P(x < -1) = {below}, expected {expectedBelow}");
        }
    }

    [Fact]
    public void DrawsDoNotDependOnTheBatchSize()
    {
        foreach (var (name, create) in new (string, Func<Distribution>)[] { ("Mixture", ListForm), ("MixtureSameFamily", BatchedForm) })
        {
            using var scope = NewDisposeScope();
            var big = create().Sample(new RandomStream(9, 17, 0, [1000, 3], ScalarType.Float32, CPU));
            foreach (long i in new long[] { 0, 1, 517, 999 })
            {
                var one = create().Sample(new RandomStream(9, 17, i, [1, 3], ScalarType.Float32, CPU));
                Assert.True(one[0].eq(big[i]).all().item<bool>(), $"{name}: draw {i} differs between batch sizes");
            }
        }
    }

    [Fact]
    public void FlatIsZeroInsideItsBoundsAndMinusInfinityOutside()
    {
        using var scope = NewDisposeScope();
        var x = T([-5.0, 0.0, 0.5, 3.0]);
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, new Flat(null, null).LogProb(x).data<double>().ToArray());
        Assert.Equal(new[] { double.NegativeInfinity, 0.0, 0.0, 0.0 }, new Flat(T(0.0), null).LogProb(x).data<double>().ToArray());
        Assert.Equal(new[] { double.NegativeInfinity, 0.0, 0.0, double.NegativeInfinity }, new Flat(T(0.0), T(1.0)).LogProb(x).data<double>().ToArray());
        Assert.Equal(SupportKind.GreaterThan, new Flat(T(0.0), null).Support.Kind);
        Assert.Equal(SupportKind.Real, new Flat(null, null).Support.Kind);
    }
}
