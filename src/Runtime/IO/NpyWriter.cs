using System.Numerics;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// Writes whole arrays as NumPy <c>.npy</c> files (format 1.0, or 2.0 for very long headers; C order; this
/// machine's byte order). File writes are atomic (see <see cref="DataFileAccess.WriteAtomically"/>). Data are
/// streamed chunk by chunk, so a large tensor is never copied into one managed buffer.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes a plain array to <paramref name="path"/>.</summary>
    public static DataFileResult Write(string path, NpyArray array) =>
        DataFileAccess.WriteAtomically(path, stream => Write(stream, array));

    /// <summary>
    /// Writes a tensor (any device, any strides) to <paramref name="path"/> with the element type
    /// <see cref="NpyDType.For(ScalarType)"/> gives.
    /// </summary>
    public static DataFileResult Write(string path, Tensor tensor) =>
        DataFileAccess.WriteAtomically(path, stream => Write(stream, tensor));

    /// <summary>Writes a plain array to <paramref name="stream"/> (left open).</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        using var writer = new NpyStreamWriter(stream, array.DType, array.Shape, leaveOpen: true);
        switch (array.Data)
        {
            case double[] a: writer.Write(a); break;
            case float[] a: writer.Write(a); break;
            case Half[] a: writer.Write(a); break;
            case long[] a: writer.Write(a); break;
            case int[] a: writer.Write(a); break;
            case short[] a: writer.Write(a); break;
            case sbyte[] a: writer.Write(a); break;
            case ulong[] a: writer.Write(a); break;
            case uint[] a: writer.Write(a); break;
            case ushort[] a: writer.Write(a); break;
            case byte[] a: writer.Write(a); break;
            case bool[] a: writer.Write(a); break;
            case Complex[] a: writer.Write(a); break;
            default: throw new InvalidOperationException($"Unexpected element type {array.Data.GetType()}.");
        }
        writer.Complete();
    }

    /// <summary>Writes a tensor to <paramref name="stream"/> (left open).</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        using var writer = new NpyStreamWriter(stream, NpyDType.For(tensor.dtype), tensor.shape, leaveOpen: true);
        writer.Write(tensor);
        writer.Complete();
    }
}
