using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Plotting;

/// <summary>
/// Encodes a <see cref="Raster"/> as PNG (8 bits per channel; truecolour, with an alpha channel only when some
/// pixel is not opaque). Each row gets the filter (None, Sub, Up, Average or Paeth) that minimises the sum of
/// absolute filtered bytes, the usual heuristic for small files; the image data are zlib-compressed with
/// <see cref="ZLibStream"/>.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Writes <paramref name="raster"/> to a PNG file, atomically.</summary>
    public static DataFileResult Write(string path, Raster raster) =>
        DataFileAccess.WriteAtomically(path, stream => Write(stream, raster));

    /// <summary>The PNG bytes of <paramref name="raster"/>.</summary>
    public static byte[] Encode(Raster raster)
    {
        using var stream = new MemoryStream();
        Write(stream, raster);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="raster"/> as PNG to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Raster raster)
    {
        var pixels = raster.Pixels;
        bool opaque = true;
        for (int i = 3; i < pixels.Length; i += 4)
            if (pixels[i] != 255)
            {
                opaque = false;
                break;
            }
        int channels = opaque ? 3 : 4;

        stream.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, raster.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), raster.Height);
        header[8] = 8;
        header[9] = (byte)(opaque ? 2 : 6);
        WriteChunk(stream, "IHDR", header);
        WriteChunk(stream, "tEXt", Encoding.Latin1.GetBytes("Software\0Ppl"));
        WriteChunk(stream, "IDAT", CompressRows(raster, channels));
        WriteChunk(stream, "IEND", ReadOnlySpan<byte>.Empty);
    }

    private static byte[] CompressRows(Raster raster, int channels)
    {
        int rowLength = raster.Width * channels;
        var previous = new byte[rowLength];
        var current = new byte[rowLength];
        var candidates = new byte[5][];
        for (int f = 0; f < 5; f++) candidates[f] = new byte[rowLength];
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var pixels = raster.Pixels;
            for (int y = 0; y < raster.Height; y++)
            {
                var source = pixels.Slice(y * raster.Width * 4, raster.Width * 4);
                for (int x = 0; x < raster.Width; x++)
                    for (int c = 0; c < channels; c++) current[x * channels + c] = source[x * 4 + c];
                int best = 0;
                long bestScore = long.MaxValue;
                for (int filter = 0; filter < 5; filter++)
                {
                    long score = Filter(filter, current, previous, channels, candidates[filter]);
                    if (score < bestScore)
                    {
                        bestScore = score;
                        best = filter;
                    }
                }
                zlib.WriteByte((byte)best);
                zlib.Write(candidates[best]);
                (previous, current) = (current, previous);
            }
        }
        return compressed.ToArray();
    }

    /// <summary>Applies one PNG filter to a row; returns the sum of the filtered bytes read as signed values.</summary>
    private static long Filter(int filter, byte[] row, byte[] above, int bytesPerPixel, byte[] output)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
            int up = above[i];
            int upLeft = i >= bytesPerPixel ? above[i - bytesPerPixel] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                _ => Paeth(left, up, upLeft),
            };
            byte value = (byte)(row[i] - predictor);
            output[i] = value;
            int signed = (sbyte)value;
            score += signed < 0 ? -signed : signed;
        }
        return score;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Crc32.Finish(Crc32.Update(Crc32.Update(0xFFFFFFFF, typeBytes), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }
}
