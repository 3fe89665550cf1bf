using System.IO.Compression;
using Ppl.Runtime.IO;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.IO;

// Exact float comparisons in this class are exact by construction: values are parsed from text written in round-trip
// form or copied from binary files; no arithmetic is involved.
public class NpzTests
{
    [Fact]
    public void StoredAndDeflatedArchivesBuiltByHandAreRead()
    {
        // Archives built with System.IO.Compression directly, as numpy.savez (stored) and savez_compressed
        // (deflated) would lay them out, from .npy bytes composed in the test.
        using var folder = new TemporaryFolder();
        var a = NpyBytes.File(NpyBytes.Dict("<f8", false, 2, 2), NpyBytes.LittleEndianDoubles(1, 2, 3, 4));
        var b = NpyBytes.File(NpyBytes.Dict("<i8", false, 3), NpyBytes.LittleEndianInt64(7, 8, 9));
        foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Optimal })
        {
            var path = folder.File($"hand-{level}.npz");
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            {
                foreach (var (name, bytes) in new[] { ("a.npy", a), ("b.npy", b) })
                {
                    using var entry = zip.CreateEntry(name, level).Open();
                    entry.Write(bytes);
                }
            }
            using (var zip = ZipFile.OpenRead(path))
                Assert.Equal(level == CompressionLevel.Optimal, zip.Entries[0].CompressedLength < zip.Entries[0].Length);
            var read = NpzReader.ReadAll(path);
            Assert.True(read.Succeeded, read.ToString());
            Assert.Equal(new[] { "a", "b" }, read.Value.Keys);
            Assert.Equal(new[] { 1.0, 2, 3, 4 }, read.Value["a"].GetData<double>());
            Assert.Equal(new long[] { 2, 2 }, read.Value["a"].Shape);
            Assert.Equal(new long[] { 7, 8, 9 }, read.Value["b"].GetData<long>());
            var tensors = NpzReader.ReadAllTensors(path);
            Assert.True(tensors.Succeeded, tensors.ToString());
            foreach (var t in tensors.Value.Values) t.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriterRoundTripsArraysAndTensors(bool compressed)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("out.npz");
        var writer = NpzWriter.Create(path, compressed).Value;
        using (writer)
        {
            writer.Add("theta", NpyArray.Create(new[] { 0.3, 0.8 }, 2));
            using (var x = arange(ConstantScalars.Of(0), ConstantScalars.Of(24), ConstantScalars.Of(1), ScalarType.Float32).reshape(2, 3, 4)) writer.Add("x", x);
            writer.Add("n", NpyArray.Create(new long[] { 64 }));
            Assert.True(writer.Commit().Succeeded);
        }
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(new[] { "theta.npy", "x.npy", "n.npy" }, zip.Entries.Select(e => e.FullName));
            // Stored entries (numpy.savez) have equal sizes; even deflate at level 0 would add block headers.
            if (compressed) Assert.True(zip.Entries[1].CompressedLength < zip.Entries[1].Length);
            else Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        }
        using var reader = NpzReader.Open(path).Value;
        Assert.Equal(new[] { "theta", "x", "n" }, reader.Names);
        Assert.Equal(new[] { 0.3, 0.8 }, reader.Read("theta").Value.GetData<double>());
        using var x2 = reader.ReadTensor("x").Value;
        Assert.Equal(ScalarType.Float32, x2.dtype);
        Assert.Equal(23f, x2[1, 2, 3].item<float>());
        Assert.Equal(64L, reader.Read("n").Value.GetData<long>()[0]);
        var missing = reader.Read("nope");
        Assert.Contains("'theta', 'x', 'n'", Assert.Single(missing.Errors).Message);
    }

    [Fact]
    public void ArchiveAppearsUnderItsNameOnlyWhenCommitted()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("sims.npz");
        File.WriteAllText(path, "previous contents");
        using (var writer = NpzWriter.Create(path).Value)
        {
            writer.Add("a", NpyArray.Create(new[] { 1.0 }, 1));
            Assert.True(File.Exists(path + ".tmp"));
            Assert.Equal("previous contents", File.ReadAllText(path));
            // Disposed without Commit: as if the run were interrupted.
        }
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal("previous contents", File.ReadAllText(path));

        using (var writer = NpzWriter.Create(path).Value)
        {
            writer.Add("a", NpyArray.Create(new[] { 1.0 }, 1));
            Assert.True(writer.Commit().Succeeded);
            Assert.Throws<InvalidOperationException>(() => writer.Add("b", NpyArray.Create(new[] { 1.0 })));
        }
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(new[] { "a" }, NpzReader.ReadAll(path).Value.Keys);
    }

    [Fact]
    public void DuplicateNamesAreABugInTheWriterAndAnErrorInTheReader()
    {
        using var folder = new TemporaryFolder();
        using (var writer = NpzWriter.Create(folder.File("d.npz")).Value)
        {
            writer.Add("a", NpyArray.Create(new[] { 1.0 }));
            Assert.Throws<ArgumentException>(() => writer.Add("a", NpyArray.Create(new[] { 2.0 })));
        }
        var path = folder.File("dup.npz");
        var bytes = NpyBytes.File(NpyBytes.Dict("<f8", false), NpyBytes.LittleEndianDoubles(1));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var name in new[] { "a.npy", "a" })
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(bytes);
            }
        }
        Assert.Equal("PPL0510", Assert.Single(NpzReader.ReadAll(path).Errors).Code);
    }

    [Fact]
    public void BrokenArchivesAreErrorValues()
    {
        using var folder = new TemporaryFolder();
        var notZip = folder.File("bad.npz");
        File.WriteAllText(notZip, "this is not a zip file, just text long enough to look for a directory");
        Assert.Equal("PPL0505", Assert.Single(NpzReader.ReadAll(notZip).Errors).Code);
        Assert.Equal("PPL0501", Assert.Single(NpzReader.ReadAll(folder.File("missing.npz")).Errors).Code);

        var badEntry = folder.File("badentry.npz");
        using (var zip = ZipFile.Open(badEntry, ZipArchiveMode.Create))
        {
            using var entry = zip.CreateEntry("x.npy").Open();
            entry.Write("garbage"u8);
        }
        var error = Assert.Single(NpzReader.ReadAll(badEntry).Errors);
        Assert.Equal("PPL0505", error.Code);
        Assert.EndsWith("badentry.npz[x]", error.Path);
    }

    [Fact]
    public void DataFilesAreReadByExtension()
    {
        using var folder = new TemporaryFolder();
        var npz = folder.File("data.npz");
        Assert.True(NpzWriter.Write(npz, new Dictionary<string, NpyArray>
        {
            ["N"] = NpyArray.Create(new long[] { 5 }),
            ["y"] = NpyArray.Create(new[] { 1.5f, 2.5f }, 2),
            ["mask"] = NpyArray.Create(new[] { true, false }, 2),
        }).Succeeded);
        var values = DataFileReader.Read(npz);
        Assert.True(values.Succeeded, values.ToString());
        Assert.True(values.Value["N"].IsInteger);
        Assert.True(values.Value["N"].IsScalar);
        Assert.False(values.Value["y"].IsInteger);
        Assert.True(values.Value["mask"].IsBoolean);
        Assert.Equal($"{npz}[y]", values.Value["y"].Origin);
        using var y = values.Value["y"].ToTensor();
        Assert.Equal(ScalarType.Float64, y.dtype);

        var npy = folder.File("obs.npy");
        Assert.True(NpyWriter.Write(npy, NpyArray.Create(new[] { 1.0, 2.0 }, 2)).Succeeded);
        Assert.Equal(new[] { "obs" }, DataFileReader.Read(npy).Value.Keys);

        Assert.Equal("PPL0512", Assert.Single(DataFileReader.Read(folder.File("data.txt")).Errors).Code);
    }
}
