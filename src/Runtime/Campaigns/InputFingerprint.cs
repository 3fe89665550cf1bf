using System.Security.Cryptography;
using System.Text;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;

namespace Ppl.Runtime.Campaigns;

/// <summary>
/// A SHA-256 of the values a run was given (data and conditioning: name, element type, shape and bytes of each, in name
/// order), so that shards simulated with different `--data`/`--set` values are told apart without storing the values.
/// </summary>
public static class InputFingerprint
{
    public static string Of(IReadOnlyDictionary<string, DataInput> inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, input) in inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\0{input.Value.dtype}\0{string.Join(",", input.Shape)}\0"));
            TensorMemory.ReadChunks(input.Value, chunk => hash.AppendData(chunk));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
