using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Ppl.Runtime.Tests.Plotting;

/// <summary>
/// A minimal PNG decoder written for the tests, independent of the encoder: it checks the signature and every
/// chunk's CRC (bit by bit, no table), inflates the IDAT data and undoes all five row filters. It reads 8-bit
/// truecolour with or without alpha, which is what the encoder writes.
/// </summary>
public sealed class PngTestDecoder
{
    public int Width { get; private init; }

    public int Height { get; private init; }

    public int ColorType { get; private init; }

    public List<string> ChunkTypes { get; } = new();

    public int[] FilterCounts { get; } = new int[5];

    /// <summary>RGBA, four bytes per pixel, rows from the top.</summary>
    public byte[] Rgba { get; private init; } = Array.Empty<byte>();

    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        int i = (y * Width + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
    }

    public static PngTestDecoder Decode(byte[] png)
    {
        var signature = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        Assert.Equal(signature, png[..8]);
        int position = 8;
        int width = 0, height = 0, colorType = -1;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (position < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            Assert.Equal(BitwiseCrc(png.AsSpan(position + 4, 4 + length)), crc);
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colorType = data[9];
                Assert.Equal(0, data[10]);
                Assert.Equal(0, data[11]);
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            position += 12 + length;
        }
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        int channels = colorType switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {colorType}") };
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var bytes = raw.ToArray();
        int stride = width * channels;
        Assert.Equal(height * (stride + 1), bytes.Length);
        var rgba = new byte[width * height * 4];
        var previous = new byte[stride];
        var current = new byte[stride];
        var decoder = new PngTestDecoder { Width = width, Height = height, ColorType = colorType, Rgba = rgba };
        decoder.ChunkTypes.AddRange(types);
        for (int y = 0; y < height; y++)
        {
            int filter = bytes[y * (stride + 1)];
            decoder.FilterCounts[filter]++;
            for (int i = 0; i < stride; i++)
            {
                int x = bytes[y * (stride + 1) + 1 + i];
                int a = i >= channels ? current[i - channels] : 0;
                int b = previous[i];
                int c = i >= channels ? previous[i - channels] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethPredictor(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
                current[i] = (byte)(x + predicted);
            }
            for (int px = 0; px < width; px++)
            {
                rgba[(y * width + px) * 4] = current[px * channels];
                rgba[(y * width + px) * 4 + 1] = current[px * channels + 1];
                rgba[(y * width + px) * 4 + 2] = current[px * channels + 2];
                rgba[(y * width + px) * 4 + 3] = channels == 4 ? current[px * channels + 3] : (byte)255;
            }
            (previous, current) = (current, previous);
        }
        return decoder;
    }

    // As the PNG specification states it: the candidate nearest to a + b - c, ties in the order a, b, c.
    private static int PaethPredictor(int a, int b, int c)
    {
        int estimate = a + b - c;
        int da = Math.Abs(estimate - a), db = Math.Abs(estimate - b), dc = Math.Abs(estimate - c);
        if (da <= db && da <= dc) return a;
        if (db <= dc) return b;
        return c;
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
