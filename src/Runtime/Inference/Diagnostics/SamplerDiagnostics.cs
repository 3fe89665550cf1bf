using System.Globalization;
using System.Text;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Runtime.Inference.Diagnostics;

/// <summary>What the sampler statistics of one chain say about the sampler's health.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="Draws">Post-warm-up draws.</param>
/// <param name="Divergences">Divergent post-warm-up transitions.</param>
/// <param name="WarmupDivergences">Divergent warm-up transitions.</param>
/// <param name="TreeDepthSaturations">Post-warm-up transitions that reached the maximum tree depth (NUTS only).</param>
/// <param name="EBfmi">Energy Bayesian fraction of missing information; below 0.3 suggests the momentum resampling
/// explores the energy distribution poorly.</param>
/// <param name="MeanAcceptStat">The mean acceptance statistic after warm-up.</param>
/// <param name="StepSize">The sampling step size.</param>
/// <param name="Metric">The metric's kind.</param>
/// <param name="InverseMassDiagonal">The diagonal of the inverse mass matrix.</param>
/// <param name="MeanLeapfrogSteps">The mean number of leapfrog steps per draw.</param>
public sealed record ChainHealth(
    int ChainId,
    int Draws,
    int Divergences,
    int WarmupDivergences,
    int TreeDepthSaturations,
    double EBfmi,
    double MeanAcceptStat,
    double StepSize,
    MetricKind Metric,
    double[] InverseMassDiagonal,
    double MeanLeapfrogSteps);

/// <summary>Sampler-level diagnostics: divergences, tree-depth saturation, E-BFMI, step size and metric per chain.</summary>
public static class SamplerDiagnostics
{
    /// <summary>E-BFMI = Σ (E_t − E_{t−1})² / Σ (E_t − Ē)² (Betancourt 2016), as ArviZ computes it; NaN with fewer than 2 draws.</summary>
    public static double EBfmi(IReadOnlyList<double> energy)
    {
        int n = energy.Count;
        if (n < 2) return double.NaN;
        double mean = energy.Average();
        double numerator = 0, denominator = 0;
        for (int i = 1; i < n; i++) numerator += (energy[i] - energy[i - 1]) * (energy[i] - energy[i - 1]);
        for (int i = 0; i < n; i++) denominator += (energy[i] - mean) * (energy[i] - mean);
        return (numerator / (n - 1)) / (denominator / n);
    }

    /// <summary>The health summary of every chain of a run.</summary>
    public static IReadOnlyList<ChainHealth> Assess(SamplingRun run)
    {
        bool nuts = run.Options.Algorithm == SamplerAlgorithm.Nuts;
        return run.Chains.Select(c => new ChainHealth(
            c.ChainId,
            c.Samples.Count,
            c.Samples.Count(d => d.Divergent),
            c.WarmupDivergences,
            nuts ? c.Samples.Count(d => d.TreeDepth >= run.Options.MaxTreeDepth) : 0,
            EBfmi(c.Samples.Select(d => d.Energy).ToArray()),
            c.Samples.Count > 0 ? c.Samples.Average(d => d.AcceptStat) : double.NaN,
            c.StepSize,
            c.Metric.Kind,
            c.Metric.InverseMassDiagonal(),
            c.Samples.Count > 0 ? c.Samples.Average(d => d.LeapfrogSteps) : double.NaN)).ToArray();
    }

    /// <summary>The most chains listed one row each; more are summarised in one row (totals, means, the lowest E-BFMI).</summary>
    public const int MaxChainRows = 16;

    /// <summary>A text report of the chains' health, with warnings in Stan's spirit.</summary>
    public static string Render(IReadOnlyList<ChainHealth> chains, int maxTreeDepth)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("Chain  Draws  Divergent  MaxDepth  E-BFMI  AcceptStat  StepSize  Leapfrog  InvMetric(min..max)");
        if (chains.Count > MaxChainRows)
        {
            // Many chains share one step size and metric: one row of totals and means (E-BFMI: the lowest chain's).
            var c0 = chains[0];
            double lo = c0.InverseMassDiagonal.Length > 0 ? c0.InverseMassDiagonal.Min() : double.NaN;
            double hi = c0.InverseMassDiagonal.Length > 0 ? c0.InverseMassDiagonal.Max() : double.NaN;
            sb.AppendLine(string.Format(inv, "{0,5}  {1,5}  {2,9}  {3,8}  {4,6:F3}  {5,10:F3}  {6,8:G3}  {7,8:F1}  {8} {9:G3}..{10:G3}   ({11} chains: totals, means, lowest E-BFMI)",
                "all", chains.Sum(c => c.Draws), chains.Sum(c => c.Divergences), chains.Sum(c => c.TreeDepthSaturations),
                chains.Select(c => c.EBfmi).Where(e => !double.IsNaN(e)).DefaultIfEmpty(double.NaN).Min(),
                chains.Average(c => c.MeanAcceptStat), c0.StepSize, chains.Average(c => c.MeanLeapfrogSteps), MetricName(c0.Metric), lo, hi, chains.Count));
        }
        else foreach (var c in chains)
        {
            double lo = c.InverseMassDiagonal.Length > 0 ? c.InverseMassDiagonal.Min() : double.NaN;
            double hi = c.InverseMassDiagonal.Length > 0 ? c.InverseMassDiagonal.Max() : double.NaN;
            sb.AppendLine(string.Format(inv, "{0,5}  {1,5}  {2,9}  {3,8}  {4,6:F3}  {5,10:F3}  {6,8:G3}  {7,8:F1}  {8} {9:G3}..{10:G3}",
                c.ChainId, c.Draws, c.Divergences, c.TreeDepthSaturations, c.EBfmi, c.MeanAcceptStat, c.StepSize,
                c.MeanLeapfrogSteps, MetricName(c.Metric), lo, hi));
        }
        int divergent = chains.Sum(c => c.Divergences);
        int draws = chains.Sum(c => c.Draws);
        int saturated = chains.Sum(c => c.TreeDepthSaturations);
        if (divergent > 0)
            sb.AppendLine(string.Format(inv, "Warning: {0} of {1} transitions ({2:P1}) ended with a divergence; consider a higher adapt delta or a reparameterisation.", divergent, draws, (double)divergent / draws));
        if (saturated > 0)
            sb.AppendLine(string.Format(inv, "Warning: {0} of {1} transitions hit the maximum tree depth of {2}.", saturated, draws, maxTreeDepth));
        var lowBfmi = chains.Where(c => c.EBfmi < 0.3).ToArray();
        if (lowBfmi.Length > MaxChainRows)
            sb.AppendLine(string.Format(inv, "Warning: {0} of {1} chains have E-BFMI < 0.3 (lowest {2:F3}).", lowBfmi.Length, chains.Count, lowBfmi.Min(c => c.EBfmi)));
        else foreach (var c in lowBfmi)
            sb.AppendLine(string.Format(inv, "Warning: chain {0} has E-BFMI {1:F3} < 0.3.", c.ChainId, c.EBfmi));
        if (divergent == 0 && saturated == 0 && chains.All(c => !(c.EBfmi < 0.3)))
            sb.AppendLine("No divergences, no saturated trees, E-BFMI satisfactory.");
        return sb.ToString();
    }

    /// <summary>CmdStan's name of a metric kind.</summary>
    public static string MetricName(MetricKind kind) => kind switch
    {
        MetricKind.Unit => "unit_e",
        MetricKind.Diagonal => "diag_e",
        _ => "dense_e",
    };
}
