using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.IO;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; either byte order; C or Fortran order;
/// the element types of <see cref="NpyDType"/>) into plain arrays or CPU tensors. Problems in the file are
/// returned as <see cref="DataFileError"/>s.
/// </summary>
public static class NpyReader
{
    /// <summary>Reads a <c>.npy</c> file into a plain array in C order.</summary>
    public static DataFileResult<NpyArray> Read(string path) =>
        DataFileAccess.ReadFile(path, stream => Read(stream, path));

    /// <summary>Reads a <c>.npy</c> stream (from its current position) into a plain array in C order.</summary>
    /// <param name="stream">The stream; read sequentially, so deflated zip entries work.</param>
    /// <param name="origin">The file name or description used in errors.</param>
    public static DataFileResult<NpyArray> Read(Stream stream, string origin)
    {
        var headerResult = NpyHeader.Read(stream, origin);
        if (!headerResult.Succeeded) return DataFileResult<NpyArray>.Failure(headerResult.Errors);
        var header = headerResult.Value;
        if (TruncatedBeforeReading(stream, header, origin) is { } shortFile) return DataFileResult<NpyArray>.Failure(shortFile);
        if (header.ElementCount > Array.MaxLength)
            return DataFileResult<NpyArray>.Failure(new DataFileError(DiagnosticCatalogue.ArrayTooLarge,
                $"{header.ElementCount} elements do not fit a .NET array; read the file as a tensor instead", origin));
        var dtype = header.DType;
        var data = Array.CreateInstance(dtype.ElementType, header.ElementCount);
        var error = dtype is { Kind: NpyTypeKind.Complex, ItemSize: 8 }
            ? ReadComplex64(stream, (Complex[])data, header, origin)
            : ReadElements(stream, data, header, origin);
        if (error is not null) return DataFileResult<NpyArray>.Failure(error);
        if (header.FortranOrder && header.Shape.Length > 1) data = FortranToCOrder(data, header.Shape);
        return DataFileResult<NpyArray>.Success(new NpyArray(dtype.InHostOrder(), header.Shape, data));
    }

    /// <summary>
    /// Reads a <c>.npy</c> file into a CPU tensor: float64, float32, float16, bool, complex64 and complex128 keep
    /// their type; integers become int64 (uint64 values above 2^63-1 make the tensor float64).
    /// The caller owns (and disposes) the tensor.
    /// </summary>
    public static DataFileResult<Tensor> ReadTensor(string path) =>
        DataFileAccess.ReadFile(path, stream => ReadTensor(stream, path));

    /// <summary>Reads a <c>.npy</c> stream into a CPU tensor; see <see cref="ReadTensor(string)"/>.</summary>
    public static DataFileResult<Tensor> ReadTensor(Stream stream, string origin)
    {
        var headerResult = NpyHeader.Read(stream, origin);
        if (!headerResult.Succeeded) return DataFileResult<Tensor>.Failure(headerResult.Errors);
        var header = headerResult.Value;
        if (TruncatedBeforeReading(stream, header, origin) is { } shortFile) return DataFileResult<Tensor>.Failure(shortFile);
        var dtype = header.DType;
        // Unsigned types without a torch counterpart are read as the signed type of the same size, then corrected.
        var layout = dtype.SameLayoutScalarType ?? dtype.ItemSize switch
        {
            2 => ScalarType.Int16,
            4 => ScalarType.Int32,
            _ => ScalarType.Int64,
        };
        var storedShape = header.FortranOrder ? header.Shape.Reverse().ToArray() : header.Shape;
        using var scope = NewDisposeScope();
        var raw = empty(storedShape, layout);
        long remaining = header.DataLength;
        string? truncated = null;
        TensorMemory.WriteChunks(raw, chunk =>
        {
            if (truncated is not null) return;
            int got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (got < chunk.Length)
            {
                truncated = $"malformed .npy: the data end after {header.DataLength - remaining + got} of {header.DataLength} bytes";
                return;
            }
            remaining -= got;
            if (dtype.NeedsByteSwap) ByteOrderSwap.InPlace(chunk, dtype.ComponentSize);
            if (dtype.Kind == NpyTypeKind.Boolean) NormalizeBooleans(chunk);
        });
        if (truncated is not null)
            return DataFileResult<Tensor>.Failure(new DataFileError(DiagnosticCatalogue.MalformedNpy, truncated, origin));
        var ordered = header.FortranOrder && header.Shape.Length > 1
            ? raw.permute(Enumerable.Range(0, header.Shape.Length).Reverse().Select(i => (long)i).ToArray()).contiguous()
            : raw;
        var result = dtype.Kind switch
        {
            NpyTypeKind.SignedInteger => ordered.to(ScalarType.Int64),
            NpyTypeKind.UnsignedInteger => UnsignedToTensor(ordered, dtype.ItemSize),
            _ => ordered,
        };
        return DataFileResult<Tensor>.Success(result.MoveToOuterDisposeScope());
    }

    // A damaged header can claim far more data than the file holds; where the stream knows its length, say so
    // before allocating memory for data that are not there.
    private static DataFileError? TruncatedBeforeReading(Stream stream, NpyHeader header, string origin)
    {
        if (!stream.CanSeek) return null;
        long available = stream.Length - stream.Position;
        return available < header.DataLength
            ? new DataFileError(DiagnosticCatalogue.MalformedNpy, $"malformed .npy: the data end after {available} of {header.DataLength} bytes", origin)
            : null;
    }

    private static Tensor UnsignedToTensor(Tensor stored, int itemSize)
    {
        if (itemSize == 1) return stored.to(ScalarType.Int64);
        var wide = stored.to(ScalarType.Int64);
        if (itemSize < 8)
        {
            // Values with the top bit set were read as negative numbers; adding 2^bits restores them exactly.
            long offset = 1L << (8 * itemSize);
            return TensorArithmetic.Add(wide, TensorArithmetic.Mul((wide < ConstantScalars.Of(0)).to(ScalarType.Int64), offset));
        }
        if (!(wide < ConstantScalars.Of(0)).any().item<bool>()) return wide;
        var asReal = wide.to(ScalarType.Float64);
        return TensorArithmetic.Add(asReal, TensorArithmetic.Mul((wide < ConstantScalars.Of(0)).to(ScalarType.Float64), Math.Pow(2, 64)));
    }

    private static DataFileError? ReadElements(Stream stream, Array data, NpyHeader header, string origin)
    {
        long expected = header.DataLength;
        long done = 0;
        DataFileError? error = null;
        TensorMemory.VisitArrayBytes(data, header.DType.ItemSize, chunk =>
        {
            if (error is not null) return;
            int got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            done += got;
            if (got < chunk.Length)
            {
                error = new DataFileError(DiagnosticCatalogue.MalformedNpy,
                    $"malformed .npy: the data end after {done} of {expected} bytes", origin);
                return;
            }
            if (header.DType.NeedsByteSwap) ByteOrderSwap.InPlace(chunk, header.DType.ComponentSize);
            if (header.DType.Kind == NpyTypeKind.Boolean) NormalizeBooleans(chunk);
        });
        return error;
    }

    private static DataFileError? ReadComplex64(Stream stream, Complex[] data, NpyHeader header, string origin)
    {
        var buffer = new float[2 * Math.Min(data.LongLength, 1 << 20)];
        var bytes = MemoryMarshal.AsBytes(buffer.AsSpan());
        for (long start = 0; start < data.LongLength; start += buffer.Length / 2)
        {
            int count = (int)Math.Min(buffer.Length / 2, data.LongLength - start);
            var chunk = bytes[..(count * 8)];
            int got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (got < chunk.Length)
                return new DataFileError(DiagnosticCatalogue.MalformedNpy,
                    $"malformed .npy: the data end after {start * 8 + got} of {header.DataLength} bytes", origin);
            if (header.DType.NeedsByteSwap) ByteOrderSwap.InPlace(chunk, 4);
            for (int i = 0; i < count; i++) data[start + i] = new Complex(buffer[2 * i], buffer[2 * i + 1]);
        }
        return null;
    }

    // NumPy writes booleans as 0/1, but a .NET bool with another bit pattern compares unequal to true.
    private static void NormalizeBooleans(Span<byte> chunk)
    {
        for (int i = 0; i < chunk.Length; i++) chunk[i] = chunk[i] != 0 ? (byte)1 : (byte)0;
    }

    private static Array FortranToCOrder(Array source, long[] shape)
    {
        // Dispatch on the exact element type: type patterns would let long[] match ulong[] and so on.
        var type = source.GetType().GetElementType();
        if (type == typeof(bool)) return Transposed((bool[])source, shape);
        if (type == typeof(sbyte)) return Transposed((sbyte[])source, shape);
        if (type == typeof(short)) return Transposed((short[])source, shape);
        if (type == typeof(int)) return Transposed((int[])source, shape);
        if (type == typeof(long)) return Transposed((long[])source, shape);
        if (type == typeof(byte)) return Transposed((byte[])source, shape);
        if (type == typeof(ushort)) return Transposed((ushort[])source, shape);
        if (type == typeof(uint)) return Transposed((uint[])source, shape);
        if (type == typeof(ulong)) return Transposed((ulong[])source, shape);
        if (type == typeof(Half)) return Transposed((Half[])source, shape);
        if (type == typeof(float)) return Transposed((float[])source, shape);
        if (type == typeof(double)) return Transposed((double[])source, shape);
        if (type == typeof(Complex)) return Transposed((Complex[])source, shape);
        throw new InvalidOperationException($"Unexpected element type {type}.");
    }

    /// <summary>Reorders column-major elements into row-major order for the same shape.</summary>
    private static T[] Transposed<T>(T[] columnMajor, long[] shape)
    {
        int rank = shape.Length;
        var result = new T[columnMajor.LongLength];
        if (result.Length == 0) return result;
        var columnStrides = new long[rank];
        columnStrides[0] = 1;
        for (int k = 1; k < rank; k++) columnStrides[k] = columnStrides[k - 1] * shape[k - 1];
        var index = new long[rank];
        long source = 0;
        for (long target = 0; target < result.LongLength; target++)
        {
            result[target] = columnMajor[source];
            // Advance the row-major odometer (last index fastest) and keep the column-major offset in step.
            for (int k = rank - 1; k >= 0; k--)
            {
                index[k]++;
                source += columnStrides[k];
                if (index[k] < shape[k]) break;
                source -= columnStrides[k] * shape[k];
                index[k] = 0;
            }
        }
        return result;
    }
}
