using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// Moves tensor data to and from bytes in bounded chunks, so that arrays larger than 2 GB (or living on a GPU)
/// never need one managed buffer of their full size.
/// </summary>
internal static unsafe class TensorMemory
{
    /// <summary>The largest chunk handed to a callback, in bytes.</summary>
    public const long ChunkBytes = 8L << 20;

    /// <summary>Receives or fills one chunk of whole elements.</summary>
    public delegate void ChunkAction(Span<byte> chunk);

    /// <summary>
    /// Calls <paramref name="visit"/> with the bytes of <paramref name="source"/>'s elements in C order, chunk by
    /// chunk. Any device and any strides: each chunk is made contiguous and copied to the CPU only when needed.
    /// </summary>
    public static void ReadChunks(Tensor source, ChunkAction visit)
    {
        using var scope = NewDisposeScope();
        var flat = source.contiguous().reshape(-1);
        long count = flat.numel();
        long perChunk = Math.Max(1, ChunkBytes / flat.element_size());
        for (long start = 0; start < count; start += perChunk)
        {
            using var chunkScope = NewDisposeScope();
            var slice = flat.narrow(0, start, Math.Min(perChunk, count - start));
            if (slice.device_type != DeviceType.CPU) slice = slice.cpu();
            visit(slice.bytes);
        }
    }

    /// <summary>
    /// Calls <paramref name="fill"/> with consecutive chunks of the memory of <paramref name="destination"/>, which
    /// must be a contiguous CPU tensor.
    /// </summary>
    public static void WriteChunks(Tensor destination, ChunkAction fill)
    {
        if (destination.device_type != DeviceType.CPU || !destination.is_contiguous())
            throw new ArgumentException("The destination must be a contiguous CPU tensor.", nameof(destination));
        using var scope = NewDisposeScope();
        var flat = destination.reshape(-1);
        long count = flat.numel();
        long perChunk = Math.Max(1, ChunkBytes / flat.element_size());
        for (long start = 0; start < count; start += perChunk)
        {
            using var slice = flat.narrow(0, start, Math.Min(perChunk, count - start));
            fill(slice.bytes);
        }
    }

    /// <summary>Copies all elements of <paramref name="source"/> into a one-dimensional array of the same layout.</summary>
    public static void CopyTo(Tensor source, Array destination)
    {
        long byteLength = destination.LongLength * NpyDType.For(destination.GetType().GetElementType()!).ItemSize;
        if (byteLength != source.numel() * source.element_size())
            throw new ArgumentException("The destination's size differs from the tensor's.", nameof(destination));
        fixed (byte* start = &MemoryMarshal.GetArrayDataReference(destination))
        {
            long offset = 0;
            var address = (IntPtr)start;
            ReadChunks(source, chunk =>
            {
                chunk.CopyTo(new Span<byte>((byte*)address + offset, chunk.Length));
                offset += chunk.Length;
            });
        }
    }

    /// <summary>Visits the bytes of a one-dimensional array chunk by chunk (whole elements per chunk).</summary>
    public static void VisitArrayBytes(Array source, int itemSize, ChunkAction visit)
    {
        long byteLength = source.LongLength * itemSize;
        long perChunk = Math.Max(1, ChunkBytes / itemSize) * itemSize;
        fixed (byte* start = &MemoryMarshal.GetArrayDataReference(source))
        {
            for (long offset = 0; offset < byteLength; offset += perChunk)
                visit(new Span<byte>(start + offset, (int)Math.Min(perChunk, byteLength - offset)));
        }
    }
}
