using System.Globalization;
using Ppl.Runtime.IO;
using Ppl.Runtime.Inference.Mcmc;

namespace Ppl.Runtime.Inference.Diagnostics;

/// <summary>One row of a Stan-like summary table; <see cref="NestedRHat"/> is NaN unless the chains form superchains.</summary>
public sealed record SummaryRow(
    string Name,
    double Mean,
    double Mcse,
    double StdDev,
    double McseStdDev,
    double Q5,
    double Q50,
    double Q95,
    double EssBulk,
    double EssTail,
    double RHat,
    double NestedRHat = double.NaN);

/// <summary>A Stan-like posterior summary: Mean, MCSE, StdDev, 5%, 50%, 95%, bulk and tail N_Eff and R̂ per column.</summary>
public sealed class PosteriorSummary
{
    private PosteriorSummary(IReadOnlyList<SummaryRow> rows) => Rows = rows;

    /// <summary>The rows, in input order.</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>The row of a column by name.</summary>
    public SummaryRow this[string name] => Rows.First(r => r.Name == name);

    /// <summary>Summarises columns given as [chain][draw] arrays. Chains are truncated to the shortest one.</summary>
    /// <param name="names">The column names.</param>
    /// <param name="column">The [chain][draw] values of column k.</param>
    /// <param name="superchains">With K ≥ 2 superchains of consecutive chains: add nested R̂ (<see cref="Diagnostics.NestedRHat"/>).</param>
    public static PosteriorSummary Compute(IReadOnlyList<string> names, Func<int, IReadOnlyList<double[]>> column, int superchains = 0)
    {
        var rows = new List<SummaryRow>(names.Count);
        for (int k = 0; k < names.Count; k++)
        {
            var chains = column(k);
            var row = Row(names[k], chains);
            if (superchains >= 2 && chains.Count > 0 && chains.All(c => c.Length == chains[0].Length))
                row = row with { NestedRHat = Diagnostics.NestedRHat.Compute(chains, superchains) };
            rows.Add(row);
        }
        return new PosteriorSummary(rows);
    }

    /// <summary>Summarises lp__ and every unconstrained coordinate (or, with <paramref name="columnValues"/>, any
    /// per-draw values such as constrained parameters) of a run's post-warm-up draws.</summary>
    /// <param name="run">The run.</param>
    /// <param name="names">Column names (defaults to x.1, x.2, ... for the unconstrained coordinates).</param>
    /// <param name="columnValues">Maps a draw to its column values; defaults to the unconstrained position.</param>
    public static PosteriorSummary FromRun(SamplingRun run, IReadOnlyList<string>? names = null, Func<Draw, double[]>? columnValues = null)
    {
        columnValues ??= d => d.Position;
        names ??= Enumerable.Range(1, run.Dimension).Select(i => "x." + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        int n = run.Chains.Min(c => c.Samples.Count);
        var values = run.Chains.Select(c => c.Samples.Take(n).Select(columnValues).ToArray()).ToArray();
        var allNames = names.Prepend("lp__").ToArray();
        return Compute(allNames, k => k == 0
            ? run.Chains.Select(c => c.Samples.Take(n).Select(d => d.LogDensity).ToArray()).ToArray()
            : values.Select(chain => chain.Select(v => v[k - 1]).ToArray()).ToArray(), SuperchainsOf(run));
    }

    /// <summary>The number of superchains nested R̂ groups a run's chains into: K when the run was a many-chain run
    /// with K ≥ 2 superchains, otherwise 0 (no nested R̂).</summary>
    public static int SuperchainsOf(SamplingRun run) =>
        run.Options.IsManyChain && run.Options.Superchains is { } k && k >= 2 && run.Chains.Count == run.Options.Chains ? k : 0;

    /// <summary>One row of the table from [chain][draw] values.</summary>
    public static SummaryRow Row(string name, IReadOnlyList<double[]> chains)
    {
        var pooled = ConvergenceDiagnostics.Pool(chains);
        if (pooled.Length == 0)
            return new SummaryRow(name, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = (double[])pooled.Clone();
        Array.Sort(sorted);
        bool enough = chains.All(c => c.Length >= 4);
        return new SummaryRow(
            name,
            pooled.Average(),
            enough ? ConvergenceDiagnostics.McseMean(chains) : double.NaN,
            ConvergenceDiagnostics.StandardDeviation(pooled),
            enough ? ConvergenceDiagnostics.McseSd(chains) : double.NaN,
            ConvergenceDiagnostics.SortedQuantile(sorted, 0.05),
            ConvergenceDiagnostics.SortedQuantile(sorted, 0.5),
            ConvergenceDiagnostics.SortedQuantile(sorted, 0.95),
            enough ? ConvergenceDiagnostics.EssBulk(chains) : double.NaN,
            enough ? ConvergenceDiagnostics.EssTail(chains) : double.NaN,
            enough ? ConvergenceDiagnostics.RHat(chains) : double.NaN);
    }

    /// <summary>
    /// The table as text, like CmdStan's <c>stansummary</c>: columns sized to their content with at least two spaces
    /// between them (<see cref="TextTable"/>), so wide numbers never run together.
    /// </summary>
    public string Render()
    {
        var inv = CultureInfo.InvariantCulture;
        bool nested = Rows.Any(r => !double.IsNaN(r.NestedRHat));
        string[] header = nested
            ? ["", "Mean", "MCSE", "StdDev", "5%", "50%", "95%", "N_Eff(bulk)", "N_Eff(tail)", "R_hat", "nR_hat"]
            : ["", "Mean", "MCSE", "StdDev", "5%", "50%", "95%", "N_Eff(bulk)", "N_Eff(tail)", "R_hat"];
        // The usual widths of stansummary-like output, widened when a cell needs it.
        var table = new TextTable(header, nested ? [8, 8, 8, 8, 8, 8, 8, 11, 11, 6, 6] : [8, 8, 8, 8, 8, 8, 8, 11, 11, 6]);
        foreach (var r in Rows)
        {
            var cells = new List<string> { r.Name };
            cells.AddRange(new[] { r.Mean, r.Mcse, r.StdDev, r.Q5, r.Q50, r.Q95 }.Select(v => Format(v, inv)));
            cells.Add(double.IsNaN(r.EssBulk) ? "nan" : r.EssBulk.ToString("F0", inv));
            cells.Add(double.IsNaN(r.EssTail) ? "nan" : r.EssTail.ToString("F0", inv));
            cells.Add(double.IsNaN(r.RHat) ? "nan" : r.RHat.ToString("F3", inv));
            if (nested) cells.Add(double.IsNaN(r.NestedRHat) ? "nan" : r.NestedRHat.ToString("F3", inv));
            table.Add(cells);
        }
        return table.Render().Replace("\n", Environment.NewLine, StringComparison.Ordinal);
    }

    /// <summary>Four significant digits; a mantissa and a short exponent (<c>-4.09e+36</c>) outside [1e-3, 1e5).</summary>
    public static string Format(double v, IFormatProvider inv) =>
        double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf")
        : Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-3 && v != 0) ? v.ToString("0.00e+00", inv) : v.ToString("G4", inv);
}
