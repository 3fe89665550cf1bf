using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

public class AdaptationTests
{
    [Fact]
    public void StanDefaultScheduleHasDoublingWindows()
    {
        // CmdStan's documented default: windows of 25, 50, 100, 200 and a final stretched one of 500 iterations.
        var s = AdaptationSchedule.Create(1000);
        Assert.Equal(new[] { (75, 99), (100, 149), (150, 249), (250, 449), (450, 949) }, s.Windows);
        Assert.Null(s.Note);
        Assert.True(s.IsWindowEnd(449));
        Assert.False(s.InWindow(74));
        Assert.False(s.InWindow(950));
    }

    [Fact]
    public void ShortWarmupScalesTheBuffers()
    {
        // 100 < 75 + 25 + 50: Stan uses 15% / 75% / 10%, i.e. init 15, window 75, term 10.
        var s = AdaptationSchedule.Create(100);
        Assert.Equal(new[] { (15, 89) }, s.Windows);
        Assert.NotNull(s.Note);
        // 300: windows 25, 50 and 100 end exactly at the terminal buffer (iteration 249).
        Assert.Equal(new[] { (75, 99), (100, 149), (150, 249) }, AdaptationSchedule.Create(300).Windows);
        // 250: after 25, a window of 50 ending at 149 would leave 50 < 2·100 before the terminal buffer, so it stretches to 199.
        Assert.Equal(new[] { (75, 99), (100, 199) }, AdaptationSchedule.Create(250).Windows);
        Assert.Empty(AdaptationSchedule.Create(19).Windows);
    }

    [Fact]
    public void DualAveragingConvergesToTheTargetOnAKnownAcceptanceCurve()
    {
        // A deterministic acceptance curve α(ε) = exp(−(ε/1.5)²) has α = δ at ε* = 1.5 √(−log δ).
        foreach (var delta in new[] { 0.6, 0.8, 0.95 })
        {
            var averaging = DualAveraging.Start(1.0, delta);
            double eps = 1.0;
            for (int t = 0; t < 5000; t++)
            {
                averaging = averaging.Update(Math.Exp(-Math.Pow(eps / 1.5, 2)));
                eps = averaging.StepSize;
            }
            double target = 1.5 * Math.Sqrt(-Math.Log(delta));
            // x̄ weights iterate t by t^{-κ}, so early transients fade slowly; after 5000 steps the three targets are
            // within 1.3%.
            Assert.InRange(averaging.FinalStepSize / target, 0.98, 1.02);
        }
    }

    [Fact]
    public void WelfordMatchesTwoPassVarianceAndCovariance()
    {
        var random = new CounterRandom(42);
        int n = 500, d = 4;
        var data = Enumerable.Range(0, n).Select(i =>
        {
            var z = random.Substream((ulong)i).StandardNormals(d);
            return new[] { 1e6 + z[0], 3 * z[1] + z[0], z[2] * 0.01, z[3] - z[1] };
        }).ToArray();
        var variance = new WelfordVarianceEstimator(d);
        var covariance = new WelfordCovarianceEstimator(d);
        foreach (var x in data)
        {
            variance.Add(x);
            covariance.Add(x);
        }
        var mean = Enumerable.Range(0, d).Select(j => data.Average(x => x[j])).ToArray();
        var v = variance.SampleVariance();
        var c = covariance.SampleCovariance();
        for (int i = 0; i < d; i++)
        {
            double twoPass = data.Sum(x => (x[i] - mean[i]) * (x[i] - mean[i])) / (n - 1);
            // Relative 1e-9: Welford is stable even with the 1e6 offset in coordinate 0.
            Assert.Equal(1.0, v[i] / twoPass, 9);
            for (int j = 0; j < d; j++)
            {
                double cov = data.Sum(x => (x[i] - mean[i]) * (x[j] - mean[j])) / (n - 1);
                Assert.True(Math.Abs(c[i, j] - cov) <= 1e-9 * Math.Sqrt(Math.Abs(c[i, i] * c[j, j])) + 1e-15);
            }
        }
        var regularised = variance.RegularisedVariance();
        Assert.Equal(n / (n + 5.0) * v[2] + 1e-3 * 5 / (n + 5.0), regularised[2], 15);
    }

    [Fact]
    public void StepSizeAdaptationReachesTheTargetAcceptance()
    {
        var (_, precision) = GaussianFixtures.Ar1(10, 0.5);
        var density = new GaussianDensity(new double[10], precision);
        foreach (var delta in new[] { 0.65, 0.9 })
        {
            // A unit metric keeps the dual averaging running through the whole warm-up (no window restarts).
            var run = HamiltonianSampler.Sample(density,
                new SamplingOptions { Chains = 4, Seed = 7, NumWarmup = 1000, NumSamples = 200, AdaptDelta = delta, Metric = MetricKind.Unit, SaveWarmup = true },
                InitialPositions.Uniform(10, 7)).GetRunOrThrow();
            double warm = run.Chains.SelectMany(c => c.Warmup.Skip(200)).Average(d => d.AcceptStat);
            double sampling = run.Chains.SelectMany(c => c.Samples).Average(d => d.AcceptStat);
            // Dual averaging drives the running mean of the acceptance statistic to δ. 3200 correlated warm-up
            // statistics have a standard error near 0.005, so ±0.03 is six of them.
            Assert.InRange(warm, delta - 0.03, delta + 0.03);
            // The final step size e^{x̄} is smaller than the fluctuating warm-up iterates, so sampling accepts at least δ.
            Assert.True(sampling > delta - 0.03);
        }
    }
}
