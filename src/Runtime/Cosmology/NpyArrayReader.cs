using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// A minimal reader for NumPy <c>.npy</c> files holding a little-endian float32 or float64 array in C order — just
/// enough for the log-normal shift table. Stop-gap: the general NumPy reader belongs to <c>Ppl.Runtime.IO</c> and
/// should replace this one once it exists.
/// </summary>
internal static partial class NpyArrayReader
{
    /// <summary>Reads the array as doubles with its shape; on failure returns false and says why.</summary>
    public static bool TryRead(byte[] bytes, out double[] values, out long[] shape, out string? error)
    {
        values = Array.Empty<double>();
        shape = Array.Empty<long>();
        error = null;
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(magic))
        {
            error = "not a .npy file (bad magic string)";
            return false;
        }
        int major = bytes[6];
        int headerLength, headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
            headerStart = 10;
        }
        else if ((major == 2 || major == 3) && bytes.Length >= 12)
        {
            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8, 4));
            headerStart = 12;
        }
        else
        {
            error = $"unsupported .npy format version {major}";
            return false;
        }
        if (headerStart + headerLength > bytes.Length)
        {
            error = "truncated .npy header";
            return false;
        }
        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
        {
            error = "unreadable .npy header: " + header.Trim();
            return false;
        }
        if (order.Groups[1].Value != "False")
        {
            error = "Fortran-ordered arrays are not supported";
            return false;
        }
        int itemSize = descr.Groups[1].Value switch { "<f8" => 8, "<f4" => 4, _ => 0 };
        if (itemSize == 0)
        {
            error = $"element type {descr.Groups[1].Value} is not supported (little-endian float32 or float64 only)";
            return false;
        }
        shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (p, n) => p * n);
        int dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart != count * itemSize)
        {
            error = $"data size {bytes.Length - dataStart} bytes does not match shape ({string.Join(", ", shape)})";
            return false;
        }
        values = new double[count];
        for (long i = 0; i < count; i++)
        {
            var span = bytes.AsSpan(dataStart + (int)(i * itemSize), itemSize);
            values[i] = itemSize == 8 ? BinaryPrimitives.ReadDoubleLittleEndian(span) : BinaryPrimitives.ReadSingleLittleEndian(span);
        }
        return true;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
