using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Inference.Tests;

/// <summary>
/// A column whose draws never change (a stuck chain) has no R̂ or ESS: NaN, as the posterior package and ArviZ report
/// it, with a warning naming the column — never R̂ = 1.000 and a full ESS.
/// </summary>
public class ConstantChainTests
{
    private static double[][] Constant(double value, int chains = 2, int n = 50) =>
        Enumerable.Range(0, chains).Select(_ => Enumerable.Repeat(value, n).ToArray()).ToArray();

    [Fact]
    public void ConstantDrawsHaveNaNRHatAndEss()
    {
        var stuck = Constant(0.7);
        Assert.True(double.IsNaN(ConvergenceDiagnostics.RHat(stuck)));
        Assert.True(double.IsNaN(ConvergenceDiagnostics.RHatBasic(stuck)));
        Assert.True(double.IsNaN(ConvergenceDiagnostics.EssBulk(stuck)));
        Assert.True(double.IsNaN(ConvergenceDiagnostics.EssTail(stuck)));
        Assert.True(double.IsNaN(ConvergenceDiagnostics.EssMean(stuck)));
        // A single stuck chain too.
        Assert.True(double.IsNaN(ConvergenceDiagnostics.RHat(Constant(-3.0, chains: 1))));
    }

    [Fact]
    public void SummaryWarnsAboutConstantColumnsAndNotAboutMovingOnes()
    {
        var moving = Enumerable.Range(0, 2).Select(c => new CounterRandom(11).Substream((ulong)c).StandardNormals(400)).ToArray();
        var summary = PosteriorSummary.Compute(["mu", "tau"], k => k == 0 ? moving : Constant(2.5, n: 400));
        Assert.True(double.IsNaN(summary["tau"].RHat));
        Assert.True(double.IsNaN(summary["tau"].EssBulk));
        Assert.False(double.IsNaN(summary["mu"].RHat));
        var warnings = ConvergenceWarnings.For(summary, chains: 2);
        var constant = Assert.Single(warnings, w => w.Contains("constant", StringComparison.Ordinal));
        Assert.Contains("tau = 2.5", constant);
        Assert.DoesNotContain("mu", constant);
        // The constant column is not reported a second time as an R-hat problem.
        Assert.DoesNotContain(warnings, w => w.Contains("R-hat > ", StringComparison.Ordinal));
        Assert.Contains("nan", summary.Render());
    }
}
