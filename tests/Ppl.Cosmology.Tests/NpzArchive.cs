using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Ppl.Cosmology.Tests;

/// <summary>A minimal reader of NumPy .npz/.npy files (little-endian float32, float64 or int64, C order) for the reference data.</summary>
public static class NpzArchive
{
    public sealed record Array(long[] Shape, double[] Values);

    public static Dictionary<string, Array> Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var result = new Dictionary<string, Array>();
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            result[Path.GetFileNameWithoutExtension(entry.Name)] = ParseNpy(memory.ToArray());
        }
        return result;
    }

    public static Array ParseNpy(byte[] bytes)
    {
        if (bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY") throw new InvalidDataException("not a .npy file");
        int headerLength = bytes[6] == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = bytes[6] == 1 ? 10 : 12;
        var header = Encoding.Latin1.GetString(bytes, start, headerLength);
        var descr = Regex.Match(header, @"'descr'\s*:\s*'([^']*)'").Groups[1].Value;
        if (!header.Contains("'fortran_order': False")) throw new InvalidDataException("Fortran order");
        var shape = Regex.Match(header, @"'shape'\s*:\s*\(([^)]*)\)").Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (p, n) => p * n);
        var data = bytes.AsSpan(start + headerLength);
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = descr switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(data.Slice(4 * i)),
                "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(8 * i)),
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(data.Slice(8 * i)),
                _ => throw new InvalidDataException("unsupported dtype " + descr),
            };
        return new Array(shape, values);
    }
}
