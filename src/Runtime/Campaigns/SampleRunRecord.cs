using System.Text.Json;
using System.Text.Json.Serialization;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Campaigns;

/// <summary>One chain of a sampling run as the run record keeps it: what the summary needs besides the draws.</summary>
public sealed record SampleRunChain(int Id, int Draws, int WarmupDivergences, double StepSize, double InverseMetricMin, double InverseMetricMax);

/// <summary>
/// <c>run.json</c> in a `ppl sample` folder: the model's hash, the seed, the chain ids, and every setting that changes
/// the draws, so that runs of separate chains (<c>--chain-offset</c>) can be checked and merged (`ppl merge`) or
/// summarised together (`ppl summary DIR...`).
/// </summary>
public sealed record SampleRunRecord
{
    public const string FileName = "run.json";

    public const string FormatTag = "ppl-sample-run/1";

    public string Format { get; init; } = FormatTag;

    public required string Model { get; init; }

    public required string ModelHash { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>The id of the first chain (1 + the chain offset).</summary>
    public required int FirstChain { get; init; }

    /// <summary>Post-warm-up draws per chain in <c>draws.npz</c> (the shortest chain's count).</summary>
    public required int DrawsPerChain { get; init; }

    public required int MaxTreeDepth { get; init; }

    public required string Metric { get; init; }

    public required string StopReason { get; init; }

    /// <summary>Settings compared key by key when runs are merged.</summary>
    public required SortedDictionary<string, string> Settings { get; init; }

    public required IReadOnlyList<SampleRunChain> Chains { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public DataFileResult Write(string folder) =>
        DataFileAccess.WriteAtomically(Path.Combine(folder, FileName), stream =>
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.WriteByte((byte)'\n');
        });

    /// <summary>Reads the record of a `ppl sample` folder.</summary>
    public static DataFileResult<SampleRunRecord> Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return Fail(path, DiagnosticCatalogue.FileNotFound, "no run record: not the output folder of `ppl sample`, or of one that did not finish writing");
        try
        {
            var record = JsonSerializer.Deserialize<SampleRunRecord>(File.ReadAllText(path), Json);
            if (record is null || record.Format != FormatTag || record.Chains is null || record.Settings is null || record.Chains.Count == 0 || record.FirstChain < 1)
                return Fail(path, DiagnosticCatalogue.NotAShard, $"not a sampling run record (expected format '{FormatTag}')");
            return DataFileResult<SampleRunRecord>.Success(record);
        }
        catch (JsonException e)
        {
            return Fail(path, DiagnosticCatalogue.NotAShard, "not a sampling run record: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(path, DiagnosticCatalogue.InputOutputFailure, "cannot read the file: " + e.Message);
        }
    }

    private static DataFileResult<SampleRunRecord> Fail(string path, string code, string message) =>
        DataFileResult<SampleRunRecord>.Failure(new DataFileError(code, message, path));
}
