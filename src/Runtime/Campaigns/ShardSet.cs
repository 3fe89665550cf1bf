using System.Globalization;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Campaigns;

/// <summary>
/// A complete, consistent set of shards ready to be joined: one record per shard of one run, in shard order, every
/// simulation index exactly once, every data file as its record describes it. <see cref="Check"/> finds every reason
/// a set is not that, so `ppl merge` reports them all before writing anything.
/// </summary>
public sealed class ShardSet
{
    private ShardSet(IReadOnlyList<(string Path, ShardRecord Record)> shards) => Shards = shards;

    /// <summary>The records with their paths, in shard order.</summary>
    public IReadOnlyList<(string Path, ShardRecord Record)> Shards { get; }

    public ShardRecord First => Shards[0].Record;

    /// <summary>The data file of a shard (its record names it relative to the record's folder).</summary>
    public static string DataFile(string recordPath, ShardRecord record) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(recordPath)) ?? "", record.File);

    /// <summary>Checks records read from <paramref name="recordPaths"/>: they agree on the run, cover every simulation
    /// once, and (with <paramref name="verifyData"/>) their data files have the recorded size and SHA-256.</summary>
    public static DataFileResult<ShardSet> Check(IReadOnlyList<string> recordPaths, bool verifyData = true)
    {
        var errors = new List<DataFileError>();
        var read = new List<(string Path, ShardRecord Record)>();
        foreach (var path in recordPaths)
        {
            var record = ShardRecord.Read(path);
            if (record.Succeeded) read.Add((path, record.Value));
            else errors.AddRange(record.Errors);
        }
        if (errors.Count > 0) return DataFileResult<ShardSet>.Failure(errors);
        if (read.Count == 0)
            return DataFileResult<ShardSet>.Failure(new DataFileError(DiagnosticCatalogue.ShardsMissing, "no shards to merge", ""));

        var (firstPath, first) = read[0];
        foreach (var (path, record) in read.Skip(1))
            foreach (var difference in Differences(first, record))
                errors.Add(new DataFileError(DiagnosticCatalogue.ShardMismatch,
                    $"{difference}: the shards come from different runs and cannot be merged (compared with {firstPath})", path));
        if (errors.Count > 0) return DataFileResult<ShardSet>.Failure(errors);

        var plan = new ShardPlan(first.Total, first.Chunk, first.Shards);
        foreach (var group in read.GroupBy(r => r.Record.Shard).Where(g => g.Count() > 1))
        {
            var (a, n) = plan.Range(group.Key);
            errors.Add(new DataFileError(DiagnosticCatalogue.ShardGivenTwice,
                string.Format(CultureInfo.InvariantCulture, "shard {0}/{1} (simulations {2}) is given {3} times: {4}",
                    group.Key, plan.Shards, Span(a, n), group.Count(), string.Join(", ", group.Select(g => g.Path))), group.First().Path));
        }
        foreach (var (path, record) in read)
        {
            var (a, n) = plan.Range(record.Shard);
            if (record.First != a || record.Count != n)
                errors.Add(new DataFileError(DiagnosticCatalogue.NotAShard,
                    $"shard {record.Shard}/{record.Shards} should hold simulations {Span(a, n)} but its record says {Span(record.First, record.Count)}", path));
        }
        var present = read.Select(r => r.Record.Shard).ToHashSet();
        var missing = Enumerable.Range(0, plan.Shards).Where(k => !present.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            var listed = missing.Take(10).Select(k => { var (a, n) = plan.Range(k); return $"{k} ({Span(a, n)})"; });
            errors.Add(new DataFileError(DiagnosticCatalogue.ShardsMissing,
                string.Format(CultureInfo.InvariantCulture, "{0} of {1} shards missing: {2}{3}; every simulation 0..{4} must appear once",
                    missing.Count, plan.Shards, string.Join(", ", listed), missing.Count > 10 ? ", …" : "", plan.Total - 1),
                Path.GetDirectoryName(read[0].Path) ?? ""));
        }
        if (errors.Count > 0) return DataFileResult<ShardSet>.Failure(errors);

        if (verifyData)
            foreach (var (path, record) in read)
                if (VerifyData(path, record) is { } bad) errors.Add(bad);
        if (errors.Count > 0) return DataFileResult<ShardSet>.Failure(errors);
        return DataFileResult<ShardSet>.Success(new ShardSet(read.OrderBy(r => r.Record.Shard).ToList()));
    }

    /// <summary>Null when the shard's data file has the recorded size and SHA-256, else the error.</summary>
    public static DataFileError? VerifyData(string recordPath, ShardRecord record)
    {
        var file = DataFile(recordPath, record);
        try
        {
            if (!File.Exists(file))
                return new DataFileError(DiagnosticCatalogue.FileNotFound, $"the data file of shard {record.Shard}/{record.Shards} is missing", file);
            long length = new FileInfo(file).Length;
            if (length != record.Bytes)
                return new DataFileError(DiagnosticCatalogue.ShardChecksumMismatch,
                    $"{length} bytes, but its record says {record.Bytes}: the file was truncated or changed after the shard finished; rerun shard {record.Shard}/{record.Shards}", file);
            if (FileChecksum.Sha256(file) != record.Sha256)
                return new DataFileError(DiagnosticCatalogue.ShardChecksumMismatch,
                    $"SHA-256 differs from its record: the file was changed after the shard finished; rerun shard {record.Shard}/{record.Shards}", file);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot read the file: " + e.Message, file);
        }
    }

    /// <summary>What differs between two shards' runs, in words ("seed 1 here, 2 there").</summary>
    public static IEnumerable<string> Differences(ShardRecord a, ShardRecord b)
    {
        if (a.ModelHash != b.ModelHash) yield return $"model {b.Model} (hash {Short(b.ModelHash)}) here, {a.Model} (hash {Short(a.ModelHash)}) there";
        if (a.Seed != b.Seed) yield return $"seed {b.Seed} here, {a.Seed} there";
        if (a.Total != b.Total) yield return $"a run of {b.Total} simulations here, {a.Total} there";
        if (a.Chunk != b.Chunk) yield return $"chunks of {b.Chunk} here, {a.Chunk} there";
        if (a.Shards != b.Shards) yield return $"{b.Shards} shards here, {a.Shards} there";
        foreach (var key in a.Settings.Keys.Union(b.Settings.Keys).Order(StringComparer.Ordinal))
        {
            var x = a.Settings.GetValueOrDefault(key, "(none)");
            var y = b.Settings.GetValueOrDefault(key, "(none)");
            if (x != y) yield return $"{key} {y} here, {x} there";
        }
        var arraysA = string.Join(", ", a.Arrays.Select(Layout));
        var arraysB = string.Join(", ", b.Arrays.Select(Layout));
        if (arraysA != arraysB) yield return $"arrays {arraysB} here, {arraysA} there";
    }

    private static string Layout(ShardArray array) => $"{array.Name} {array.DType} [*, {string.Join(", ", array.Shape.Skip(1))}]";

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    /// <summary>"200–299" (or "none").</summary>
    public static string Span(long first, long count) =>
        count == 0 ? "none" : count == 1 ? first.ToString(CultureInfo.InvariantCulture) : string.Format(CultureInfo.InvariantCulture, "{0}–{1}", first, first + count - 1);
}
