using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// Writes one <c>.npy</c> array piece by piece, so that large arrays (posterior draws, simulations) go to disk
/// as they are produced without ever being held in memory whole. Elements arrive in C order. The first
/// dimension may be given as -1 when the number of rows is not known in advance: the stream must then be
/// seekable, and <see cref="Complete"/> rewrites the header with the number of rows written.
/// </summary>
public sealed class NpyStreamWriter : IDisposable
{
    private const int ElementsPerChunk = 1 << 18;

    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly long[] shape;
    private readonly bool growing;
    private readonly long rowSize;
    private readonly long headerStart;
    private readonly int headerLength;
    private readonly string? finalPath;
    private DataFileError? failure;
    private bool completed;

    /// <summary>Writes the header to <paramref name="stream"/> and prepares to receive elements.</summary>
    /// <param name="stream">Where to write; must be seekable when <paramref name="shape"/>[0] is -1.</param>
    /// <param name="dtype">The element type in the file (either byte order; elements are swapped as needed).</param>
    /// <param name="shape">The array shape; the first dimension may be -1 (rows counted as they come).</param>
    /// <param name="leaveOpen">Whether disposing this writer leaves <paramref name="stream"/> open.</param>
    public NpyStreamWriter(Stream stream, NpyDType dtype, IReadOnlyList<long> shape, bool leaveOpen = false)
        : this(stream, dtype, shape, leaveOpen, finalPath: null)
    {
    }

    private NpyStreamWriter(Stream stream, NpyDType dtype, IReadOnlyList<long> shape, bool leaveOpen, string? finalPath)
    {
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        this.finalPath = finalPath;
        DType = dtype;
        this.shape = shape.ToArray();
        growing = this.shape.Length > 0 && this.shape[0] == -1;
        if (this.shape.Skip(growing ? 1 : 0).Any(n => n < 0))
            throw new ArgumentException("Dimensions cannot be negative (only the first may be -1).", nameof(shape));
        rowSize = NpyHeader.CountElements(this.shape.Skip(1).ToArray());
        byte[] header;
        if (growing)
        {
            if (!stream.CanSeek) throw new ArgumentException("A growing first dimension needs a seekable stream.", nameof(stream));
            // Reserve room for the longest possible row count so that the header can be rewritten in place.
            var longest = new NpyHeader(dtype, false, this.shape.Select((n, k) => k == 0 ? long.MaxValue : n).ToArray()).Encode();
            header = new NpyHeader(dtype, false, this.shape.Select((n, k) => k == 0 ? 0 : n).ToArray()).Encode(longest.Length);
            headerStart = stream.Position;
        }
        else
        {
            header = new NpyHeader(dtype, false, this.shape).Encode();
        }
        headerLength = header.Length;
        stream.Write(header);
    }

    /// <summary>
    /// Creates <paramref name="path"/> for streaming, atomically: the data go to <c>path.tmp</c>, renamed to
    /// <paramref name="path"/> by <see cref="Complete"/>. Disposing without completing removes the temporary file.
    /// </summary>
    public static DataFileResult<NpyStreamWriter> Create(string path, NpyDType dtype, IReadOnlyList<long> shape)
    {
        var temporary = path + DataFileAccess.TemporarySuffix;
        FileStream? file = null;
        try
        {
            file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            return DataFileResult<NpyStreamWriter>.Success(new NpyStreamWriter(file, dtype, shape, leaveOpen: false, finalPath: path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            DataFileAccess.TryDelete(temporary);
            return DataFileResult<NpyStreamWriter>.Failure(new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot write the file: " + e.Message, path));
        }
    }

    /// <summary>The element type written.</summary>
    public NpyDType DType { get; }

    /// <summary>The number of elements written so far.</summary>
    public long ElementsWritten { get; private set; }

    /// <summary>Appends elements; <typeparamref name="T"/> must be the element type's .NET type (see <see cref="NpyDType.ElementType"/>).</summary>
    public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        if (typeof(T) != DType.ElementType)
            throw new ArgumentException($"A {DType.Descr} array takes {DType.ElementType.Name} elements, not {typeof(T).Name}.", nameof(values));
        Reserve(values.Length);
        if (failure is not null) return;
        if (values.Length > 0 && DType is { Kind: NpyTypeKind.Complex, ItemSize: 8 })
        {
            WriteComplex64(MemoryMarshal.Cast<T, Complex>(values));
            return;
        }
        for (int start = 0; start < values.Length; start += ElementsPerChunk)
        {
            var chunk = MemoryMarshal.AsBytes(values.Slice(start, Math.Min(ElementsPerChunk, values.Length - start)));
            WriteBytes(chunk);
        }
    }

    /// <summary>Appends elements from an array (see <see cref="Write{T}(ReadOnlySpan{T})"/>).</summary>
    public void Write<T>(T[] values) where T : unmanaged => Write(new ReadOnlySpan<T>(values));

    /// <summary>
    /// Appends the elements of a tensor (any device, any shape: its elements are taken in C order), converted to
    /// this writer's element type.
    /// </summary>
    public void Write(Tensor values)
    {
        var target = DType.SameLayoutScalarType
            ?? throw new NotSupportedException($"Tensors cannot be written as {DType.Descr}; write them as a signed integer type.");
        Reserve(values.numel());
        if (failure is not null) return;
        using var scope = NewDisposeScope();
        var converted = values.dtype == target ? values : values.to(target);
        TensorMemory.ReadChunks(converted, chunk => WriteBytes(chunk));
    }

    /// <summary>
    /// Checks that the array is complete, rewrites the header of a growing array and flushes; for a writer made by
    /// <see cref="Create"/>, also closes the file and renames it to its final name.
    /// </summary>
    /// <exception cref="InvalidOperationException">When fewer elements were written than the shape needs, or a growing array ends inside a row.</exception>
    public DataFileResult Complete()
    {
        if (completed) throw new InvalidOperationException("The array was already completed.");
        if (failure is not null) return Finish(DataFileResult.Failure(failure));
        if (growing)
        {
            if (rowSize > 0 && ElementsWritten % rowSize != 0)
                throw new InvalidOperationException($"{ElementsWritten} elements do not make whole rows of {rowSize}.");
            long rows = rowSize == 0 ? 0 : ElementsWritten / rowSize;
            var header = new NpyHeader(DType, false, shape.Select((n, k) => k == 0 ? rows : n).ToArray()).Encode(headerLength);
            if (header.Length != headerLength) throw new InvalidOperationException("The rewritten header changed length.");
            if (!Guard(() =>
            {
                long end = stream.Position;
                stream.Position = headerStart;
                stream.Write(header);
                stream.Position = end;
            }))
                return Finish(DataFileResult.Failure(failure!));
        }
        else if (ElementsWritten != NpyHeader.CountElements(shape))
        {
            throw new InvalidOperationException($"The shape needs {NpyHeader.CountElements(shape)} elements but {ElementsWritten} were written.");
        }
        if (!Guard(stream.Flush)) return Finish(DataFileResult.Failure(failure!));
        if (finalPath is null) return Finish(DataFileResult.Success());
        if (!Guard(() =>
        {
            ((FileStream)stream).Flush(flushToDisk: true);
            stream.Dispose();
            File.Move(finalPath + DataFileAccess.TemporarySuffix, finalPath, overwrite: true);
        }))
            return Finish(DataFileResult.Failure(failure!));
        return Finish(DataFileResult.Success());
    }

    /// <summary>Closes the stream (unless left open); a file made by <see cref="Create"/> and not completed is removed.</summary>
    public void Dispose()
    {
        if (!leaveOpen) stream.Dispose();
        if (finalPath is not null && !completed) DataFileAccess.TryDelete(finalPath + DataFileAccess.TemporarySuffix);
        completed = true;
    }

    private DataFileResult Finish(DataFileResult result)
    {
        if (!result.Succeeded) Dispose();
        completed = true;
        return result;
    }

    private void Reserve(long count)
    {
        if (completed) throw new InvalidOperationException("The array was already completed.");
        if (!growing && ElementsWritten + count > NpyHeader.CountElements(shape))
            throw new InvalidOperationException($"The shape holds {NpyHeader.CountElements(shape)} elements; {ElementsWritten + count} were written.");
        ElementsWritten += count;
    }

    private void WriteComplex64(ReadOnlySpan<Complex> values)
    {
        var buffer = ArrayPool<float>.Shared.Rent(2 * Math.Min(values.Length, ElementsPerChunk));
        try
        {
            for (int start = 0; start < values.Length; start += ElementsPerChunk)
            {
                int count = Math.Min(ElementsPerChunk, values.Length - start);
                for (int i = 0; i < count; i++)
                {
                    buffer[2 * i] = (float)values[start + i].Real;
                    buffer[2 * i + 1] = (float)values[start + i].Imaginary;
                }
                WriteBytes(MemoryMarshal.AsBytes(buffer.AsSpan(0, 2 * count)));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (failure is not null) return;
        if (!DType.NeedsByteSwap)
        {
            WriteToStream(bytes);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        try
        {
            var swapped = buffer.AsSpan(0, bytes.Length);
            bytes.CopyTo(swapped);
            ByteOrderSwap.InPlace(swapped, DType.ComponentSize);
            WriteToStream(swapped);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteToStream(ReadOnlySpan<byte> bytes)
    {
        if (finalPath is null)
        {
            // On a caller's stream, its exceptions are the caller's to handle.
            stream.Write(bytes);
            return;
        }
        try
        {
            stream.Write(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot write the file: " + e.Message, finalPath);
        }
    }

    private bool Guard(Action action)
    {
        if (finalPath is null)
        {
            action();
            return true;
        }
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = new DataFileError(DiagnosticCatalogue.InputOutputFailure, "cannot write the file: " + e.Message, finalPath);
            return false;
        }
    }
}
