using System.Security.Cryptography;
using System.Text;

namespace Ppl.Compiler.Hosting;

/// <summary>
/// Compiled model assemblies on disk, keyed by a hash of the model text, its file name, and the identities of the compiler,
/// runtime and TorchSharp assemblies (any rebuild of those invalidates the cache). Location: $PPL_CACHE_DIR, else
/// $XDG_CACHE_HOME/ppl, else ~/.cache/ppl. Writes are atomic (temporary file, then rename).
/// </summary>
public sealed class CompileCache(string directory)
{
    public string Directory { get; } = directory;

    public static CompileCache Default()
    {
        var dir = Environment.GetEnvironmentVariable("PPL_CACHE_DIR");
        if (string.IsNullOrEmpty(dir))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            dir = Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".cache") : xdg, "ppl");
        }
        return new CompileCache(dir);
    }

    /// <summary>The model's identity: a hash of its text alone (line endings normalised). Estimator bundles record it
    /// and refuse a changed model.</summary>
    public static string ModelHash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"))))[..32].ToLowerInvariant();

    /// <summary>The cache key of a model text at a path: the model hash, the path, and the identities of the compiler,
    /// runtime, front end and TorchSharp assemblies.</summary>
    public static string Key(string file, string text)
    {
        var identity = string.Join("|",
            typeof(CompileCache).Assembly.ManifestModule.ModuleVersionId,
            typeof(Ppl.Runtime.Abstractions.IGeneratedModel).Assembly.ManifestModule.ModuleVersionId,
            typeof(Ppl.Dsl.Parser).Assembly.ManifestModule.ModuleVersionId,
            typeof(TorchSharp.torch).Assembly.GetName().Version);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(identity + "\n" + file + "\n" + text));
        return Convert.ToHexString(bytes)[..32].ToLowerInvariant();
    }

    public byte[]? TryRead(string key)
    {
        var path = Path.Combine(Directory, key + ".dll");
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Stores an assembly; a cache that cannot be written is skipped silently (compiling again is always correct).</summary>
    public void Write(string key, byte[] image)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var path = Path.Combine(Directory, key + ".dll");
            var temp = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temp, image);
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
