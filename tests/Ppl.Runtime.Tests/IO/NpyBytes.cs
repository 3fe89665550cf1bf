using System.Buffers.Binary;
using System.Text;

namespace Ppl.Runtime.Tests.IO;

/// <summary>
/// Builds .npy files byte by byte from a header dict text and raw data, written here independently of the
/// library's writer, so that reading tests do not depend on the code under test.
/// </summary>
public static class NpyBytes
{
    public static byte[] File(string dict, byte[] data, int major = 1, int alignment = 64)
    {
        var header = new List<byte>(major == 3 ? Encoding.UTF8.GetBytes(dict) : Encoding.Latin1.GetBytes(dict));
        int lengthSize = major == 1 ? 2 : 4;
        while ((6 + 2 + lengthSize + header.Count + 1) % alignment != 0) header.Add((byte)' ');
        header.Add((byte)'\n');
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        if (lengthSize == 2) bytes.AddRange(new[] { (byte)(header.Count & 0xFF), (byte)(header.Count >> 8) });
        else bytes.AddRange(BitConverter.GetBytes(header.Count));
        bytes.AddRange(header);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] BigEndianDoubles(params double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    public static byte[] BigEndianSingles(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public static byte[] BigEndianInt16(params short[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
        return bytes;
    }

    public static byte[] BigEndianInt32(params int[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public static byte[] BigEndianInt64(params long[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    public static byte[] LittleEndianDoubles(params double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    public static byte[] LittleEndianSingles(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public static byte[] LittleEndianInt64(params long[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    public static byte[] LittleEndianUInt64(params ulong[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    public static byte[] LittleEndianUInt16(params ushort[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        return bytes;
    }

    public static byte[] LittleEndianUInt32(params uint[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    /// <summary>The header dict exactly as numpy.save formats it.</summary>
    public static string Dict(string descr, bool fortran, params long[] shape)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        return $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({dims}), }}";
    }
}
