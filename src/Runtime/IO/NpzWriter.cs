using System.IO.Compression;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// Writes a NumPy <c>.npz</c> archive one array at a time. Entries are stored uncompressed by default (like
/// <c>numpy.savez</c>) or deflated (like <c>numpy.savez_compressed</c>). The archive is written to
/// <c>path.tmp</c> and renamed to its final name only by <see cref="Commit"/>, so an interrupted run never
/// leaves a truncated archive under the final name; disposing without committing removes the temporary file.
/// A failure to write is remembered and reported by <see cref="Commit"/>, so callers check once at the end.
/// </summary>
public sealed class NpzWriter : IDisposable
{
    private readonly string path;
    private readonly FileStream file;
    private readonly ZipArchive archive;
    private readonly CompressionLevel level;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private DataFileError? failure;
    private bool finished;

    /// <summary>The modification time stamped on every entry: fixed (the zip format's earliest date), so that the same
    /// arrays always give the same bytes — a merged campaign equals a single run, and checksums mean something.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private NpzWriter(string path, FileStream file, bool compressed)
    {
        this.path = path;
        this.file = file;
        archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
        level = compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
    }

    /// <summary>Starts an archive that <see cref="Commit"/> will place at <paramref name="path"/>.</summary>
    /// <param name="path">The final file name (conventionally ending in <c>.npz</c>).</param>
    /// <param name="compressed">Deflate the entries (smaller, slower) instead of storing them.</param>
    public static DataFileResult<NpzWriter> Create(string path, bool compressed = false)
    {
        try
        {
            var file = new FileStream(path + DataFileAccess.TemporarySuffix, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            return DataFileResult<NpzWriter>.Success(new NpzWriter(path, file, compressed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DataFileResult<NpzWriter>.Failure(new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot write the file: " + e.Message, path));
        }
    }

    /// <summary>Writes every array of a dictionary to an archive, atomically.</summary>
    public static DataFileResult Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, bool compressed = false)
    {
        var created = Create(path, compressed);
        if (!created.Succeeded) return created;
        using var writer = created.Value;
        foreach (var (name, array) in arrays) writer.Add(name, array);
        return writer.Commit();
    }

    /// <summary>Writes every tensor of a dictionary to an archive, atomically.</summary>
    public static DataFileResult Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, bool compressed = false)
    {
        var created = Create(path, compressed);
        if (!created.Succeeded) return created;
        using var writer = created.Value;
        foreach (var (name, tensor) in tensors) writer.Add(name, tensor);
        return writer.Commit();
    }

    /// <summary>Appends a plain array as entry <c>name.npy</c>.</summary>
    /// <exception cref="ArgumentException">When the name is empty or already used (a bug in the caller).</exception>
    public void Add(string name, NpyArray array) => AddEntry(name, stream => NpyWriter.Write(stream, array));

    /// <summary>Appends a tensor (any device) as entry <c>name.npy</c>, streamed chunk by chunk.</summary>
    /// <exception cref="ArgumentException">When the name is empty or already used (a bug in the caller).</exception>
    public void Add(string name, Tensor tensor) => AddEntry(name, stream => NpyWriter.Write(stream, tensor));

    /// <summary>
    /// Appends entry <c>name.npy</c> whose bytes (a complete <c>.npy</c> file: header and data) <paramref name="writeNpy"/>
    /// writes, for callers that copy arrays from other files without holding them (see <c>Campaigns.NpzJoin</c>).
    /// </summary>
    /// <exception cref="ArgumentException">When the name is empty or already used (a bug in the caller).</exception>
    public void AddNpy(string name, Action<Stream> writeNpy) => AddEntry(name, writeNpy);

    /// <summary>Finishes the archive and renames it to its final name.</summary>
    public DataFileResult Commit()
    {
        if (finished) throw new InvalidOperationException("The archive was already committed or discarded.");
        finished = true;
        if (failure is null)
        {
            try
            {
                archive.Dispose();
                file.Flush(flushToDisk: true);
                file.Dispose();
                File.Move(path + DataFileAccess.TemporarySuffix, path, overwrite: true);
                return DataFileResult.Success();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failure = new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot write the file: " + e.Message, path);
            }
        }
        Discard();
        return DataFileResult.Failure(failure);
    }

    /// <summary>Removes the temporary file unless the archive was committed.</summary>
    public void Dispose()
    {
        if (finished) return;
        finished = true;
        Discard();
    }

    private void AddEntry(string name, Action<Stream> write)
    {
        if (finished) throw new InvalidOperationException("The archive was already committed or discarded.");
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An array needs a name.", nameof(name));
        if (!names.Add(name)) throw new ArgumentException($"The archive already has an array named '{name}'.", nameof(name));
        if (failure is not null) return;
        try
        {
            var entry = archive.CreateEntry(name + ".npy", level);
            entry.LastWriteTime = EntryTime;
            // Deflated entries get their bytes in fixed blocks, so the output depends on the bytes alone.
            using var stream = level == CompressionLevel.NoCompression ? entry.Open() : new FixedBlockStream(entry.Open(), 1 << 16);
            write(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot write the file: " + e.Message, path);
        }
    }

    private void Discard()
    {
        try
        {
            archive.Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The archive is being thrown away; a failure to finish it does not matter.
        }
        file.Dispose();
        DataFileAccess.TryDelete(path + DataFileAccess.TemporarySuffix);
    }
}
