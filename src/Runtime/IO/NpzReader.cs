using System.IO.Compression;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// Reads NumPy <c>.npz</c> archives: zip files of <c>.npy</c> entries, stored (<c>numpy.savez</c>) or deflated
/// (<c>numpy.savez_compressed</c>). Arrays are named by their entry name without the <c>.npy</c> suffix and
/// read one at a time on request.
/// </summary>
public sealed class NpzReader : IDisposable
{
    private const string EntrySuffix = ".npy";

    private readonly ZipArchive archive;
    private readonly Dictionary<string, ZipArchiveEntry> entries;

    private NpzReader(ZipArchive archive, Dictionary<string, ZipArchiveEntry> entries, List<string> names, string origin)
    {
        this.archive = archive;
        this.entries = entries;
        Names = names;
        Origin = origin;
    }

    /// <summary>The array names, in archive order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The file name or description used in errors.</summary>
    public string Origin { get; }

    /// <summary>Opens an archive file. Dispose the reader to close it.</summary>
    public static DataFileResult<NpzReader> Open(string path)
    {
        if (!File.Exists(path))
            return DataFileResult<NpzReader>.Failure(new DataFileError(DiagnosticCatalogue.FileNotFound, "file not found", path));
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var result = Open(stream, path, leaveOpen: false);
            if (!result.Succeeded) stream.Dispose();
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            return DataFileResult<NpzReader>.Failure(new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot read the file: " + e.Message, path));
        }
    }

    /// <summary>Opens an archive held in a seekable stream.</summary>
    public static DataFileResult<NpzReader> Open(Stream stream, string origin, bool leaveOpen = true)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen);
        }
        catch (InvalidDataException e)
        {
            return DataFileResult<NpzReader>.Failure(new DataFileError(DiagnosticCatalogue.MalformedNpy, "malformed .npz (not a zip archive): " + e.Message, origin));
        }
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var names = new List<string>();
        var errors = new List<DataFileError>();
        foreach (var entry in archive.Entries)
        {
            // Folders inside the archive are not arrays.
            if (entry.FullName.EndsWith('/')) continue;
            var name = entry.FullName.EndsWith(EntrySuffix, StringComparison.Ordinal) ? entry.FullName[..^EntrySuffix.Length] : entry.FullName;
            if (!entries.TryAdd(name, entry))
            {
                errors.Add(new DataFileError(DiagnosticCatalogue.DuplicateName, $"the archive holds two arrays named '{name}'", origin));
                continue;
            }
            names.Add(name);
        }
        if (errors.Count > 0)
        {
            archive.Dispose();
            return DataFileResult<NpzReader>.Failure(errors);
        }
        return DataFileResult<NpzReader>.Success(new NpzReader(archive, entries, names, origin));
    }

    /// <summary>Reads every array of an archive file into plain arrays, in archive order.</summary>
    public static DataFileResult<IReadOnlyDictionary<string, NpyArray>> ReadAll(string path)
    {
        var opened = Open(path);
        if (!opened.Succeeded) return DataFileResult<IReadOnlyDictionary<string, NpyArray>>.Failure(opened.Errors);
        using var reader = opened.Value;
        var arrays = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        var errors = new List<DataFileError>();
        foreach (var name in reader.Names)
        {
            var array = reader.Read(name);
            if (array.Succeeded) arrays.Add(name, array.Value);
            else errors.AddRange(array.Errors);
        }
        return errors.Count > 0
            ? DataFileResult<IReadOnlyDictionary<string, NpyArray>>.Failure(errors)
            : DataFileResult<IReadOnlyDictionary<string, NpyArray>>.Success(arrays);
    }

    /// <summary>
    /// Reads every array of an archive file into CPU tensors (see <see cref="NpyReader.ReadTensor(string)"/> for
    /// the types). The caller owns the tensors; on failure none are returned and none leak.
    /// </summary>
    public static DataFileResult<IReadOnlyDictionary<string, Tensor>> ReadAllTensors(string path)
    {
        var opened = Open(path);
        if (!opened.Succeeded) return DataFileResult<IReadOnlyDictionary<string, Tensor>>.Failure(opened.Errors);
        using var reader = opened.Value;
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var errors = new List<DataFileError>();
        foreach (var name in reader.Names)
        {
            var tensor = reader.ReadTensor(name);
            if (tensor.Succeeded) tensors.Add(name, tensor.Value);
            else errors.AddRange(tensor.Errors);
        }
        if (errors.Count == 0) return DataFileResult<IReadOnlyDictionary<string, Tensor>>.Success(tensors);
        foreach (var tensor in tensors.Values) tensor.Dispose();
        return DataFileResult<IReadOnlyDictionary<string, Tensor>>.Failure(errors);
    }

    /// <summary>True when the archive holds an array of that name.</summary>
    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>Reads one array into a plain array.</summary>
    public DataFileResult<NpyArray> Read(string name) => ReadEntry(name, NpyReader.Read);

    /// <summary>Reads one array into a CPU tensor, which the caller owns.</summary>
    public DataFileResult<Tensor> ReadTensor(string name) => ReadEntry(name, NpyReader.ReadTensor);

    /// <summary>Runs <paramref name="read"/> on the raw <c>.npy</c> stream of one entry (header and data), for callers that
    /// copy data without converting it.</summary>
    public DataFileResult<T> ReadStream<T>(string name, Func<Stream, string, DataFileResult<T>> read) => ReadEntry(name, read);

    /// <summary>Closes the archive.</summary>
    public void Dispose() => archive.Dispose();

    private DataFileResult<T> ReadEntry<T>(string name, Func<Stream, string, DataFileResult<T>> read)
    {
        var origin = $"{Origin}[{name}]";
        if (!entries.TryGetValue(name, out var entry))
            return DataFileResult<T>.Failure(new DataFileError(DiagnosticCatalogue.FileNotFound,
                $"the archive has no array named '{name}' (it has {string.Join(", ", Names.Select(n => $"'{n}'"))})", Origin));
        try
        {
            using var stream = entry.Open();
            return read(stream, origin);
        }
        catch (InvalidDataException e)
        {
            return DataFileResult<T>.Failure(new DataFileError(DiagnosticCatalogue.MalformedNpy, "malformed .npz entry: " + e.Message, origin));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DataFileResult<T>.Failure(new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot read the archive: " + e.Message, origin));
        }
    }
}
