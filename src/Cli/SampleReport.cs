using System.Globalization;
using System.Text;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.Plotting;

namespace Ppl.Cli;

/// <summary>
/// What `ppl sample` tells the user about a run: the Stan-like summary table (lp__, the params, and the latents when
/// they are saved), the sampler's health per chain and the warnings (divergences, saturated trees, low E-BFMI,
/// R-hat, ESS). Also draws the corner plot of the params.
/// </summary>
public sealed class SampleReport
{
    /// <summary>The most panels a corner plot gets; vector params share them out.</summary>
    public const int MaxCornerPanels = 10;

    /// <summary>The most latent elements the summary table lists (every param element is always listed).</summary>
    public const int MaxLatentRows = 1000;

    private readonly SamplingRun _run;
    private readonly ConstrainedColumns _columns;
    private readonly int _paramColumns;
    private readonly double[][][] _values;

    /// <param name="run">The run.</param>
    /// <param name="columns">The output columns (params first).</param>
    /// <param name="paramColumns">How many leading columns are params.</param>
    /// <param name="paramSizes">The element count of each param, in order (for sharing out the corner plot's panels).</param>
    public SampleReport(SamplingRun run, ConstrainedColumns columns, int paramColumns, IReadOnlyList<int> paramSizes)
    {
        _run = run;
        _columns = columns;
        _paramColumns = paramColumns;
        Draws = run.Chains.Count == 0 ? 0 : run.Chains.Min(c => c.Samples.Count);
        // [chain][draw][column], the chains cut to a common length as the diagnostics need; only the columns the table
        // lists are kept (a latent field can have tens of thousands).
        int kept = SummaryColumns;
        _values = run.Chains.Select(c => columns.Apply(c.Samples.Take(Draws).Select(d => d.Position).ToArray())
            .Select(row => row.Length > kept ? row[..kept] : row).ToArray()).ToArray();
        CornerColumns = ChooseCornerColumns(paramSizes);
    }

    /// <summary>Post-warm-up draws per chain in the summary (the shortest chain's count).</summary>
    public int Draws { get; }

    /// <summary>The columns (indices) the corner plot shows.</summary>
    public IReadOnlyList<int> CornerColumns { get; }

    /// <summary>The columns the summary table lists: the params and at most <see cref="MaxLatentRows"/> latent elements.</summary>
    public int SummaryColumns => Math.Min(_columns.Names.Count, _paramColumns + MaxLatentRows);

    /// <summary>True when the corner plot leaves out some param elements.</summary>
    public bool CornerTruncated => CornerColumns.Count < _paramColumns;

    /// <summary>The summary table, or null when there are too few draws for one.</summary>
    public PosteriorSummary? Summary()
    {
        if (Draws < 4) return null;
        var names = _columns.Names.Take(SummaryColumns).Prepend("lp__").ToArray();
        return PosteriorSummary.Compute(names, k => k == 0
            ? _run.Chains.Select(c => c.Samples.Take(Draws).Select(d => d.LogDensity).ToArray()).ToArray()
            : _values.Select(chain => chain.Select(row => row[k - 1]).ToArray()).ToArray(), PosteriorSummary.SuperchainsOf(_run));
    }

    /// <summary>The whole report: heading, table, sampler health and warnings.</summary>
    public string Render(string modelName, string? modelFailureNote)
    {
        var inv = CultureInfo.InvariantCulture;
        var o = _run.Options;
        var sb = new StringBuilder();
        long gradients = _run.Chains.Sum(c => c.GradientEvaluations);
        double seconds = Math.Max(_run.Elapsed.TotalSeconds, 1e-9);
        var metric = SamplerDiagnostics.MetricName(o.Metric);
        string sampler = o.Algorithm == SamplerAlgorithm.Chees
            ? string.Format(inv, "ChEES-HMC ({0} superchains, harmonic-mean acceptance target {1}, {2}; ESS pooled over all chains)",
                o.Superchains ?? o.Chains, o.AdaptDelta, metric)
            : o.Algorithm == SamplerAlgorithm.Meads
            ? string.Format(inv, "MEADS generalised HMC ({0} superchains, {1} folds, a draw every {2} steps, {3}; ESS pooled over all chains)",
                o.Superchains ?? o.Chains, o.MeadsFolds, o.MeadsStepsPerDraw, metric)
            : string.Format(inv, "NUTS (max depth {0}, adapt delta {1}, {2})", o.MaxTreeDepth, o.AdaptDelta, metric);
        sb.AppendLine(string.Format(inv, "Inference for {0}: {1} chains, {2} warm-up + {3} sampling iterations each, seed {4}, {5}.",
            modelName, o.Chains, o.NumWarmup, o.NumSamples, o.Seed, sampler));
        sb.AppendLine(string.Format(inv, "{0} draws per chain summarised; {1:F1} s, {2} gradient evaluations ({3:F0}/s) in {4} batched calls.",
            Draws, seconds, gradients, gradients / seconds, _run.BatchedCalls));
        if (_run.StopReason != StopReason.Completed)
            sb.AppendLine(_run.StopReason == StopReason.Cancelled
                ? "Interrupted: the summary covers the draws made before the interruption."
                : "Stopped at the time limit: the summary covers the draws made before it.");
        sb.AppendLine();
        var summary = Summary();
        if (summary is null)
        {
            sb.AppendLine("Too few post-warm-up draws for a summary (at least 4 per chain are needed).");
            return sb.ToString();
        }
        sb.Append(summary.Render());
        if (SummaryColumns < _columns.Names.Count)
            sb.AppendLine(string.Format(inv, "({0} further latent elements are left out of the table; they are in the CSV files and draws.npz.)",
                _columns.Names.Count - SummaryColumns));
        sb.AppendLine();
        sb.Append(SamplerDiagnostics.Render(SamplerDiagnostics.Assess(_run), o.MaxTreeDepth));
        foreach (var line in ConvergenceWarnings.For(summary, _run.Chains.Count, o.IsManyChain)) sb.AppendLine(line);
        foreach (var c in _run.Chains)
            foreach (var message in c.Messages.Distinct())
                sb.AppendLine($"Note (chain {c.ChainId}): {message}");
        if (modelFailureNote is not null) sb.AppendLine(modelFailureNote);
        return sb.ToString();
    }

    /// <summary>Writes the corner plot of the chosen param columns, pooled over chains; false when there is nothing to plot.</summary>
    public (bool Written, Ppl.Runtime.IO.DataFileResult? Result) WriteCornerPlot(string path, string title)
    {
        if (Draws < 2 || CornerColumns.Count == 0) return (false, null);
        int rows = _values.Length * Draws;
        var samples = new double[rows, CornerColumns.Count];
        int r = 0;
        foreach (var chain in _values)
            foreach (var row in chain)
            {
                for (int j = 0; j < CornerColumns.Count; j++) samples[r, j] = row[CornerColumns[j]];
                r++;
            }
        var names = CornerColumns.Select(k => _columns.Names[k]).ToArray();
        var result = CornerPlot.Write(path, new[] { new SampleSet(_run.Options.Algorithm switch { SamplerAlgorithm.Chees => "ChEES", SamplerAlgorithm.Meads => "MEADS", _ => "NUTS" }, samples) }, names,
            new CornerPlotOptions { Title = title, ShowLegend = false });
        return (true, result);
    }

    /// <summary>
    /// Writes the trace and rank plots of the corner plot's columns (per chain) and the energy plot to
    /// <paramref name="directory"/>; the names of the files written and the first failure.
    /// </summary>
    public (List<string> Written, Ppl.Runtime.IO.DataFileResult? Failure) WriteChainPlots(string directory, string title)
    {
        var written = new List<string>();
        if (Draws < 2 || CornerColumns.Count == 0) return (written, null);
        // Per-chain figures of hundreds of chains (ChEES) would be unreadable and slow: they show the first few chains.
        int shown = _values.Length > MaxPlottedChains ? PlottedChainsOfMany : _values.Length;
        if (shown < _values.Length) title += $" (chains 1–{shown} of {_values.Length})";
        var draws = new ChainDraws(CornerColumns.Select(k => _columns.Names[k]).ToArray(),
            _values.Take(shown).Select(chain => chain.Select(row => CornerColumns.Select(k => row[k]).ToArray()).ToArray()).ToArray());
        var energy = _run.Chains.Take(shown).Select(c => (IReadOnlyList<double>)c.Samples.Take(Draws).Select(d => d.Energy).ToArray()).ToList();
        foreach (var (file, image) in new (string, Func<PlotImage>)[]
        {
            (TraceFile, () => TracePlot.Render(draws, title)),
            (RankFile, () => RankPlot.Render(draws, title)),
            (EnergyFile, () => EnergyPlot.Render(energy, title)),
        })
        {
            var result = image().Write(Path.Combine(directory, file));
            if (!result.Succeeded) return (written, result);
            written.Add(file);
        }
        return (written, null);
    }

    /// <summary>Runs of more chains than this plot only the first <see cref="PlottedChainsOfMany"/> in the per-chain figures.</summary>
    public const int MaxPlottedChains = 16, PlottedChainsOfMany = 8;

    /// <summary>The file names of the chain plots.</summary>
    public const string TraceFile = "trace.png", RankFile = "rank.png", EnergyFile = "energy.png";

    /// <summary>
    /// Every param gets the same number of panels k (fewer if it has fewer elements), with k as large as the panel limit
    /// allows, so that one long vector does not crowd out the scalars.
    /// </summary>
    private static List<int> ChooseCornerColumns(IReadOnlyList<int> paramSizes)
    {
        int perParam = 0;
        int max = paramSizes.Count == 0 ? 0 : paramSizes.Max();
        while (perParam < max && paramSizes.Sum(s => Math.Min(s, perParam + 1)) <= MaxCornerPanels) perParam++;
        var chosen = new List<int>();
        int offset = 0;
        foreach (var size in paramSizes)
        {
            for (int i = 0; i < Math.Min(size, perParam); i++) chosen.Add(offset + i);
            offset += size;
        }
        if (chosen.Count == 0)
        {
            // More scalar params than panels: the first ones.
            offset = 0;
            foreach (var size in paramSizes.Take(MaxCornerPanels))
            {
                chosen.Add(offset);
                offset += size;
            }
        }
        return chosen;
    }
}
