using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// Saves and loads compressors as <c>.pplz</c> files, laid out like estimator bundles: a zip of <c>manifest.json</c>
/// (format "ppl-compressor", the network's architecture and seed, the model hash and <see cref="CompressorRecord"/>, the
/// training settings and report, the map and θ standardisation, the weight table with its SHA-256) and
/// <c>weights.bin</c>. The file is written to a temporary name and moved into place, so a failed save leaves nothing
/// half-written. Loading refuses another model's compressor and an estimator bundle with error values.
/// </summary>
public static class CompressorBundle
{
    public const string Format = "ppl-compressor";
    public const int FormatVersion = 1;
    private const string ManifestEntry = "manifest.json";
    private const string WeightsEntry = "weights.bin";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes a trained compressor to <paramref name="path"/> (replacing an existing file).</summary>
    public static SbiResult<string> Save(MapCompressor compressor, CompressorRecord record, string modelHash, TrainingOptions options,
        TrainingReport? report, string path)
    {
        var (weightBytes, weights) = BundleWeights.Write(compressor, WeightsEntry);
        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = FormatVersion,
            ["modelHash"] = modelHash,
            ["record"] = JsonSerializer.SerializeToNode(record, JsonOptions),
            ["seed"] = compressor.Seed,
            ["architecture"] = JsonSerializer.SerializeToNode(compressor.Architecture, JsonOptions),
            ["training"] = JsonSerializer.SerializeToNode(options.Describe(), JsonOptions),
            ["report"] = report is null ? null : JsonSerializer.SerializeToNode(report, JsonOptions),
            ["normalisation"] = new JsonObject
            {
                ["mapMean"] = Values(compressor.MapStandardizer.Mean),
                ["mapStd"] = Values(compressor.MapStandardizer.Std),
                ["thetaMean"] = Values(compressor.ThetaStandardizer.Mean),
                ["thetaStd"] = Values(compressor.ThetaStandardizer.Std),
            },
            ["weights"] = weights,
        };
        var full = Path.GetFullPath(path);
        var temporary = full + ".partial-" + Environment.ProcessId;
        try
        {
            var directory = Path.GetDirectoryName(full);
            if (directory is not null) Directory.CreateDirectory(directory);
            using (var file = File.Create(temporary))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                using (var entry = new StreamWriter(zip.CreateEntry(ManifestEntry).Open()))
                    entry.Write(manifest.ToJsonString(JsonOptions));
                using (var entry = zip.CreateEntry(WeightsEntry, CompressionLevel.Optimal).Open())
                    entry.Write(weightBytes);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            return SbiResult<string>.Failure(SbiError.BundleIo, $"Cannot write {path}: {e.Message}");
        }
        return SbiResult<string>.Success(path);
    }

    /// <summary>
    /// Loads a compressor bundle. With <paramref name="expectedModelHash"/>, a compressor trained for another model (a
    /// different hash) is refused.
    /// </summary>
    public static SbiResult<TrainedCompressor> Load(string path, string? expectedModelHash, Device? device = null)
    {
        JsonObject manifest;
        byte[] weightBytes;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var manifestEntry = zip.GetEntry(ManifestEntry);
            var weightsEntry = zip.GetEntry(WeightsEntry);
            if (manifestEntry is null || weightsEntry is null)
                return Invalid(path, $"it lacks {(manifestEntry is null ? ManifestEntry : WeightsEntry)}");
            using (var reader = new StreamReader(manifestEntry.Open()))
                manifest = JsonNode.Parse(reader.ReadToEnd()) as JsonObject ?? throw new JsonException("The manifest is not a JSON object.");
            using var weights = new MemoryStream();
            using (var stream = weightsEntry.Open()) stream.CopyTo(weights);
            weightBytes = weights.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return SbiResult<TrainedCompressor>.Failure(SbiError.BundleIo, $"No compressor bundle at {path}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SbiResult<TrainedCompressor>.Failure(SbiError.BundleIo, $"Cannot read {path}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            return Invalid(path, e.Message);
        }
        try
        {
            return Restore(path, manifest, weightBytes, expectedModelHash, device ?? CPU);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException
            or KeyNotFoundException or ArgumentException)
        {
            return Invalid(path, "the manifest is malformed: " + e.Message);
        }
    }

    private static SbiResult<TrainedCompressor> Restore(string path, JsonObject manifest, byte[] weightBytes, string? expectedModelHash, Device device)
    {
        var format = (string?)manifest["format"];
        if (format == EstimatorBundle.Format)
            return Invalid(path, "it is an estimator bundle written by `ppl train`, not a compressor (write one with `ppl compress`)");
        if (format != Format) return Invalid(path, "it is not a Ppl compressor bundle");
        int version = (int)manifest["formatVersion"]!;
        if (version > FormatVersion)
            return SbiResult<TrainedCompressor>.Failure(SbiError.BundleVersion,
                $"{path} has compressor format {version}; this version of Ppl reads up to {FormatVersion}.");
        string modelHash = (string?)manifest["modelHash"] ?? "";
        if (EstimatorBundle.CheckModelHash(path, modelHash, expectedModelHash) is { } mismatch) return mismatch;
        var architecture = manifest["architecture"].Deserialize<CompressorArchitecture>(JsonOptions) ?? throw new JsonException("No architecture.");
        var record = manifest["record"].Deserialize<CompressorRecord>(JsonOptions) ?? throw new JsonException("No record.");
        var report = manifest["report"]?.Deserialize<TrainingReport>(JsonOptions);
        if (architecture.Problem() is { } problem) return Invalid(path, "its architecture cannot be built: " + problem);
        var compressor = new MapCompressor(architecture, (ulong)manifest["seed"]!);
        if (BundleWeights.Read(compressor, manifest["weights"]!.AsObject(), weightBytes) is { } unfit)
        {
            compressor.Dispose();
            return Invalid(path, unfit);
        }
        compressor.MoveTo(device);
        compressor.eval();
        return SbiResult<TrainedCompressor>.Success(new TrainedCompressor(compressor, record, modelHash, report, path));
    }

    /// <summary>Whether the file at <paramref name="path"/> is a compressor bundle (its manifest says so).</summary>
    public static bool IsCompressor(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(ManifestEntry);
            if (entry is null) return false;
            using var reader = new StreamReader(entry.Open());
            return (string?)(JsonNode.Parse(reader.ReadToEnd()) as JsonObject)?["format"] == Format;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException)
        {
            return false;
        }
    }

    private static SbiResult<TrainedCompressor> Invalid(string path, string why) =>
        SbiResult<TrainedCompressor>.Failure(SbiError.BundleInvalid, $"{path} is not a valid compressor bundle: {why}.");

    private static JsonArray Values(Tensor t)
    {
        using var cpu = t.detach().to(ScalarType.Float64, CPU).contiguous();
        return new JsonArray(cpu.data<double>().ToArray().Select(v => (JsonNode)v).ToArray());
    }
}
