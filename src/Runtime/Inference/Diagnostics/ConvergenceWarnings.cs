using System.Globalization;

namespace Ppl.Runtime.Inference.Diagnostics;

/// <summary>
/// Warnings from a posterior summary in the spirit of Vehtari et al. (2021): R̂ above 1.01 means the chains disagree;
/// a bulk or tail ESS below 100 per chain makes the R̂ and MCSE estimates themselves unreliable; a column that never
/// changes (a stuck chain) has no R̂ or ESS at all.
/// </summary>
public static class ConvergenceWarnings
{
    /// <summary>The R̂ above which a column is reported.</summary>
    public const double RHatThreshold = 1.01;

    /// <summary>The effective sample size per chain below which a column is reported.</summary>
    public const double MinimumEssPerChain = 100;

    /// <summary>Many short chains: the total bulk or tail ESS below which a column is reported (100 per chain of a
    /// 4-chain run), and the nested R̂ above which one is.</summary>
    public const double MinimumManyChainEss = 400, NestedRHatThreshold = 1.01;

    /// <summary>One line per problem (empty when there is none), naming the worst columns.</summary>
    /// <param name="summary">The summary table.</param>
    /// <param name="chains">The number of chains the summary pooled.</param>
    /// <param name="manyChains">A many-chain run: the ESS needed is <see cref="MinimumManyChainEss"/> in all, not per chain,
    /// and nested R̂ is checked where the table has it.</param>
    public static IReadOnlyList<string> For(PosteriorSummary summary, int chains, bool manyChains = false)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        var rows = summary.Rows;
        // A column whose draws are all equal (StdDev 0): R̂ and ESS are undefined (nan), and the chains did not move.
        var constant = rows.Where(r => r.StdDev == 0).ToArray();
        if (constant.Length > 0)
            lines.Add(string.Format(inv, "Warning: {0} of {1} columns are constant over every draw ({2}); R-hat and ESS are undefined (nan): the chains are stuck (or the value is fixed), so these draws do not describe a posterior.",
                constant.Length, rows.Count, Names(constant, r => "= " + r.Mean.ToString("G6", inv))));
        var unconverged = rows.Where(r => r.StdDev != 0 && (r.RHat > RHatThreshold || double.IsNaN(r.RHat) && !double.IsNaN(r.Mean))).ToArray();
        if (unconverged.Length > 0)
        {
            var worst = unconverged.OrderByDescending(r => double.IsNaN(r.RHat) ? double.PositiveInfinity : r.RHat).ToArray();
            lines.Add(string.Format(inv, "Warning: R-hat > {0} for {1} of {2} columns ({3}); the chains have not mixed: run longer or reparameterise.",
                RHatThreshold, unconverged.Length, rows.Count, Names(worst, r => double.IsNaN(r.RHat) ? "nan" : r.RHat.ToString("F3", inv))));
        }
        var nestedHigh = rows.Where(r => r.NestedRHat > NestedRHatThreshold).OrderByDescending(r => r.NestedRHat).ToArray();
        if (nestedHigh.Length > 0)
            lines.Add(string.Format(inv, "Warning: nested R-hat > {0} for {1} of {2} columns ({3}); the superchains still depend on where they started: warm up longer.",
                NestedRHatThreshold, nestedHigh.Length, rows.Count, Names(nestedHigh, r => r.NestedRHat.ToString("F3", inv))));
        double minimum = manyChains ? MinimumManyChainEss : MinimumEssPerChain * chains;
        var lowEss = rows.Where(r => Math.Min(r.EssBulk, r.EssTail) < minimum).ToArray();
        if (lowEss.Length > 0)
        {
            var worst = lowEss.OrderBy(r => Math.Min(r.EssBulk, r.EssTail)).ToArray();
            lines.Add(string.Format(inv, "Warning: bulk or tail ESS below {0} ({1}) for {2} of {3} columns ({4}); estimates are unreliable: draw more.",
                minimum, manyChains ? "in all" : MinimumEssPerChain.ToString(inv) + " per chain", lowEss.Length, rows.Count, Names(worst, r => Math.Min(r.EssBulk, r.EssTail).ToString("F0", inv))));
        }
        return lines;
    }

    private static string Names(IReadOnlyList<SummaryRow> rows, Func<SummaryRow, string> value)
    {
        const int shown = 5;
        var text = string.Join(", ", rows.Take(shown).Select(r => $"{r.Name} {value(r)}"));
        return rows.Count > shown ? text + ", ..." : text;
    }
}
