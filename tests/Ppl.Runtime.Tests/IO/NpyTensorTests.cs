using Ppl.Runtime.IO;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.IO;

// Exact float comparisons in this class are exact by construction: values are parsed from text written in round-trip
// form or copied from binary files; no arithmetic is involved.
public class NpyTensorTests
{
    public static TheoryData<ScalarType, ScalarType> TensorTypes() => new()
    {
        { ScalarType.Float64, ScalarType.Float64 },
        { ScalarType.Float32, ScalarType.Float32 },
        { ScalarType.Float16, ScalarType.Float16 },
        { ScalarType.Int64, ScalarType.Int64 },
        { ScalarType.Int32, ScalarType.Int64 },
        { ScalarType.Int16, ScalarType.Int64 },
        { ScalarType.Int8, ScalarType.Int64 },
        { ScalarType.Byte, ScalarType.Int64 },
        { ScalarType.Bool, ScalarType.Bool },
        { ScalarType.ComplexFloat32, ScalarType.ComplexFloat32 },
        { ScalarType.ComplexFloat64, ScalarType.ComplexFloat64 },
    };

    [Theory]
    [MemberData(nameof(TensorTypes))]
    public void TensorsSurviveWriteAndRead(ScalarType written, ScalarType expectedRead)
    {
        foreach (var shape in new[] { Array.Empty<long>(), new long[] { 0 }, new long[] { 5 }, new long[] { 3, 4 }, new long[] { 2, 3, 2 } })
        {
            using var scope = NewDisposeScope();
            var source = MakeTensor(written, shape);
            using var stream = new MemoryStream();
            NpyWriter.Write(stream, source);
            stream.Position = 0;
            var read = NpyReader.ReadTensor(stream, "memory");
            Assert.True(read.Succeeded, read.ToString());
            var tensor = read.Value.DetachFromDisposeScope();
            using var owned = tensor;
            Assert.Equal(expectedRead, owned.dtype);
            Assert.Equal(shape, owned.shape);
            Assert.True(SameValues(owned, source.to(expectedRead)), $"{written} {string.Join("x", shape)}");
            // The plain-array path must agree with the tensor path.
            stream.Position = 0;
            var plain = NpyReader.Read(stream, "memory").Value;
            Assert.Equal(NpyDType.For(written).Descr, plain.Descr);
            var fromPlain = plain.ToTensor();
            Assert.True(SameValues(fromPlain, owned));
        }
    }

    [Fact]
    public void NonContiguousViewsAreWrittenInLogicalOrder()
    {
        using var scope = NewDisposeScope();
        var matrix = arange(ConstantScalars.Of(0), ConstantScalars.Of(12), ConstantScalars.Of(1), ScalarType.Float64).reshape(3, 4);
        var transposed = matrix.t();
        Assert.False(transposed.is_contiguous());
        var array = NpyArray.FromTensor(transposed);
        Assert.Equal(new long[] { 4, 3 }, array.Shape);
        Assert.Equal(new[] { 0.0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, array.GetData<double>());
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, transposed);
        stream.Position = 0;
        Assert.Equal(new[] { 0.0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, NpyReader.Read(stream, "m").Value.GetData<double>());
    }

    [Fact]
    public void BFloat16IsWrittenAsFloat32()
    {
        using var scope = NewDisposeScope();
        var source = tensor(new[] { 1.5f, -3f, 0.25f }).to(ScalarType.BFloat16);
        var array = NpyArray.FromTensor(source);
        Assert.Equal("<f4", array.Descr);
        Assert.Equal(new[] { 1.5f, -3f, 0.25f }, array.GetData<float>());
    }

    [Fact]
    public void TensorsLargerThanOneChunkRoundTrip()
    {
        // 1.5 million doubles = 12 MB, more than one 8 MB chunk, with a remainder chunk.
        using var scope = NewDisposeScope();
        var source = arange(ConstantScalars.Of(0), ConstantScalars.Of(1_500_000), ConstantScalars.Of(1), ScalarType.Float64).mul(ConstantScalars.Of(0.5)).reshape(1000, 1500);
        using var folder = new TemporaryFolder();
        var path = folder.File("big.npy");
        Assert.True(NpyWriter.Write(path, source.t()).Succeeded);
        var read = NpyReader.ReadTensor(path);
        Assert.True(read.Succeeded, read.ToString());
        using var readBack = read.Value;
        Assert.True(SameValues(readBack, source.t()));
        var plain = NpyReader.Read(path).Value;
        Assert.Equal(source[7, 1234].item<double>(), plain.GetDouble(1234, 7));
    }

    [Fact]
    public void StreamWriterGrowsTheFirstDimension()
    {
        using var stream = new MemoryStream();
        using (var writer = new NpyStreamWriter(stream, NpyDType.Float64, new long[] { -1, 3 }, leaveOpen: true))
        {
            writer.Write(new double[] { 1, 2, 3 });
            using (var rows = tensor(new double[] { 4, 5, 6, 7, 8, 9 }, new long[] { 2, 3 })) writer.Write(rows);
            writer.Write(new ReadOnlySpan<double>(new double[] { 10, 11, 12 }));
            Assert.True(writer.Complete().Succeeded);
        }
        stream.Position = 0;
        var array = NpyReader.Read(stream, "grown").Value;
        Assert.Equal(new long[] { 4, 3 }, array.Shape);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (double)i), array.GetData<double>());
        var bytes = stream.ToArray();
        Assert.Equal(0, (10 + (bytes[8] | bytes[9] << 8)) % 64);
    }

    [Fact]
    public void StreamWriterCanWriteBigEndian()
    {
        using var stream = new MemoryStream();
        using (var writer = new NpyStreamWriter(stream, NpyDType.Parse(">i4")!.Value, new long[] { 2 }, leaveOpen: true))
        {
            writer.Write(new[] { 1, -2 });
            writer.Complete();
        }
        var bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE }, bytes[^8..]);
        stream.Position = 0;
        Assert.Equal(new[] { 1, -2 }, NpyReader.Read(stream, "be").Value.GetData<int>());
    }

    [Fact]
    public void StreamWriterRefusesMisuse()
    {
        using var stream = new MemoryStream();
        using var fixedShape = new NpyStreamWriter(stream, NpyDType.Float32, new long[] { 2 }, leaveOpen: true);
        Assert.Throws<ArgumentException>(() => fixedShape.Write(new double[] { 1 }));
        fixedShape.Write(new float[] { 1 });
        Assert.Throws<InvalidOperationException>(() => fixedShape.Complete());
        using var growing = new NpyStreamWriter(new MemoryStream(), NpyDType.Float32, new long[] { -1, 2 });
        growing.Write(new float[] { 1, 2, 3 });
        Assert.Throws<InvalidOperationException>(() => growing.Complete());
        using var other = new NpyStreamWriter(new MemoryStream(), NpyDType.Float32, new long[] { 1 });
        Assert.Throws<InvalidOperationException>(() => other.Write(new float[] { 1, 2 }));
    }

    [Fact]
    public void StreamedFileAppearsOnlyWhenComplete()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("draws.npy");
        var created = NpyStreamWriter.Create(path, NpyDType.Float64, new long[] { -1, 2 });
        Assert.True(created.Succeeded);
        using (var writer = created.Value)
        {
            writer.Write(new double[] { 1, 2, 3, 4 });
            Assert.False(File.Exists(path));
            Assert.True(File.Exists(path + ".tmp"));
            Assert.True(writer.Complete().Succeeded);
        }
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(new long[] { 2, 2 }, NpyReader.Read(path).Value.Shape);

        var abandoned = folder.File("abandoned.npy");
        using (var writer = NpyStreamWriter.Create(abandoned, NpyDType.Float64, new long[] { 3 }).Value)
            writer.Write(new double[] { 1 });
        Assert.False(File.Exists(abandoned));
        Assert.False(File.Exists(abandoned + ".tmp"));
    }

    /// <summary>Same shape, type and elements (NaN equal to NaN).</summary>
    public static bool SameValues(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape)) return false;
        var equal = a.eq(b);
        if (a.is_floating_point() || a.is_complex()) equal = equal.logical_or(a.isnan().logical_and(b.isnan()));
        return equal.all().item<bool>();
    }

    private static Tensor MakeTensor(ScalarType type, long[] shape)
    {
        var generator = new Generator(1234);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var baseValues = (TensorArithmetic.Mul(randn(new[] { n }, ScalarType.Float64, generator: generator), 50)).reshape(shape);
        return type switch
        {
            ScalarType.Bool => baseValues > ConstantScalars.Of(0),
            ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64 => complex(baseValues, TensorArithmetic.Mul(baseValues, -0.5)).to(type),
            ScalarType.Byte => baseValues.abs().to(type),
            _ => baseValues.to(type),
        };
    }
}
