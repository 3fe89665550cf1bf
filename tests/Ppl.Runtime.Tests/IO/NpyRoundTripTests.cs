using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Ppl.Diagnostics;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Tests.IO;

// Exact float comparisons in this class are exact by construction: values are parsed from text written in round-trip
// form or copied from binary files; no arithmetic is involved.
public class NpyRoundTripTests
{
    public static readonly string[] Descrs = { "|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8", "<c8", "<c16" };

    public static readonly long[][] Shapes = { Array.Empty<long>(), new long[] { 0 }, new long[] { 7 }, new long[] { 3, 4 }, new long[] { 2, 3, 4 }, new long[] { 2, 0, 3 } };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var descr in Descrs)
            for (int s = 0; s < Shapes.Length; s++) data.Add(descr, s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlainArraysSurviveWriteAndRead(string descr, int shapeIndex)
    {
        var dtype = NpyDType.Parse(descr)!.Value;
        var shape = Shapes[shapeIndex];
        var original = RandomArrays.Make(dtype, shape, seed: 17 + shapeIndex);
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, original);
        stream.Position = 0;
        var read = NpyReader.Read(stream, "memory");
        Assert.True(read.Succeeded, read.ToString());
        Assert.Equal(descr, read.Value.Descr);
        Assert.Equal(shape, read.Value.Shape);
        Assert.Equal(original.Data.Cast<object>(), read.Value.Data.Cast<object>());
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void WrittenFileHasNumpysLayout()
    {
        // Checked against the format description: magic, version 1.0, little-endian header length, the dict as
        // numpy.save spells it, space padding and '\n' so that the data start at a multiple of 64.
        var array = NpyArray.Create(new double[] { 1.5, -2, 3.25, 4, 5, 6 }, 2, 3);
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, array);
        var bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = bytes[8] | bytes[9] << 8;
        int dataStart = 10 + headerLength;
        Assert.Equal(0, dataStart % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Equal("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", header.TrimEnd(' ', '\n'));
        Assert.EndsWith("\n", header);
        Assert.Equal(dataStart + 6 * 8, bytes.Length);
        Assert.Equal(-2.0, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(dataStart + 8)));
    }

    [Fact]
    public void OneDimensionalAndScalarShapesAreSpelledLikePython()
    {
        Assert.Contains("'shape': (5,)", HeaderOf(NpyArray.Create(new float[5], 5)));
        Assert.Contains("'shape': ()", HeaderOf(NpyArray.Create(new long[] { 3 })));
    }

    [Fact]
    public void HeadersTooLongForVersionOneUseVersionTwo()
    {
        // 30 000 dimensions of size 1 spell a header of about 90 000 characters, past version 1.0's 65 535 bytes.
        var shape = Enumerable.Repeat(1L, 30_000).ToArray();
        var array = NpyArray.Create(new[] { 2.5 }, shape);
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, array);
        var bytes = stream.ToArray();
        Assert.Equal(2, bytes[6]);
        Assert.Equal(0, (12 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8))) % 64);
        stream.Position = 0;
        var read = NpyReader.Read(stream, "long header");
        Assert.True(read.Succeeded, read.ToString());
        Assert.Equal(30_000, read.Value.Rank);
        Assert.Equal(2.5, read.Value.GetData<double>()[0]);
    }

    [Fact]
    public void FileWritesAreAtomicAndReadable()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("a.npy");
        var array = NpyArray.Create(new int[] { 1, 2, 3, 4 }, 2, 2);
        Assert.True(NpyWriter.Write(path, array).Succeeded);
        Assert.False(File.Exists(path + ".tmp"));
        var read = NpyReader.Read(path);
        Assert.True(read.Succeeded, read.ToString());
        Assert.Equal(new[] { 1, 2, 3, 4 }, read.Value.GetData<int>());
    }

    [Fact]
    public void WritingIntoAMissingFolderIsAnErrorValue()
    {
        using var folder = new TemporaryFolder();
        var result = NpyWriter.Write(folder.File("no/such/folder/a.npy"), NpyArray.Create(new[] { 1.0 }));
        var error = Assert.Single(result.Errors);
        Assert.Equal(DiagnosticCatalogue.InputOutputFailure, error.Code);
    }

    [Fact]
    public void TypedAccessConvertsAsDocumented()
    {
        var array = NpyArray.Create(new short[] { 1, -2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(new[] { 1.0, -2, 3, 4, 5, 6 }, array.ToDoubleArray());
        Assert.Equal(new long[] { 1, -2, 3, 4, 5, 6 }, array.ToInt64Array());
        Assert.Equal(6.0, array.GetDouble(1, 2));
        Assert.Equal(4L, array.FlatIndex(1, 1));
        Assert.Throws<InvalidOperationException>(() => array.GetData<double>());
        Assert.Throws<InvalidOperationException>(() => NpyArray.Create(new[] { 1.5 }).ToInt64Array());
        Assert.Throws<OverflowException>(() => NpyArray.Create(new[] { ulong.MaxValue }).ToInt64Array());
        Assert.Equal(new Complex(2, 0), NpyArray.Create(new[] { 2.0f }).ToComplexArray()[0]);
        var matrix = NpyArray.FromMatrix(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, matrix.Shape);
        Assert.Equal(6.0, matrix.GetDouble(1, 2));
        Assert.Throws<ArgumentException>(() => new NpyArray(NpyDType.Float64, new long[] { 2, 2 }, new double[3]));
        Assert.Throws<ArgumentException>(() => new NpyArray(NpyDType.Float64, new long[] { 3 }, new float[3]));
    }

    private static string HeaderOf(NpyArray array)
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, array);
        var bytes = stream.ToArray();
        return Encoding.ASCII.GetString(bytes, 10, bytes[8] | bytes[9] << 8);
    }
}

/// <summary>Seeded random contents for every element type, covering negative values, extremes and non-finite reals.</summary>
public static class RandomArrays
{
    public static NpyArray Make(NpyDType dtype, long[] shape, int seed)
    {
        var random = new Random(seed);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        int n = (int)count;
        Array data = dtype.ElementType switch
        {
            var t when t == typeof(bool) => Enumerable.Range(0, n).Select(_ => random.Next(2) == 1).ToArray(),
            var t when t == typeof(sbyte) => Enumerable.Range(0, n).Select(_ => (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1)).ToArray(),
            var t when t == typeof(short) => Enumerable.Range(0, n).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray(),
            var t when t == typeof(int) => Enumerable.Range(0, n).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray(),
            var t when t == typeof(long) => Enumerable.Range(0, n).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray(),
            var t when t == typeof(byte) => Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)).ToArray(),
            var t when t == typeof(ushort) => Enumerable.Range(0, n).Select(_ => (ushort)random.Next(65536)).ToArray(),
            var t when t == typeof(uint) => Enumerable.Range(0, n).Select(_ => (uint)random.NextInt64(0, uint.MaxValue + 1L)).ToArray(),
            var t when t == typeof(ulong) => Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64() * 2 + (ulong)random.Next(2)).ToArray(),
            var t when t == typeof(Half) => Enumerable.Range(0, n).Select(i => (Half)Special(random, i)).ToArray(),
            var t when t == typeof(float) => Enumerable.Range(0, n).Select(i => (float)Special(random, i)).ToArray(),
            var t when t == typeof(double) => Enumerable.Range(0, n).Select(i => Special(random, i)).ToArray(),
            var t when t == typeof(Complex) => Enumerable.Range(0, n).Select(i => new Complex(
                dtype.ItemSize == 8 ? (float)Special(random, i) : Special(random, i),
                dtype.ItemSize == 8 ? (float)random.NextDouble() : random.NextDouble())).ToArray(),
            _ => throw new InvalidOperationException(),
        };
        return new NpyArray(dtype, shape, data);
    }

    // Mostly ordinary values, with infinities, NaN and a negative zero mixed in.
    private static double Special(Random random, int i) => (i % 11) switch
    {
        3 => double.PositiveInfinity,
        5 => double.NegativeInfinity,
        7 => double.NaN,
        9 => -0.0,
        _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)),
    };
}
