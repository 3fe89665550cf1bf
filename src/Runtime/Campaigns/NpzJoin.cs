using Ppl.Runtime.IO;

namespace Ppl.Runtime.Campaigns;

/// <summary>
/// Joins the arrays of several <c>.npz</c> archives along their first axis into one archive, streaming the bytes (no
/// array is held in memory): each entry's header is written for the joined shape and the parts' data follow in order.
/// C order with the simulations first makes the joined data the concatenation of the parts' data, so the result is
/// byte for byte the archive one process would have written for the same values (the writer stamps a fixed time).
/// The archive appears under its final name only when everything was copied (see <see cref="NpzWriter"/>).
/// </summary>
public static class NpzJoin
{
    private const int CopyBuffer = 1 << 20;

    /// <summary>Writes <paramref name="output"/> with the arrays <paramref name="names"/> (in that order), each the
    /// concatenation of the same array in every part; each part must hold <c>Rows</c> rows of every array, of one element
    /// type and one trailing shape.</summary>
    public static DataFileResult Join(IReadOnlyList<(string File, long Rows)> parts, IReadOnlyList<string> names, string output, bool compressed)
    {
        var created = NpzWriter.Create(output, compressed);
        if (!created.Succeeded) return created;
        using var writer = created.Value;
        var errors = new List<DataFileError>();
        foreach (var name in names)
        {
            var layout = Layout(parts, name, errors);
            if (layout is null) break;
            long total = parts.Sum(p => p.Rows);
            var header = new NpyHeader(layout.DType, false, layout.Shape.Select((n, k) => k == 0 ? total : n).ToArray());
            writer.AddNpy(name, stream =>
            {
                stream.Write(header.Encode());
                foreach (var (file, _) in parts)
                {
                    if (errors.Count > 0) return;
                    var copied = CopyData(file, name, stream);
                    if (!copied.Succeeded) errors.AddRange(copied.Errors);
                }
            });
            if (errors.Count > 0) break;
        }
        if (errors.Count > 0) return DataFileResult.Failure(errors);
        return writer.Commit();
    }

    /// <summary>The header of the array in the first part, checked against every part (element type, trailing shape,
    /// rows, C order); null with the errors added when they disagree.</summary>
    private static NpyHeader? Layout(IReadOnlyList<(string File, long Rows)> parts, string name, List<DataFileError> errors)
    {
        NpyHeader? first = null;
        foreach (var (file, rows) in parts)
        {
            var header = WithEntry(file, name, (stream, origin) => NpyHeader.Read(stream, origin));
            if (!header.Succeeded)
            {
                errors.AddRange(header.Errors);
                continue;
            }
            var h = header.Value;
            string origin = $"{file}[{name}]";
            if (h.FortranOrder || h.Shape.Length == 0 || h.Shape[0] != rows)
            {
                errors.Add(new DataFileError(DiagnosticCatalogue.ShardChecksumMismatch,
                    $"expected {rows} simulations first in C order, found shape ({string.Join(", ", h.Shape)}){(h.FortranOrder ? " in Fortran order" : "")}", origin));
                continue;
            }
            first ??= h;
            if (h.DType != first.DType || !h.Shape.Skip(1).SequenceEqual(first.Shape.Skip(1)))
                errors.Add(new DataFileError(DiagnosticCatalogue.ShardMismatch,
                    $"{h.DType.Descr} [*, {string.Join(", ", h.Shape.Skip(1))}] here, {first.DType.Descr} [*, {string.Join(", ", first.Shape.Skip(1))}] in {parts[0].File}", origin));
        }
        return errors.Count > 0 ? null : first;
    }

    private static DataFileResult CopyData(string file, string name, Stream destination) =>
        WithEntry(file, name, (stream, origin) =>
        {
            var header = NpyHeader.Read(stream, origin);
            if (!header.Succeeded) return header;
            long remaining = header.Value.DataLength;
            var buffer = new byte[(int)Math.Min(CopyBuffer, Math.Max(1, remaining))];
            while (remaining > 0)
            {
                int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (n == 0)
                    return DataFileResult<NpyHeader>.Failure(new DataFileError(DiagnosticCatalogue.MalformedNpy,
                        $"malformed .npy: the data end {remaining} bytes early (truncated)", origin));
                destination.Write(buffer, 0, n);
                remaining -= n;
            }
            return header;
        });

    private static DataFileResult<T> WithEntry<T>(string file, string name, Func<Stream, string, DataFileResult<T>> read)
    {
        var opened = NpzReader.Open(file);
        if (!opened.Succeeded) return DataFileResult<T>.Failure(opened.Errors);
        using var reader = opened.Value;
        return reader.ReadStream(name, read);
    }
}
