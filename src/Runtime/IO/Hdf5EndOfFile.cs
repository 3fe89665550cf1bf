using System.Buffers.Binary;

namespace Ppl.Runtime.IO;

/// <summary>
/// The end-of-file address an HDF5 superblock records, to tell a truncated file (a copy cut short, a full disk) from a
/// whole one before reading it. libhdf5 refuses such files; PureHDF reads them and fills what is missing with whatever
/// the stream returns, so <see cref="Hdf5Archive"/> checks first. Only a superblock at offset 0 with 8-byte addresses
/// is read (what ppl, h5py and PureHDF write); any other layout is left to the library.
/// </summary>
public static class Hdf5EndOfFile
{
    private static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The recorded end-of-file address (relative to the base address 0), or null when it cannot be read.</summary>
    public static long? Stored(Stream stream)
    {
        Span<byte> head = stackalloc byte[56];
        stream.Position = 0;
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read < 48 || !head[..8].SequenceEqual(Signature)) return null;
        int version = head[8];
        // Superblock versions 0 and 1: sizes of offsets at byte 13; the base, free-space, end-of-file addresses follow
        // the fixed fields (24 bytes in version 0, 28 with version 1's indexed-storage K). Versions 2 and 3: sizes at
        // byte 9, then flags, base address (12), extension address (20), end-of-file address (28).
        (int sizeAt, int eofAt) = version switch
        {
            0 => (13, 40),
            1 => (13, 44),
            2 or 3 => (9, 28),
            _ => (-1, -1),
        };
        if (sizeAt < 0 || head[sizeAt] != 8 || read < eofAt + 8) return null;
        ulong eof = BinaryPrimitives.ReadUInt64LittleEndian(head[eofAt..]);
        return eof > long.MaxValue ? null : (long)eof;
    }
}
