using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// The weight file of a <c>.pplz</c> bundle: every parameter and buffer of a module as little-endian float32, in
/// state-dict order, with a JSON table of names, shapes and offsets and the file's SHA-256. Shared by estimator and
/// compressor bundles.
/// </summary>
public static class BundleWeights
{
    /// <summary>The module's weights as bytes, and the manifest's "weights" object describing them.</summary>
    public static (byte[] Bytes, JsonObject Description) Write(nn.Module module, string fileName)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Bundles are written on little-endian machines.");
        var tensors = new JsonArray();
        using var weights = new MemoryStream();
        long offset = 0;
        foreach (var (name, value) in module.state_dict())
        {
            using var cpu = value.detach().to(ScalarType.Float32, CPU).contiguous();
            var data = cpu.data<float>().ToArray();
            var bytes = new byte[data.Length * sizeof(float)];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            weights.Write(bytes);
            tensors.Add(new JsonObject
            {
                ["name"] = name,
                ["shape"] = new JsonArray(value.shape.Select(s => (JsonNode)s).ToArray()),
                ["offset"] = offset,
            });
            offset += data.Length;
        }
        var all = weights.ToArray();
        return (all, new JsonObject
        {
            ["file"] = fileName,
            ["dtype"] = "float32",
            ["sha256"] = Sha256(all),
            ["tensors"] = tensors,
        });
    }

    /// <summary>
    /// Copies the weights described by <paramref name="description"/> from <paramref name="bytes"/> into
    /// <paramref name="module"/> (built from the same architecture); why they do not fit, or null.
    /// </summary>
    public static string? Read(nn.Module module, JsonObject description, byte[] bytes)
    {
        if (Sha256(bytes) != (string?)description["sha256"]) return "the weights do not match their recorded SHA-256 (corrupted file)";
        var state = module.state_dict();
        var entries = description["tensors"]!.AsArray();
        if (entries.Count != state.Count) return $"it holds {entries.Count} weight tensors but the architecture has {state.Count}";
        long available = bytes.Length / sizeof(float);
        using var noGrad = no_grad();
        foreach (var entry in entries)
        {
            string name = (string)entry!["name"]!;
            long offset = (long)entry["offset"]!;
            var shape = entry["shape"]!.AsArray().Select(v => (long)v!).ToArray();
            if (!state.TryGetValue(name, out var target) || !target.shape.SequenceEqual(shape))
                return $"weight tensor '{name}' does not fit the architecture";
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (offset < 0 || offset + count > available) return $"weight tensor '{name}' lies outside the weight file";
            var values = new float[count];
            Buffer.BlockCopy(bytes, (int)(offset * sizeof(float)), values, 0, (int)(count * sizeof(float)));
            using var source = tensor(values).reshape(shape);
            target.copy_(source);
        }
        return null;
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
