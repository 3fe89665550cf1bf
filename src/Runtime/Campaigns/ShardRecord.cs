using System.Text.Json;
using System.Text.Json.Serialization;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Campaigns;

/// <summary>One array of a shard: its name, NumPy element type and shape (the first dimension counts simulations).</summary>
public sealed record ShardArray(string Name, [property: JsonPropertyName("dtype")] string DType, long[] Shape);

/// <summary>
/// The manifest entry written beside a finished shard (<c>sims.shard-03-of-16.json</c> beside
/// <c>sims.shard-03-of-16.npz</c>): what produced it — model hash, seed, the run's size, chunk and shard split, every
/// setting that changes the values (<see cref="Settings"/>) — which simulations it holds, and the size and SHA-256 of
/// the data file. It is written last, after the data file is complete and renamed into place, so a shard without a
/// record never finished; `ppl simulate --shard` skips a shard whose record and checksum agree, and `ppl merge` joins
/// only shards whose records agree with each other and with their files.
/// </summary>
public sealed record ShardRecord
{
    /// <summary>The format tag of the record.</summary>
    public const string FormatTag = "ppl-shard/1";

    public string Format { get; init; } = FormatTag;

    public required string Model { get; init; }

    public required string ModelFile { get; init; }

    public required string ModelHash { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>Simulations of the whole run (all shards).</summary>
    public required long Total { get; init; }

    public required long Chunk { get; init; }

    public required int Shard { get; init; }

    public required int Shards { get; init; }

    /// <summary>Global index of the first simulation in this shard.</summary>
    public required long First { get; init; }

    public required long Count { get; init; }

    /// <summary>Everything else that changes the values or the file: real type, device, score, recorded lets, compression,
    /// a hash of the data and conditioning values. Compared key by key by `ppl merge`.</summary>
    public required SortedDictionary<string, string> Settings { get; init; }

    /// <summary>The data file's name (in the record's folder).</summary>
    public required string File { get; init; }

    public required long Bytes { get; init; }

    public required string Sha256 { get; init; }

    public required IReadOnlyList<ShardArray> Arrays { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the record atomically.</summary>
    public DataFileResult Write(string path) =>
        DataFileAccess.WriteAtomically(path, stream =>
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.WriteByte((byte)'\n');
        });

    /// <summary>Reads a record; a missing, unreadable or malformed file is an error naming it.</summary>
    public static DataFileResult<ShardRecord> Read(string path)
    {
        if (!System.IO.File.Exists(path))
            return Fail(path, DiagnosticCatalogue.FileNotFound, "no shard record here: the shard never finished (rerun its `ppl simulate --shard` command), or this is not a shard");
        try
        {
            var text = System.IO.File.ReadAllText(path);
            var record = JsonSerializer.Deserialize<ShardRecord>(text, Json);
            if (record is null || record.Format != FormatTag)
                return Fail(path, DiagnosticCatalogue.NotAShard, $"not a shard record (expected format '{FormatTag}')");
            if (record.Arrays is null || record.Settings is null || record.Shards < 1 || record.Shard < 0 || record.Shard >= record.Shards
                || record.Count < 0 || record.First < 0 || record.Total < 1 || record.Chunk < 1)
                return Fail(path, DiagnosticCatalogue.NotAShard, "the shard record is incomplete or inconsistent");
            return DataFileResult<ShardRecord>.Success(record);
        }
        catch (JsonException e)
        {
            return Fail(path, DiagnosticCatalogue.NotAShard, "not a shard record: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(path, DiagnosticCatalogue.InputOutputFailure, "cannot read the file: " + e.Message);
        }
    }

    private static DataFileResult<ShardRecord> Fail(string path, string code, string message) =>
        DataFileResult<ShardRecord>.Failure(new DataFileError(code, message, path));
}
