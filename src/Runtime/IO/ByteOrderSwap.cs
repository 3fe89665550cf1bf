using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ppl.Runtime.IO;

/// <summary>Reverses the bytes of every element of a buffer (to convert between little- and big-endian).</summary>
internal static class ByteOrderSwap
{
    /// <summary>Swaps each <paramref name="componentSize"/>-byte unit of <paramref name="data"/> in place.</summary>
    public static void InPlace(Span<byte> data, int componentSize)
    {
        switch (componentSize)
        {
            case 1:
                return;
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(data);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                return;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(data);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                return;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(data);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(componentSize), componentSize, "Only 1, 2, 4 and 8-byte units are swapped.");
        }
    }
}
