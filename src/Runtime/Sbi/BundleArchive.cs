using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// The <c>.pplz</c> container shared by estimator and compressor bundles: a zip of <c>manifest.json</c> and
/// <c>weights.bin</c>. Writing goes to a temporary name that is moved into place, so a failed save never leaves a
/// half-written bundle; reading returns the manifest and the weight bytes, or an error value naming the file.
/// </summary>
internal static class BundleArchive
{
    public const string ManifestEntry = "manifest.json";
    public const string WeightsEntry = "weights.bin";

    /// <summary>How manifests are written and read (validation losses are NaN when training had no validation split).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the bundle atomically (replacing an existing file); null on success.</summary>
    public static SbiError? Write(string path, JsonObject manifest, byte[] weights)
    {
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
                    entry.Write(weights);
            }
            File.Move(temporary, full, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            return new SbiError(SbiError.BundleIo, $"Cannot write {path}: {e.Message}");
        }
    }

    /// <summary>Reads the manifest and the weight bytes of the bundle at <paramref name="path"/>; <paramref name="kind"/>
    /// ("estimator", "compressor") names the bundle in messages.</summary>
    public static SbiResult<(JsonObject Manifest, byte[] Weights)> Read(string path, string kind)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var manifestEntry = zip.GetEntry(ManifestEntry);
            var weightsEntry = zip.GetEntry(WeightsEntry);
            if (manifestEntry is null || weightsEntry is null)
                return Invalid(path, kind, $"it lacks {(manifestEntry is null ? ManifestEntry : WeightsEntry)}");
            JsonObject manifest;
            using (var reader = new StreamReader(manifestEntry.Open()))
                manifest = JsonNode.Parse(reader.ReadToEnd()) as JsonObject ?? throw new JsonException("The manifest is not a JSON object.");
            using var weights = new MemoryStream();
            using (var stream = weightsEntry.Open()) stream.CopyTo(weights);
            return SbiResult<(JsonObject, byte[])>.Success((manifest, weights.ToArray()));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new SbiError(SbiError.BundleIo, $"No {kind} bundle at {path}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SbiError(SbiError.BundleIo, $"Cannot read {path}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            return Invalid(path, kind, e.Message);
        }
    }

    /// <summary>The format recorded in a bundle's manifest, or null when the file is not a readable bundle.</summary>
    public static string? FormatOf(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(ManifestEntry);
            if (entry is null) return null;
            using var reader = new StreamReader(entry.Open());
            return (string?)(JsonNode.Parse(reader.ReadToEnd()) as JsonObject)?["format"];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The error for a file that is not a valid bundle of its kind.</summary>
    public static SbiError Invalid(string path, string kind, string why) =>
        new(SbiError.BundleInvalid, $"{path} is not a valid {kind} bundle: {why}.");

    /// <summary>A tensor's values as a JSON array of doubles (standardisation statistics).</summary>
    public static JsonArray Values(Tensor t)
    {
        using var cpu = t.detach().to(ScalarType.Float64, CPU).contiguous();
        return new JsonArray(cpu.data<double>().ToArray().Select(v => (JsonNode)v).ToArray());
    }
}
