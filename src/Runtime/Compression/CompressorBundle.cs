using System.Text.Json;
using System.Text.Json.Nodes;
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
    private static JsonSerializerOptions JsonOptions => BundleArchive.JsonOptions;

    /// <summary>Writes a trained compressor to <paramref name="path"/> (replacing an existing file).</summary>
    public static SbiResult<string> Save(MapCompressor compressor, CompressorRecord record, string modelHash, TrainingOptions options,
        TrainingReport? report, string path)
    {
        var (weightBytes, weights) = BundleWeights.Write(compressor, BundleArchive.WeightsEntry);
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
        if (BundleArchive.Write(path, manifest, weightBytes) is { } writeError) return writeError;
        return SbiResult<string>.Success(path);
    }

    /// <summary>
    /// Loads a compressor bundle. With <paramref name="expectedModelHash"/>, a compressor trained for another model (a
    /// different hash) is refused.
    /// </summary>
    public static SbiResult<TrainedCompressor> Load(string path, string? expectedModelHash, Device? device = null)
    {
        var read = BundleArchive.Read(path, "compressor");
        if (!read.IsSuccess) return read.Error;
        var (manifest, weightBytes) = read.Value;
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
    public static bool IsCompressor(string path) => BundleArchive.FormatOf(path) == Format;

    private static SbiError Invalid(string path, string why) => BundleArchive.Invalid(path, "compressor", why);

    private static JsonArray Values(Tensor t) => BundleArchive.Values(t);
}
