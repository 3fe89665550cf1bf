using System.Security.Cryptography;

namespace Ppl.Runtime.Campaigns;

/// <summary>SHA-256 of a file, read in a stream (shards can be larger than memory).</summary>
public static class FileChecksum
{
    /// <summary>The lower-case hex SHA-256 of the file's bytes.</summary>
    /// <exception cref="IOException">When the file cannot be read (callers turn it into an error value).</exception>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
