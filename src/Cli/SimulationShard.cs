using System.Globalization;
using Ppl.Runtime.Campaigns;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// `ppl simulate --shard K/N`: which simulations this process runs, the shard's file names, the record (manifest entry)
/// written beside the finished shard, and the resumption check (a shard whose record and checksum agree is skipped).
/// </summary>
public sealed class SimulationShard
{
    private SimulationShard(ShardPlan plan, int index, string dataFile)
    {
        Plan = plan;
        Index = index;
        DataFile = dataFile;
        (First, Count) = plan.Range(index);
    }

    public ShardPlan Plan { get; }

    public int Index { get; }

    public long First { get; }

    public long Count { get; }

    /// <summary>The shard's data file (<c>sims.shard-03-of-16.npz</c> for <c>-o sims.npz</c>).</summary>
    public string DataFile { get; }

    public string RecordFile => ShardPlan.RecordFile(DataFile);

    /// <summary>Parses --shard against the run's size and chunk; null with the usage message when it does not fit.</summary>
    public static (SimulationShard? Shard, string? Error) Parse(string text, long total, long chunk, string output)
    {
        var (k, n, error) = ShardPlan.ParseShard(text);
        if (error is not null) return (null, error);
        if (!output.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            return (null, $"--shard writes .npz shards named after -o; give -o NAME.npz, not '{output}'");
        var plan = new ShardPlan(total, chunk, n);
        if (plan.Problem() is { } problem) return (null, $"--shard {text}: {problem}");
        return (new SimulationShard(plan, k, ShardPlan.ShardFile(output, k, n)), null);
    }

    /// <summary>The settings that change a simulation's values or file, as the record stores them.</summary>
    public static SortedDictionary<string, string> Settings(Model model, string score, IReadOnlySet<string>? record, bool compress,
        IReadOnlyDictionary<string, DataInput> inputs) => new(StringComparer.Ordinal)
        {
            ["real"] = model.RealType == ScalarType.Float64 ? "float64" : "float32",
            ["device"] = model.Device.type.ToString().ToLowerInvariant(),
            ["score"] = score,
            ["record"] = record is null ? "all" : record.Count == 0 ? "none" : string.Join(",", record.Order(StringComparer.Ordinal)),
            ["compress"] = compress ? "deflate" : "stored",
            ["inputs"] = InputFingerprint.Of(inputs),
        };

    /// <summary>The record of this shard, without the data file's facts (filled in once it is written).</summary>
    public ShardRecord Expected(string modelName, string modelFile, string modelHash, ulong seed, SortedDictionary<string, string> settings) => new()
    {
        Model = modelName,
        ModelFile = modelFile,
        ModelHash = modelHash,
        Seed = seed,
        Total = Plan.Total,
        Chunk = Plan.Chunk,
        Shard = Index,
        Shards = Plan.Shards,
        First = First,
        Count = Count,
        Settings = settings,
        File = Path.GetFileName(DataFile),
        Bytes = 0,
        Sha256 = "",
        Arrays = Array.Empty<ShardArray>(),
    };

    /// <summary>What to do given what is on disk: simulate, skip (already complete), or refuse (another run's shard
    /// has this name), with the message to print.</summary>
    public (ShardState State, string? Message, DataFileError? Error) Existing(ShardRecord expected)
    {
        if (!File.Exists(RecordFile)) return (ShardState.Simulate, null, null);
        var read = ShardRecord.Read(RecordFile);
        if (!read.Succeeded) return (ShardState.Simulate, $"{RecordFile}: unreadable record ({read.Errors[0].Message}); simulating the shard again", null);
        var existing = read.Value;
        var differences = ShardSet.Differences(existing, expected).Where(d => !d.StartsWith("arrays ", StringComparison.Ordinal)).ToList();
        if (existing.Shard != expected.Shard) differences.Add($"shard {expected.Shard} here, {existing.Shard} there");
        if (differences.Count > 0)
            return (ShardState.Refuse, null, new DataFileError(DiagnosticCatalogue.ForeignShard,
                $"a shard of another run is in the way ({string.Join("; ", differences)}); remove it and its data file, or write this run elsewhere with -o", RecordFile));
        if (ShardSet.VerifyData(RecordFile, existing) is { } bad)
            return (ShardState.Simulate, $"{bad.Path}: {bad.Message.Split(';')[0]}; simulating the shard again", null);
        return (ShardState.Skip, string.Format(CultureInfo.InvariantCulture,
            "shard {0}/{1} (simulations {2}) is already complete in {3} (SHA-256 verified); skipped",
            Index, Plan.Shards, ShardSet.Span(First, Count), DataFile), null);
    }

    /// <summary>Rows [First, First + Count) of conditioning values given per simulation for the whole run (leading
    /// dimension Total); other values pass through.</summary>
    public Dictionary<string, DataInput> Slice(Dictionary<string, DataInput> conditioning, Model model)
    {
        var result = new Dictionary<string, DataInput>();
        foreach (var (name, input) in conditioning)
        {
            var site = model.Sites.FirstOrDefault(s => s.Name == name);
            bool perSimulation = site is not null && input.Shape.Length == site.Shape.Length + 1 && input.Shape[0] == Plan.Total;
            result[name] = perSimulation ? input with { Value = input.Value.narrow(0, First, Count) } : input;
        }
        return result;
    }

    /// <summary>Completes the record with the data file's size, checksum and arrays, and writes it.</summary>
    public DataFileResult WriteRecord(ShardRecord expected, IEnumerable<KeyValuePair<string, Tensor>> arrays)
    {
        try
        {
            var record = expected with
            {
                Bytes = new FileInfo(DataFile).Length,
                Sha256 = FileChecksum.Sha256(DataFile),
                Arrays = arrays.Select(a => new ShardArray(a.Key, NpyDType.For(a.Value.dtype).Descr, a.Value.shape)).ToList(),
            };
            return record.Write(RecordFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DataFileResult.Failure(new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot read the shard back: " + e.Message, DataFile));
        }
    }
}

/// <summary>What `ppl simulate --shard` does with a shard found on disk.</summary>
public enum ShardState
{
    Simulate,
    Skip,
    Refuse,
}
