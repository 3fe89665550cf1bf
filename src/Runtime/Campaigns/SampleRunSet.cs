using Ppl.Runtime.IO;

namespace Ppl.Runtime.Campaigns;

/// <summary>
/// Sampling runs of one model, seed and settings whose chains together are chains 1..C, each exactly once — what
/// `ppl merge` and `ppl summary` need to treat separate processes' chains as one run.
/// </summary>
public sealed class SampleRunSet
{
    private SampleRunSet(IReadOnlyList<(string Folder, SampleRunRecord Record)> runs) => Runs = runs;

    /// <summary>The runs in chain order.</summary>
    public IReadOnlyList<(string Folder, SampleRunRecord Record)> Runs { get; }

    public int ChainCount => Runs.Sum(r => r.Record.Chains.Count);

    public static DataFileResult<SampleRunSet> Check(IReadOnlyList<string> folders)
    {
        var errors = new List<DataFileError>();
        var runs = new List<(string Folder, SampleRunRecord Record)>();
        foreach (var folder in folders)
        {
            var read = SampleRunRecord.Read(folder);
            if (read.Succeeded) runs.Add((folder, read.Value));
            else errors.AddRange(read.Errors);
        }
        if (errors.Count > 0) return DataFileResult<SampleRunSet>.Failure(errors);
        var (firstFolder, first) = runs[0];
        foreach (var (folder, run) in runs.Skip(1))
            foreach (var d in Differences(first, run))
                errors.Add(new DataFileError(DiagnosticCatalogue.ShardMismatch, $"{d}: the runs cannot be combined (compared with {firstFolder})", folder));
        if (errors.Count > 0) return DataFileResult<SampleRunSet>.Failure(errors);

        var owner = new Dictionary<int, string>();
        foreach (var (folder, run) in runs)
            foreach (var chain in run.Chains)
                if (!owner.TryAdd(chain.Id, folder))
                    errors.Add(new DataFileError(DiagnosticCatalogue.ShardGivenTwice, $"chain {chain.Id} is also in {owner[chain.Id]}: every chain must appear once (give each process its own --chain-offset)", folder));
        int last = owner.Keys.Max();
        var missing = Enumerable.Range(1, last).Where(id => !owner.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            errors.Add(new DataFileError(DiagnosticCatalogue.ShardsMissing,
                $"chain{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")} of 1..{last} missing", firstFolder));
        if (errors.Count > 0) return DataFileResult<SampleRunSet>.Failure(errors);
        return DataFileResult<SampleRunSet>.Success(new SampleRunSet(runs.OrderBy(r => r.Record.FirstChain).ToList()));
    }

    private static IEnumerable<string> Differences(SampleRunRecord a, SampleRunRecord b)
    {
        if (a.ModelHash != b.ModelHash) yield return $"model {b.Model} (hash {b.ModelHash}) here, {a.Model} (hash {a.ModelHash}) there";
        if (a.Seed != b.Seed) yield return $"seed {b.Seed} here, {a.Seed} there";
        if (a.DrawsPerChain != b.DrawsPerChain) yield return $"{b.DrawsPerChain} draws per chain here, {a.DrawsPerChain} there";
        if (a.MaxTreeDepth != b.MaxTreeDepth) yield return $"max depth {b.MaxTreeDepth} here, {a.MaxTreeDepth} there";
        foreach (var key in a.Settings.Keys.Union(b.Settings.Keys).Order(StringComparer.Ordinal))
        {
            var x = a.Settings.GetValueOrDefault(key, "(none)");
            var y = b.Settings.GetValueOrDefault(key, "(none)");
            if (x != y) yield return $"{key} {y} here, {x} there";
        }
    }
}
