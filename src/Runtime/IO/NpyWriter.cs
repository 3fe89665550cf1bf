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
        // Dispatch on the exact element type: type patterns would let long[] match ulong[] and so on.
        var data = array.Data;
        var type = data.GetType().GetElementType();
        if (type == typeof(double)) writer.Write((double[])data);
        else if (type == typeof(float)) writer.Write((float[])data);
        else if (type == typeof(Half)) writer.Write((Half[])data);
        else if (type == typeof(long)) writer.Write((long[])data);
        else if (type == typeof(int)) writer.Write((int[])data);
        else if (type == typeof(short)) writer.Write((short[])data);
        else if (type == typeof(sbyte)) writer.Write((sbyte[])data);
        else if (type == typeof(ulong)) writer.Write((ulong[])data);
        else if (type == typeof(uint)) writer.Write((uint[])data);
        else if (type == typeof(ushort)) writer.Write((ushort[])data);
        else if (type == typeof(byte)) writer.Write((byte[])data);
        else if (type == typeof(bool)) writer.Write((bool[])data);
        else if (type == typeof(Complex)) writer.Write((Complex[])data);
        else throw new InvalidOperationException($"Unexpected element type {type}.");
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
