using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// The discrete distributions and mixtures: log-probabilities against the reference masses, normalisation, draws
/// (moments and frequencies), batch invariance of draws, and what invalid parameters do (−∞ in the density, PPL0490 in
/// a draw).
/// </summary>
public class DiscreteDistributionTests
{
    private const int Draws = 20_000;

    private static Tensor Counts(long max) => tensor(Enumerable.Range(0, (int)max + 1).Select(i => (long)i).ToArray());

    [Theory]
    [MemberData(nameof(DiscreteCase.Ids), MemberType = typeof(DiscreteCase))]
    public void LogProbabilityMatchesTheReferenceMass(string id)
    {
        var c = DiscreteCase.Get(id);
        using var scope = NewDisposeScope();
        var k = Counts(c.MaxCount);
        var lp = c.Create().LogProb(k).to_type(ScalarType.Float64).data<double>().ToArray();
        double total = 0;
        for (int i = 0; i < lp.Length; i++)
        {
            double expected = c.Pmf(i);
            total += Math.Exp(lp[i]);
            if (expected > 1e-250)
                Assert.True(Math.Abs(lp[i] - Math.Log(expected)) < 1e-9 * Math.Max(1, Math.Abs(Math.Log(expected))),
                    $"{id}: log p({i}) = {lp[i]}, expected {Math.Log(expected)}");
        }
        Assert.True(Math.Abs(total - 1) < 1e-9, $"{id}: the masses sum to {total}");
        // Outside the support: negative and non-integer values, and (for bounded supports) values above it.
        var outside = c.Create().LogProb(tensor(new[] { -1.0, 0.5, c.MaxCount + 1.0 }, ScalarType.Float64)).data<double>().ToArray();
        Assert.Equal(double.NegativeInfinity, outside[0]);
        Assert.Equal(double.NegativeInfinity, outside[1]);
        if (c.Pmf(c.MaxCount + 1) == 0) Assert.Equal(double.NegativeInfinity, outside[2]);
    }

    /// <summary>2·10^4 float64 draws: the mean within five standard errors, the variance within five standard errors of a
    /// sample variance, and the frequency of every count with mass above 1% within five binomial standard errors.</summary>
    [Theory]
    [MemberData(nameof(DiscreteCase.Ids), MemberType = typeof(DiscreteCase))]
    public void DrawsFollowTheMass(string id)
    {
        var c = DiscreteCase.Get(id);
        using var scope = NewDisposeScope();
        var stream = new RandomStream(7, RandomStream.SiteKey(id), 0, [Draws], ScalarType.Float64, CPU);
        var draws = c.Create().Sample(stream);
        Assert.Equal(ScalarType.Int64, draws.dtype);
        var x = draws.data<long>().ToArray();
        Assert.All(x, v => Assert.True(v >= 0 && c.Pmf(v) > 0, $"{id}: draw {v} outside the support"));
        double mean = x.Average();
        Assert.True(Math.Abs(mean - c.Mean) < 5 * Math.Sqrt(c.Variance / Draws), $"{id}: mean {mean}, expected {c.Mean}");
        double variance = x.Sum(v => (v - mean) * (v - mean)) / (Draws - 1);
        double fourth = x.Sum(v => Math.Pow(v - mean, 4)) / Draws;
        double varianceError = Math.Sqrt(Math.Max(fourth - variance * variance, 1e-12) / Draws);
        Assert.True(Math.Abs(variance - c.Variance) < 5 * varianceError + 1e-12, $"{id}: variance {variance}, expected {c.Variance} ± {varianceError}");
        foreach (var group in x.GroupBy(v => v))
        {
            double p = c.Pmf(group.Key);
            if (p < 0.01) continue;
            double frequency = group.Count() / (double)Draws;
            Assert.True(Math.Abs(frequency - p) < 5 * Math.Sqrt(p * (1 - p) / Draws), $"{id}: frequency of {group.Key} is {frequency}, expected {p}");
        }
    }

    /// <summary>Draw i is the same in a batch of one and in a batch of a thousand (float32, the model's default type).</summary>
    [Theory]
    [MemberData(nameof(DiscreteCase.Ids), MemberType = typeof(DiscreteCase))]
    public void DrawsDoNotDependOnTheBatchSize(string id)
    {
        var c = DiscreteCase.Get(id);
        using var scope = NewDisposeScope();
        var key = RandomStream.SiteKey(id);
        var big = c.Create().Sample(new RandomStream(3, key, 0, [1000, 2], ScalarType.Float32, CPU));
        foreach (long i in new long[] { 0, 1, 517, 999 })
        {
            var one = c.Create().Sample(new RandomStream(3, key, i, [1, 2], ScalarType.Float32, CPU));
            Assert.True(one[0].eq(big[i]).all().item<bool>(), $"{id}: draw {i} differs between batch sizes");
        }
    }

    public static TheoryData<string, Func<Distribution>> InvalidParameters => new()
    {
        { "Poisson rate -1", () => new Poisson(tensor(-1.0, ScalarType.Float64)) },
        { "Bernoulli probs 1.2", () => new Bernoulli(tensor(1.2, ScalarType.Float64), null) },
        { "Binomial probs -0.1", () => new Binomial(tensor(5.0, ScalarType.Float64), tensor(-0.1, ScalarType.Float64), null) },
        { "Binomial total_count 2.5", () => new Binomial(tensor(2.5, ScalarType.Float64), tensor(0.5, ScalarType.Float64), null) },
        { "NegativeBinomial mean 0", () => new NegativeBinomial(tensor(0.0, ScalarType.Float64), tensor(1.0, ScalarType.Float64)) },
        { "NegativeBinomial concentration -2", () => new NegativeBinomial(tensor(3.0, ScalarType.Float64), tensor(-2.0, ScalarType.Float64)) },
        { "Categorical probs summing to 1.1", () => new Categorical(tensor(new[] { 0.5, 0.6 }, ScalarType.Float64), null) },
        { "Categorical probs with a negative entry", () => new Categorical(tensor(new[] { 1.2, -0.2 }, ScalarType.Float64), null) },
        { "Mixture weights summing to 0.9", () => new Mixture(tensor(new[] { 0.4, 0.5 }, ScalarType.Float64),
            [new Normal(tensor(0.0, ScalarType.Float64), tensor(1.0, ScalarType.Float64)), new Normal(tensor(1.0, ScalarType.Float64), tensor(1.0, ScalarType.Float64))]) },
    };

    /// <summary>
    /// As Stan rejects a point where a parameter leaves its domain, the log-probability is −∞ (not NaN, not an
    /// exception), with a finite gradient; a draw with such parameters stops with a domain failure (PPL0490 at the
    /// model statement).
    /// </summary>
    [Theory]
    [MemberData(nameof(InvalidParameters))]
    public void InvalidParametersGiveMinusInfinityAndStopDraws(string what, Func<Distribution> create)
    {
        using var scope = NewDisposeScope();
        var d = create();
        var lp = d.LogProb(tensor(new[] { 0.0, 1.0 }, ScalarType.Float64));
        Assert.All(lp.data<double>().ToArray(), v => Assert.Equal(double.NegativeInfinity, v));
        var e = Assert.Throws<ModelDomainException>(() => d.Sample(new RandomStream(1, 2, 0, [4], ScalarType.Float64, CPU)));
        Assert.True(ModelFailures.IsDomainFailure(e), what);
    }

    [Fact]
    public void EdgeProbabilitiesHaveFiniteGradients()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new[] { 0.0, 1.0, 0.0, 1.0 }, ScalarType.Float64).requires_grad_(true);
        var k = tensor(new long[] { 0, 1, 1, 0 });
        var lp = new Bernoulli(p, null).LogProb(k);
        Assert.Equal(new[] { 0.0, 0.0, double.NegativeInfinity, double.NegativeInfinity }, lp.data<double>().ToArray());
        lp.narrow(0, 0, 2).sum().backward();
        Assert.All(p.grad!.data<double>().ToArray(), g => Assert.False(double.IsNaN(g)));

        var rate = tensor(new[] { 0.0, 2.0 }, ScalarType.Float64).requires_grad_(true);
        var poisson = new Poisson(rate).LogProb(tensor(new long[] { 0, 3 }));
        Assert.Equal(0.0, poisson[0].item<double>());
        poisson.sum().backward();
        Assert.Equal(new[] { -1.0, 3.0 / 2.0 - 1.0 }, rate.grad!.data<double>().ToArray());
    }

    /// <summary>The gradients in the continuous parameters agree with central differences (float64, h = 1e-6).</summary>
    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var cases = new (string Name, Func<Tensor, Distribution> Create, double[] At, long[] Value)[]
        {
            ("Poisson", t => new Poisson(t), [3.7], [5]),
            ("NegativeBinomial", t => new NegativeBinomial(t[0], t[1]), [4.0, 2.5], [7]),
            ("Binomial probs", t => new Binomial(tensor(9.0, ScalarType.Float64), t[0], null), [0.35], [4]),
            ("Binomial logits", t => new Binomial(tensor(9.0, ScalarType.Float64), null, t[0]), [-0.4], [4]),
            ("Categorical logits", t => new Categorical(null, t), [0.3, -1.0, 2.0], [1]),
            ("Mixture", t => new Mixture(stack([t[0], t[0].neg().add(ConstantScalars.Of(1.0), TensorArithmetic.One)]),
                [new Normal(t[1], tensor(1.0, ScalarType.Float64)), new Normal(tensor(2.0, ScalarType.Float64), tensor(0.5, ScalarType.Float64))]), [0.3, -0.5], [1]),
        };
        foreach (var (name, create, at, value) in cases)
        {
            using var scope = NewDisposeScope();
            var x = tensor(at, ScalarType.Float64).requires_grad_(true);
            var v = tensor(value);
            create(x).LogProb(v).sum().backward();
            var grad = x.grad!.data<double>().ToArray();
            for (int i = 0; i < at.Length; i++)
            {
                double h = 1e-6;
                var plus = (double[])at.Clone();
                var minus = (double[])at.Clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (create(tensor(plus, ScalarType.Float64)).LogProb(v).sum().item<double>()
                    - create(tensor(minus, ScalarType.Float64)).LogProb(v).sum().item<double>()) / (2 * h);
                Assert.True(Math.Abs(grad[i] - fd) < 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name}[{i}]: autograd {grad[i]}, finite difference {fd}");
            }
        }
    }
}
