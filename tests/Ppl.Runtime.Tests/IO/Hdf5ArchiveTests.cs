using Ppl.Diagnostics;
using Ppl.Runtime.IO;
using Ppl.Tests.Shared;

namespace Ppl.Runtime.Tests.IO;

/// <summary>HDF5 simulation archives: write, append, read back, refusals, and a file from another HDF5 writer.</summary>
public class Hdf5ArchiveTests
{
    private static readonly SimulationProvenance Seed7 = new(7, 0, "Tiny");

    [Fact]
    public void WriteThenReadGivesTheSameArraysTypesAndProvenance()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("sims.h5");
        var arrays = Block(0, 5);
        Assert.True(Hdf5Archive.Write(path, arrays, Seed7).Succeeded);
        Assert.False(File.Exists(path + ".tmp"));
        var read = Hdf5Archive.Read(path);
        Assert.True(read.Succeeded, read.ToString());
        var (back, provenance) = read.Value;
        Assert.Equal(Seed7, provenance);
        Assert.Equal(["theta", "x", "k", "flag"], back.Keys);
        Assert.Equal(new long[] { 5, 2 }, back["theta"].Shape);
        Assert.Equal(arrays[0].Value.GetData<double>(), back["theta"].GetData<double>());
        Assert.Equal(new long[] { 5, 2, 3 }, back["x"].Shape);
        Assert.Equal(arrays[1].Value.GetData<float>(), back["x"].GetData<float>());
        Assert.Equal(arrays[2].Value.GetData<long>(), back["k"].GetData<long>());
        // Booleans are stored as uint8.
        Assert.Equal(arrays[3].Value.ToBooleanArray().Select(b => b ? (byte)1 : (byte)0), back["flag"].GetData<byte>());
        var one = Hdf5Archive.ReadDataset(path, "x");
        Assert.True(one.Succeeded);
        Assert.Equal(back["x"].GetData<float>(), one.Value.GetData<float>());
    }

    [Fact]
    public void AppendContinuesTheStreamAndCompressedChunkedDataReadBack()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("sims.h5");
        Assert.True(Hdf5Archive.Append(path, Block(0, 4), Seed7, compress: true).Succeeded);
        Assert.True(Hdf5Archive.Append(path, Block(4, 3), Seed7 with { FirstIndex = 4 }, compress: true).Succeeded);
        var (back, provenance) = Hdf5Archive.Read(path).Value;
        Assert.Equal(Seed7, provenance);
        var whole = Block(0, 7);
        Assert.Equal(new long[] { 7, 2 }, back["theta"].Shape);
        foreach (var k in new[] { 0, 1, 2 })
            Assert.Equal(whole[k].Value.ToDoubleArray(), back[whole[k].Key].ToDoubleArray());
    }

    [Fact]
    public void AppendRefusesWhatWouldNotContinueTheArchive()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("sims.h5");
        Assert.True(Hdf5Archive.Write(path, Block(0, 4), Seed7).Succeeded);
        var before = File.ReadAllBytes(path);
        void Refused(DataFileResult result, string message)
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal(DiagnosticCatalogue.IncompatibleAppend, error.Code);
            Assert.Contains(message, error.Message);
        }
        Refused(Hdf5Archive.Append(path, Block(5, 2), Seed7 with { FirstIndex = 5 }), "must start at 4, not 5");
        Refused(Hdf5Archive.Append(path, Block(4, 2), Seed7 with { Seed = 8, FirstIndex = 4 }), "seed 7");
        Refused(Hdf5Archive.Append(path, Block(4, 2).Take(2).ToList(), Seed7 with { FirstIndex = 4 }), "datasets theta, x, k, flag");
        var wider = Block(4, 2);
        wider[0] = new("theta", NpyArray.Create(new double[6], 2, 3));
        Refused(Hdf5Archive.Append(path, wider, Seed7 with { FirstIndex = 4 }), "dataset 'theta' is Double [n, 2] in the file and Double [n, 3]");
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void DamagedForeignAndMissingFilesAreErrorValues()
    {
        using var folder = new TemporaryFolder();
        var garbage = folder.File("garbage.h5");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4000).Select(i => (byte)(i * 37)).ToArray());
        Assert.Equal(DiagnosticCatalogue.MalformedHdf5, Assert.Single(Hdf5Archive.Read(garbage).Errors).Code);
        Assert.Equal(DiagnosticCatalogue.FileNotFound, Assert.Single(Hdf5Archive.Read(folder.File("none.h5")).Errors).Code);
        var path = folder.File("sims.h5");
        Assert.True(Hdf5Archive.Write(path, Block(0, 2), Seed7).Succeeded);
        var missing = Assert.Single(Hdf5Archive.ReadDataset(path, "sigma").Errors);
        Assert.Equal(DiagnosticCatalogue.MalformedHdf5, missing.Code);
        Assert.Contains("no dataset 'sigma' (it has theta, x, k, flag)", missing.Message);
        // A truncated archive (half its bytes) never reads as data.
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Single(Hdf5Archive.Read(path).Errors);
        Assert.Equal(DiagnosticCatalogue.MalformedHdf5, truncated.Code);
        Assert.Contains($"the file is truncated: {bytes.Length / 2} bytes of the {bytes.Length}", truncated.Message);
    }

    [Fact]
    public void ReadsChunkedGzipAndShuffleDatasetsWrittenByH5py()
    {
        // Written by h5py 3.7 / libhdf5 (bench/Hdf5/make_h5py_fixture.py).
        var path = Path.Combine(ReferenceData.RepositoryRoot, "tests", "Ppl.Runtime.Tests", "IO", "data", "h5py_chunked.h5");
        var read = Hdf5Archive.Read(path);
        Assert.True(read.Succeeded, read.ToString());
        var (arrays, provenance) = read.Value;
        Assert.Equal(new SimulationProvenance(11, 100, "FromH5py"), provenance);
        Assert.Equal(["k", "theta", "x"], arrays.Keys.Order());
        var theta = arrays["theta"];
        Assert.Equal(new long[] { 50, 2 }, theta.Shape);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(i, theta.GetDouble(i, 0));
            Assert.Equal(0.5 * i, theta.GetDouble(i, 1));
            for (int j = 0; j < 3; j++) Assert.Equal(Math.Sin(i) * (j + 1), arrays["x"].GetDouble(i, j), 1e-6);
            Assert.Equal(3 * i - 7, arrays["k"].GetData<int>()[i]);
        }
        var scale = Hdf5Archive.ReadDataset(path, "meta/scale");
        Assert.True(scale.Succeeded, scale.ToString());
        Assert.Equal(2.5, scale.Value.GetDouble(0));
        // h5py writes superblock version 0: its recorded end of file is checked too.
        using var folder = new TemporaryFolder();
        var cut = folder.File("cut.h5");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 100)]);
        Assert.Contains("truncated", Assert.Single(Hdf5Archive.Read(cut).Errors).Message);
    }

    /// <summary>Rows first..first+n of four arrays whose values are functions of the row index.</summary>
    private static List<KeyValuePair<string, NpyArray>> Block(int first, int n)
    {
        var rows = Enumerable.Range(first, n).ToArray();
        return
        [
            new("theta", NpyArray.Create(rows.SelectMany(i => new[] { i * 1.5, -i / 3.0 }).ToArray(), n, 2)),
            new("x", NpyArray.Create(rows.SelectMany(i => Enumerable.Range(0, 6).Select(e => (float)(i * 10 + e) / 7f)).ToArray(), n, 2, 3)),
            new("k", NpyArray.Create(rows.Select(i => (long)i * i - 3).ToArray(), n)),
            new("flag", NpyArray.Create(rows.Select(i => i % 3 == 0).ToArray(), n)),
        ];
    }
}
