using System.IO.Compression;
using System.Text;

namespace Ppl.Runtime.Inference.Output;

/// <summary>
/// A deliberately minimal NumPy <c>.npz</c> writer (a zip of <c>.npy</c> version 1.0 files holding little-endian
/// float64 C-order arrays), private to the inference output until the shared IO library offers one; it writes nothing
/// else and reads nothing.
/// </summary>
internal static class MinimalNpzWriter
{
    public static void Write(Stream stream, IEnumerable<(string Name, long[] Shape, double[] Data)> arrays)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, shape, data) in arrays)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (count != data.Length) throw new ArgumentException($"Array {name}: shape holds {count} values, data {data.Length}.");
            var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Fastest);
            using var s = entry.Open();
            WriteNpy(s, shape, data);
        }
    }

    private static void WriteNpy(Stream s, long[] shape, double[] data)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shapeText + ", }";
        // The magic (6), version (2) and length (2) plus the header must be a multiple of 64 bytes, ending in '\n'.
        int total = 10 + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.Add(1);
        bytes.Add(0);
        bytes.Add((byte)(header.Length & 0xFF));
        bytes.Add((byte)(header.Length >> 8));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        s.Write(bytes.ToArray());
        var buffer = new byte[8 * 4096];
        for (int start = 0; start < data.Length; start += 4096)
        {
            int n = Math.Min(4096, data.Length - start);
            for (int i = 0; i < n; i++)
                System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8 * i), data[start + i]);
            s.Write(buffer, 0, 8 * n);
        }
    }
}
