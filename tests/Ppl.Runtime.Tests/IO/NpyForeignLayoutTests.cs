using System.Buffers.Binary;
using System.Numerics;
using Ppl.Runtime.IO;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.IO;

/// <summary>Files as other programs write them, built byte by byte: big-endian, Fortran order, newer header versions.</summary>
// Exact float comparisons in this class are exact by construction: values are parsed from text written in round-trip
// form or copied from binary files; no arithmetic is involved.
public class NpyForeignLayoutTests
{
    [Fact]
    public void BigEndianDoublesAreSwapped()
    {
        var bytes = NpyBytes.File(NpyBytes.Dict(">f8", false, 2, 2), NpyBytes.BigEndianDoubles(1.5, -2.25, 1e300, double.NegativeInfinity));
        var array = Read(bytes);
        Assert.Equal("<f8", array.Descr);
        Assert.Equal(new[] { 1.5, -2.25, 1e300, double.NegativeInfinity }, array.GetData<double>());
        using var tensor = ReadTensor(bytes);
        Assert.Equal(ScalarType.Float64, tensor.dtype);
        Assert.Equal(-2.25, tensor[0, 1].item<double>());
    }

    [Fact]
    public void BigEndianSinglesAndIntegersAreSwapped()
    {
        Assert.Equal(new[] { 3.5f, -0.125f, float.MaxValue }, Read(NpyBytes.File(NpyBytes.Dict(">f4", false, 3), NpyBytes.BigEndianSingles(3.5f, -0.125f, float.MaxValue))).GetData<float>());
        Assert.Equal(new short[] { 258, -2, short.MinValue }, Read(NpyBytes.File(NpyBytes.Dict(">i2", false, 3), NpyBytes.BigEndianInt16(258, -2, short.MinValue))).GetData<short>());
        Assert.Equal(new[] { 16909060, -5 }, Read(NpyBytes.File(NpyBytes.Dict(">i4", false, 2), NpyBytes.BigEndianInt32(16909060, -5))).GetData<int>());
        Assert.Equal(new[] { long.MinValue + 7, 1L << 40 }, Read(NpyBytes.File(NpyBytes.Dict(">i8", false, 2), NpyBytes.BigEndianInt64(long.MinValue + 7, 1L << 40))).GetData<long>());
        using var tensor = ReadTensor(NpyBytes.File(NpyBytes.Dict(">i2", false, 3), NpyBytes.BigEndianInt16(258, -2, short.MinValue)));
        Assert.Equal(ScalarType.Int64, tensor.dtype);
        Assert.Equal(new long[] { 258, -2, short.MinValue }, tensor.data<long>().ToArray());
    }

    [Fact]
    public void BigEndianComplexSwapsEachPart()
    {
        // Each part of a complex number is swapped on its own; swapping the 16 bytes whole would exchange them.
        var c16 = Read(NpyBytes.File(NpyBytes.Dict(">c16", false, 2), NpyBytes.BigEndianDoubles(1, 2, -3, 4)));
        Assert.Equal(new[] { new Complex(1, 2), new Complex(-3, 4) }, c16.GetData<Complex>());
        var c8 = Read(NpyBytes.File(NpyBytes.Dict(">c8", false, 1), NpyBytes.BigEndianSingles(0.5f, -8)));
        Assert.Equal("<c8", c8.Descr);
        Assert.Equal(new Complex(0.5, -8), c8.GetData<Complex>()[0]);
        using var tensor = ReadTensor(NpyBytes.File(NpyBytes.Dict(">c16", false, 2), NpyBytes.BigEndianDoubles(1, 2, -3, 4)));
        Assert.Equal(ScalarType.ComplexFloat64, tensor.dtype);
        using var imaginary = tensor.imag;
        Assert.Equal(new[] { 2.0, 4.0 }, imaginary.data<double>().ToArray());
    }

    [Fact]
    public void FortranOrderMatrixIsTransposedIntoCOrder()
    {
        // a[i, j] = 10 i + j stored column by column: a00 a10 a01 a11 a02 a12.
        var columnMajor = NpyBytes.LittleEndianDoubles(0, 10, 1, 11, 2, 12);
        var bytes = NpyBytes.File(NpyBytes.Dict("<f8", true, 2, 3), columnMajor);
        var array = Read(bytes);
        Assert.Equal(new long[] { 2, 3 }, array.Shape);
        Assert.Equal(new[] { 0.0, 1, 2, 10, 11, 12 }, array.GetData<double>());
        using var tensor = ReadTensor(bytes);
        Assert.Equal(new long[] { 2, 3 }, tensor.shape);
        Assert.True(tensor.is_contiguous());
        Assert.Equal(new[] { 0.0, 1, 2, 10, 11, 12 }, tensor.data<double>().ToArray());
    }

    [Fact]
    public void FortranOrderThreeDimensionalBigEndianIsReadCorrectly()
    {
        // a[i, j, k] = 100 i + 10 j + k for shape (2, 3, 4), written with the first index fastest, big-endian float32.
        var values = new List<float>();
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 2; i++) values.Add(100 * i + 10 * j + k);
        var bytes = NpyBytes.File(NpyBytes.Dict(">f4", true, 2, 3, 4), NpyBytes.BigEndianSingles(values.ToArray()));
        var array = Read(bytes);
        using var tensor = ReadTensor(bytes);
        Assert.Equal(ScalarType.Float32, tensor.dtype);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                {
                    Assert.Equal(100 * i + 10 * j + k, array.GetDouble(i, j, k));
                    Assert.Equal(100 * i + 10 * j + k, tensor[i, j, k].item<float>());
                }
    }

    [Fact]
    public void FortranOrderOneDimensionalIsUnchanged()
    {
        var array = Read(NpyBytes.File(NpyBytes.Dict("<i8", true, 3), NpyBytes.LittleEndianInt64(5, 6, 7)));
        Assert.Equal(new long[] { 5, 6, 7 }, array.GetData<long>());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void VersionTwoAndThreeHeadersAreRead(int major)
    {
        var bytes = NpyBytes.File(NpyBytes.Dict("<f4", false, 2), NpyBytes.LittleEndianSingles(1.25f, 2.5f), major);
        Assert.Equal(new[] { 1.25f, 2.5f }, Read(bytes).GetData<float>());
    }

    [Fact]
    public void OlderSixteenByteAlignmentAndPythonTwoHeadersAreRead()
    {
        // NumPy before 1.9 aligned to 16 bytes; Python 2 wrote longs with an L suffix; key order may vary.
        var dict = "{'shape': (2L, 1L), 'fortran_order': False, 'descr': '<i8'}";
        var array = Read(NpyBytes.File(dict, NpyBytes.LittleEndianInt64(-1, 9), alignment: 16));
        Assert.Equal(new long[] { 2, 1 }, array.Shape);
        Assert.Equal(new long[] { -1, 9 }, array.GetData<long>());
    }

    [Fact]
    public void ZeroDimensionalArrayHoldsOneElement()
    {
        var array = Read(NpyBytes.File(NpyBytes.Dict("<f8", false), NpyBytes.LittleEndianDoubles(42.5)));
        Assert.Empty(array.Shape);
        Assert.Equal(42.5, array.GetDouble());
        using var tensor = ReadTensor(NpyBytes.File(NpyBytes.Dict("<f8", false), NpyBytes.LittleEndianDoubles(42.5)));
        Assert.Equal(0, tensor.dim());
        Assert.Equal(42.5, tensor.item<double>());
    }

    [Fact]
    public void UnsignedIntegersBecomeInt64OrFloat64Tensors()
    {
        using var u2 = ReadTensor(NpyBytes.File(NpyBytes.Dict("<u2", false, 2), NpyBytes.LittleEndianUInt16(65535, 7)));
        Assert.Equal(ScalarType.Int64, u2.dtype);
        Assert.Equal(new long[] { 65535, 7 }, u2.data<long>().ToArray());
        using var u4 = ReadTensor(NpyBytes.File(NpyBytes.Dict("<u4", false, 2), NpyBytes.LittleEndianUInt32(4_000_000_000, 1)));
        Assert.Equal(new long[] { 4_000_000_000, 1 }, u4.data<long>().ToArray());
        using var u1 = ReadTensor(NpyBytes.File(NpyBytes.Dict("|u1", false, 2), new byte[] { 255, 0 }));
        Assert.Equal(new long[] { 255, 0 }, u1.data<long>().ToArray());
        using var small = ReadTensor(NpyBytes.File(NpyBytes.Dict("<u8", false, 2), NpyBytes.LittleEndianUInt64(1, long.MaxValue)));
        Assert.Equal(ScalarType.Int64, small.dtype);
        Assert.Equal(new[] { 1, long.MaxValue }, small.data<long>().ToArray());
        // 2^63 + 2048 is a double exactly, so the float64 tensor must hold it exactly.
        ulong big = (1UL << 63) + 2048;
        using var large = ReadTensor(NpyBytes.File(NpyBytes.Dict("<u8", false, 2), NpyBytes.LittleEndianUInt64(3, big)));
        Assert.Equal(ScalarType.Float64, large.dtype);
        Assert.Equal(new[] { 3.0, (double)big }, large.data<double>().ToArray());
        var plain = Read(NpyBytes.File(NpyBytes.Dict("<u8", false, 2), NpyBytes.LittleEndianUInt64(3, big)));
        Assert.Equal(new ulong[] { 3, big }, plain.GetData<ulong>());
        using var fromPlain = plain.ToTensor();
        Assert.Equal(ScalarType.Float64, fromPlain.dtype);
    }

    [Fact]
    public void BooleanBytesOtherThanOneAreTrue()
    {
        var bytes = NpyBytes.File(NpyBytes.Dict("|b1", false, 3), new byte[] { 0, 1, 2 });
        Assert.Equal(new[] { false, true, true }, Read(bytes).GetData<bool>());
        using var tensor = ReadTensor(bytes);
        Assert.Equal(ScalarType.Bool, tensor.dtype);
        Assert.Equal(new[] { false, true, true }, tensor.data<bool>().ToArray());
    }

    [Fact]
    public void Float16IsKept()
    {
        var bytes = NpyBytes.File(NpyBytes.Dict("<f2", false, 2), new byte[] { 0x00, 0x3C, 0x00, 0xC0 });
        Assert.Equal(new[] { (Half)1, (Half)(-2) }, Read(bytes).GetData<Half>());
        using var tensor = ReadTensor(bytes);
        Assert.Equal(ScalarType.Float16, tensor.dtype);
    }

    [Theory]
    [InlineData("not a numpy file at all", "PPL0505", "magic")]
    [InlineData("short", "PPL0505", "preamble")]
    public void BadFilesAreErrorValues(string content, string code, string fragment)
    {
        var result = NpyReader.Read(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(content)), "x.npy");
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(fragment, error.Message);
        Assert.Equal("x.npy", error.Path);
    }

    [Fact]
    public void TruncatedDataAreReported()
    {
        var bytes = NpyBytes.File(NpyBytes.Dict("<f8", false, 4), NpyBytes.LittleEndianDoubles(1, 2, 3));
        var plain = NpyReader.Read(new MemoryStream(bytes), "t.npy");
        Assert.Equal("PPL0505", Assert.Single(plain.Errors).Code);
        Assert.Contains("24 of 32 bytes", plain.Errors[0].Message);
        var tensor = NpyReader.ReadTensor(new MemoryStream(bytes), "t.npy");
        Assert.Contains("24 of 32 bytes", Assert.Single(tensor.Errors).Message);
    }

    [Theory]
    [InlineData("{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }", "PPL0506")]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "PPL0506")]
    [InlineData("{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }", "PPL0506")]
    [InlineData("{'descr': '<f8', 'shape': (2,), }", "PPL0505")]
    [InlineData("{'descr': '<f8', 'fortran_order': maybe, 'shape': (2,), }", "PPL0505")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", "PPL0505")]
    [InlineData("['descr', '<f8']", "PPL0505")]
    public void BadHeadersAreErrorValues(string dict, string code)
    {
        var result = NpyReader.Read(new MemoryStream(NpyBytes.File(dict, new byte[32])), "h.npy");
        Assert.Equal(code, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void UnknownVersionIsRefused()
    {
        var bytes = NpyBytes.File(NpyBytes.Dict("<f8", false, 1), NpyBytes.LittleEndianDoubles(1));
        bytes[6] = 4;
        var result = NpyReader.Read(new MemoryStream(bytes), "v.npy");
        Assert.Contains("version 4.0", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void MissingFileIsReportedWithItsCode()
    {
        var result = NpyReader.Read("/definitely/not/here.npy");
        var error = Assert.Single(result.Errors);
        Assert.Equal("PPL0501", error.Code);
        Assert.Equal("/definitely/not/here.npy: error PPL0501: file not found", error.ToString());
    }

    [Fact]
    public void HeaderPaddingKeepsDataAligned()
    {
        // Independent check of the reader's header parsing: a version 1.0 length of exactly the bytes built above.
        var bytes = NpyBytes.File(NpyBytes.Dict("<f8", false, 1), NpyBytes.LittleEndianDoubles(7));
        Assert.Equal(0, (10 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))) % 64);
        Assert.Equal(7.0, Read(bytes).GetDouble(0));
    }

    private static NpyArray Read(byte[] bytes)
    {
        var result = NpyReader.Read(new MemoryStream(bytes), "bytes");
        Assert.True(result.Succeeded, result.ToString());
        return result.Value;
    }

    private static Tensor ReadTensor(byte[] bytes)
    {
        var result = NpyReader.ReadTensor(new MemoryStream(bytes), "bytes");
        Assert.True(result.Succeeded, result.ToString());
        return result.Value;
    }
}
