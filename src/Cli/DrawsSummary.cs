using System.Globalization;
using System.Text;
using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.IO;

namespace Ppl.Cli;

/// <summary>
/// The summary of sampling runs read back from their folders (<c>draws.npz</c> and <c>run.json</c>): the Stan-like table
/// (R̂, bulk/tail ESS, MCSE) over every chain of every run, the chains' health and the warnings — what `ppl sample`
/// prints for one run, for chains that ran as separate processes.
/// </summary>
public static class DrawsSummary
{
    private static readonly HashSet<string> Statistics = new(StringComparer.Ordinal)
    {
        "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "unconstrained__",
    };

    /// <summary>The summary text, or the errors reading the draws.</summary>
    public static DataFileResult<string> Render(SampleRunSet set)
    {
        var inv = CultureInfo.InvariantCulture;
        var names = new List<string> { "lp__" };
        var columns = new List<List<double[]>> { new() };
        var health = new List<ChainHealth>();
        bool firstRun = true;
        foreach (var (folder, record) in set.Runs)
        {
            var read = NpzReader.ReadAll(Path.Combine(folder, "draws.npz"));
            if (!read.Succeeded) return DataFileResult<string>.Failure(read.Errors);
            var arrays = read.Value;
            if (!arrays.TryGetValue("lp__", out var lpArray) || lpArray.Rank != 2 || lpArray.Shape[0] != record.Chains.Count)
                return DataFileResult<string>.Failure(new DataFileError(DiagnosticCatalogue.NotAShard,
                    $"draws.npz does not hold the {record.Chains.Count} chains its run record lists", folder));
            int chains = (int)lpArray.Shape[0], draws = (int)lpArray.Shape[1];
            double[] Chain(double[] flat, int c, int size, int element) =>
                Enumerable.Range(0, draws).Select(i => flat[((long)c * draws + i) * size + element]).ToArray();
            var lp = lpArray.ToDoubleArray();
            for (int c = 0; c < chains; c++) columns[0].Add(Chain(lp, c, 1, 0));
            int column = 1;
            foreach (var (name, array) in arrays)
            {
                if (Statistics.Contains(name) || array.Rank < 2) continue;
                var shape = array.Shape.Skip(2).Select(n => (int)n).ToArray();
                var flat = array.ToDoubleArray();
                int size = shape.Aggregate(1, (a, b) => a * b);
                var order = StanColumnNames.ColumnMajorToRowMajor(shape);
                var elementNames = StanColumnNames.For(name, shape);
                for (int k = 0; k < order.Length; k++, column++)
                {
                    if (firstRun)
                    {
                        names.Add(elementNames[k]);
                        columns.Add(new List<double[]>());
                    }
                    else if (column >= names.Count || names[column] != elementNames[k])
                        return DataFileResult<string>.Failure(new DataFileError(DiagnosticCatalogue.ShardMismatch, "draws.npz has other columns than the first run's", folder));
                    for (int c = 0; c < chains; c++) columns[column].Add(Chain(flat, c, size, order[k]));
                }
            }
            firstRun = false;
            double[] Stat(string name, int c) => arrays.TryGetValue(name, out var a) ? Chain(a.ToDoubleArray(), c, 1, 0) : new double[draws];
            for (int c = 0; c < chains; c++)
            {
                var chain = record.Chains[c];
                var depth = Stat("treedepth__", c);
                health.Add(new ChainHealth(chain.Id, draws, (int)Stat("divergent__", c).Sum(), chain.WarmupDivergences,
                    depth.Count(d => d >= record.MaxTreeDepth), SamplerDiagnostics.EBfmi(Stat("energy__", c)),
                    draws > 0 ? Stat("accept_stat__", c).Average() : double.NaN, chain.StepSize, MetricOf(record.Metric),
                    new[] { chain.InverseMetricMin, chain.InverseMetricMax }, draws > 0 ? Stat("n_leapfrog__", c).Average() : double.NaN));
            }
        }

        var first = set.Runs[0].Record;
        var sb = new StringBuilder();
        sb.AppendLine(string.Format(inv, "Inference for {0}: {1} chains ({2}) from {3} run{4}, seed {5}, {6} draws per chain.",
            first.Model, set.ChainCount, string.Join(", ", set.Runs.Select(r => Range(r.Record))), set.Runs.Count, set.Runs.Count == 1 ? "" : "s",
            first.Seed, first.DrawsPerChain));
        sb.AppendLine();
        if (first.DrawsPerChain < 4)
        {
            sb.AppendLine("Too few post-warm-up draws for a summary (at least 4 per chain are needed).");
            return DataFileResult<string>.Success(sb.ToString());
        }
        var summary = PosteriorSummary.Compute(names, k => columns[k]);
        sb.Append(summary.Render());
        sb.AppendLine();
        sb.Append(SamplerDiagnostics.Render(health, first.MaxTreeDepth));
        foreach (var line in ConvergenceWarnings.For(summary, set.ChainCount)) sb.AppendLine(line);
        return DataFileResult<string>.Success(sb.ToString());
    }

    private static string Range(SampleRunRecord r) =>
        r.Chains.Count == 1 ? $"chain {r.FirstChain}" : $"chains {r.FirstChain}–{r.FirstChain + r.Chains.Count - 1}";

    private static MetricKind MetricOf(string name) => name switch
    {
        "unit_e" => MetricKind.Unit,
        "diag_e" => MetricKind.Diagonal,
        _ => MetricKind.Dense,
    };
}
