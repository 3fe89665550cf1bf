using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// The header of a <c>.npy</c> file: element type, memory order and shape. The layout (NumPy's
/// <c>numpy.lib.format</c>): the magic <c>\x93NUMPY</c>, a major and a minor version byte, the header length
/// (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then a Python dict literal (latin-1 in 1.0
/// and 2.0, UTF-8 in 3.0) padded with spaces and ended by a newline so the data starts at a multiple of 64.
/// </summary>
/// <param name="DType">The element type as stored in the file (its byte order may differ from this machine's).</param>
/// <param name="FortranOrder">True when the data are stored column-major.</param>
/// <param name="Shape">The array shape; empty for a 0-d array.</param>
public sealed record NpyHeader(NpyDType DType, bool FortranOrder, long[] Shape)
{
    /// <summary>The six magic bytes every <c>.npy</c> file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    private const int Alignment = 64;

    /// <summary>The number of elements (1 for a 0-d array).</summary>
    public long ElementCount => CountElements(Shape);

    /// <summary>The number of data bytes that follow the header.</summary>
    public long DataLength => ElementCount * DType.ItemSize;

    internal static long CountElements(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (var n in shape) count = checked(count * n);
        return count;
    }

    /// <summary>
    /// Reads the magic, version and header dict from <paramref name="stream"/>, leaving it at the first data byte.
    /// </summary>
    /// <param name="stream">A stream positioned at the start of a <c>.npy</c> file.</param>
    /// <param name="origin">The file name or description used in errors.</param>
    public static DataFileResult<NpyHeader> Read(Stream stream, string origin)
    {
        Span<byte> preamble = stackalloc byte[8];
        if (!ReadFully(stream, preamble))
            return Malformed(origin, "the file is shorter than the 8-byte .npy preamble");
        if (!preamble[..6].SequenceEqual(Magic))
            return Malformed(origin, "the file does not start with the .npy magic bytes \\x93NUMPY");
        int major = preamble[6], minor = preamble[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            return Malformed(origin, $"unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are read)");
        long headerLength;
        if (major == 1)
        {
            Span<byte> length = stackalloc byte[2];
            if (!ReadFully(stream, length)) return Malformed(origin, "the file ends inside the header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(length);
        }
        else
        {
            Span<byte> length = stackalloc byte[4];
            if (!ReadFully(stream, length)) return Malformed(origin, "the file ends inside the header length");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(length);
        }
        // Real headers are a few hundred bytes; refuse absurd lengths instead of allocating them.
        if (headerLength > 1 << 24) return Malformed(origin, $"the header claims {headerLength} bytes");
        var headerBytes = new byte[headerLength];
        if (!ReadFully(stream, headerBytes)) return Malformed(origin, "the file ends inside the header");
        var text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return Parse(text, origin);
    }

    /// <summary>Parses the header dict literal, e.g. <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3,), }</c>.</summary>
    public static DataFileResult<NpyHeader> Parse(string text, string origin)
    {
        var parser = new PythonLiteralScanner(text);
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        bool descrIsStructured = false;
        if (!parser.Take('{')) return Malformed(origin, $"the header is not a dict: {Shorten(text)}");
        while (!parser.Take('}'))
        {
            var key = parser.ReadString();
            if (key is null || !parser.Take(':')) return Malformed(origin, $"cannot read the header dict: {Shorten(text)}");
            switch (key)
            {
                case "descr":
                    if (parser.Peek() is '[' or '(' or '{')
                    {
                        descrIsStructured = true;
                        if (!parser.SkipValue()) return Malformed(origin, $"cannot read 'descr' in the header: {Shorten(text)}");
                    }
                    else if ((descr = parser.ReadString()) is null) return Malformed(origin, $"'descr' is not a string: {Shorten(text)}");
                    break;
                case "fortran_order":
                    fortran = parser.ReadBoolean();
                    if (fortran is null) return Malformed(origin, $"'fortran_order' is not True or False: {Shorten(text)}");
                    break;
                case "shape":
                    shape = parser.ReadIntegerTuple();
                    if (shape is null) return Malformed(origin, $"'shape' is not a tuple of non-negative integers: {Shorten(text)}");
                    break;
                default:
                    // Later NumPy versions may add keys; an unknown key is not an error as long as we can skip it.
                    if (!parser.SkipValue()) return Malformed(origin, $"cannot read the header dict: {Shorten(text)}");
                    break;
            }
            if (!parser.Take(',') && parser.Peek() != '}') return Malformed(origin, $"cannot read the header dict: {Shorten(text)}");
        }
        if (descrIsStructured)
            return DataFileResult<NpyHeader>.Failure(new DataFileError(DiagnosticCatalogue.UnsupportedDType,
                "structured (record) dtypes are not supported; save each field as its own array", origin));
        if (descr is null || fortran is null || shape is null)
            return Malformed(origin, $"the header lacks 'descr', 'fortran_order' or 'shape': {Shorten(text)}");
        var dtype = NpyDType.Parse(descr);
        if (dtype is null)
            return DataFileResult<NpyHeader>.Failure(new DataFileError(DiagnosticCatalogue.UnsupportedDType,
                $"dtype '{descr}' is not supported (booleans, integers, float16/32/64 and complex64/128 are)", origin));
        try
        {
            _ = CountElements(shape);
        }
        catch (OverflowException)
        {
            return Malformed(origin, "the shape's element count overflows 64 bits");
        }
        return DataFileResult<NpyHeader>.Success(new NpyHeader(dtype.Value, fortran.Value, shape));
    }

    /// <summary>
    /// Encodes the whole preamble (magic, version, length, padded dict). Version 1.0 when the header fits in
    /// 65535 bytes, otherwise 2.0; the dict is ASCII so 3.0 is never needed.
    /// </summary>
    /// <param name="minimumLength">Pads with more spaces up to at least this many bytes, so that a header written
    /// before the final shape is known can be rewritten in place (see <see cref="NpyStreamWriter"/>).</param>
    public byte[] Encode(int minimumLength = 0)
    {
        var dict = FormatDict();
        int version = 1;
        int lengthSize = 2;
        int total = Pad(Math.Max(minimumLength, 6 + 2 + lengthSize + dict.Length + 1));
        if (total - 10 > ushort.MaxValue)
        {
            version = 2;
            lengthSize = 4;
            total = Pad(Math.Max(minimumLength, 6 + 2 + lengthSize + dict.Length + 1));
        }
        var bytes = new byte[total];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)version;
        bytes[7] = 0;
        int headerLength = total - 8 - lengthSize;
        if (lengthSize == 2) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        int at = 8 + lengthSize;
        at += Encoding.ASCII.GetBytes(dict, bytes.AsSpan(at));
        bytes.AsSpan(at, total - 1 - at).Fill((byte)' ');
        bytes[total - 1] = (byte)'\n';
        return bytes;
    }

    private string FormatDict()
    {
        var dims = Shape.Length == 1
            ? Shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", Shape.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        return $"{{'descr': '{DType.Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': ({dims}), }}";
    }

    private static int Pad(int length) => (length + Alignment - 1) / Alignment * Alignment;

    private static bool ReadFully(Stream stream, Span<byte> buffer) =>
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;

    private static DataFileResult<NpyHeader> Malformed(string origin, string message) =>
        DataFileResult<NpyHeader>.Failure(new DataFileError(DiagnosticCatalogue.MalformedNpy, "malformed .npy: " + message, origin));

    private static string Shorten(string text) => text.Length <= 120 ? text.TrimEnd() : text[..117] + "...";
}
