namespace Ppl.Runtime.IO;

/// <summary>
/// Opens files for the readers and writers of this namespace, turning the operating system's refusals into
/// <see cref="DataFileError"/>s. Writes are atomic: data go to <c>path.tmp</c>, which is renamed over
/// <c>path</c> only once complete, so an interrupted run never leaves a truncated file under the final name.
/// </summary>
public static class DataFileAccess
{
    /// <summary>The suffix of the temporary file a write goes to before it is renamed.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>Opens <paramref name="path"/> for reading and runs <paramref name="read"/> on it.</summary>
    public static DataFileResult<T> ReadFile<T>(string path, Func<Stream, DataFileResult<T>> read)
    {
        if (!File.Exists(path))
            return DataFileResult<T>.Failure(new DataFileError(DiagnosticCatalogue.FileNotFound,
                Directory.Exists(path) ? "this is a folder, not a file" : "file not found", path));
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DataFileResult<T>.Failure(new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot read the file: " + e.Message, path));
        }
    }

    /// <summary>
    /// Writes a file atomically: runs <paramref name="write"/> on <c>path.tmp</c>, flushes it to disk, then renames
    /// it to <paramref name="path"/> (replacing any existing file). On failure the temporary file is removed.
    /// </summary>
    public static DataFileResult WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + TemporarySuffix;
        bool done = false;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            done = true;
            return DataFileResult.Success();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DataFileResult.Failure(new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot write the file: " + e.Message, path));
        }
        finally
        {
            if (!done) TryDelete(temporary);
        }
    }

    /// <summary>Deletes a file if it exists, ignoring failures (used to clean up temporary files).</summary>
    internal static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leaving a stray .tmp file behind is harmless; the final file name was never touched.
        }
    }
}
