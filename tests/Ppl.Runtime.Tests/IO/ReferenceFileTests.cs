using Ppl.Runtime.IO;
using Ppl.Tests.Shared;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.IO;

/// <summary>The reference data written by NumPy and sbibm must read with the expected shapes and sane values.</summary>
public class ReferenceFileTests
{
    [Fact]
    public void LensingSimulationArchiveHasKappaAndLatentField()
    {
        var path = ReferenceData.PathOf("lensing", "lognormal_64px_5deg_fiducial.npz");
        var arrays = NpzReader.ReadAll(path);
        Assert.True(arrays.Succeeded, arrays.ToString());
        var kappa = arrays.Value["kappa"];
        var z = arrays.Value["z"];
        Assert.Equal(new long[] { 64, 64, 5 }, kappa.Shape);
        Assert.Equal("<f4", kappa.Descr);
        Assert.Equal(new long[] { 5, 64, 64 }, z.Shape);
        Assert.Equal(new long[] { 6 }, arrays.Value["theta"].Shape);
        Assert.Equal(64L, arrays.Value["N"].ToInt64Array()[0]);
        Assert.Equal(5.0, arrays.Value["map_size"].GetDouble());

        // Convergence maps are small numbers around zero (|kappa| well below 1); the latent field is standard normal.
        var k = kappa.ToDoubleArray();
        Assert.All(k, v => Assert.True(double.IsFinite(v)));
        Assert.InRange(k.Average(), -0.05, 0.05);
        Assert.InRange(k.Max(v => Math.Abs(v)), 1e-4, 1.0);
        var zs = z.ToDoubleArray();
        double mean = zs.Average();
        double sd = Math.Sqrt(zs.Select(v => (v - mean) * (v - mean)).Average());
        // 20480 draws: the mean's standard error is 0.007 and the sd's 0.005; these bounds are over 5 sigma wide.
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(sd, 0.95, 1.05);

        using var kappaTensor = NpzReader.ReadAllTensors(path).Value["kappa"];
        Assert.Equal(ScalarType.Float32, kappaTensor.dtype);
        Assert.Equal(k[1 * 64 * 5 + 2 * 5 + 3], kappaTensor[1, 2, 3].item<float>(), 6);
    }

    [Fact]
    public void ShiftTableHasTheGridShape()
    {
        var table = NpyReader.Read(ReferenceData.ShiftTable);
        Assert.True(table.Succeeded, table.ToString());
        Assert.Equal(new long[] { 8, 8, 8, 5, 5 }, table.Value.Shape);
        Assert.Equal("<f8", table.Value.Descr);
        var values = table.Value.ToDoubleArray();
        Assert.All(values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(8 * 8 * 8 * 25, values.Length);
    }

    [Fact]
    public void ObservationMapHasFiveTomographicBins()
    {
        // The 64 × 64 corner of the public 256 × 256 × 5 observation (tests/data/PROVENANCE.md says how it was cut).
        var read = NpyReader.ReadTensor(ReferenceData.PathOf("lensing", "m_data__256N_10ms_27gpa_0.26se_corner64.npy"));
        Assert.True(read.Succeeded, read.ToString());
        using var map = read.Value;
        Assert.Equal(new long[] { 64, 64, 5 }, map.shape);
        Assert.Equal(ScalarType.Float32, map.dtype);
        using var scope = NewDisposeScope();
        Assert.True(map.isfinite().all().item<bool>());
        // A noisy convergence map: zero mean, shape-noise standard deviation of a few percent per pixel.
        Assert.InRange(map.mean().item<float>(), -0.01f, 0.01f);
        var sd = map.std().item<float>();
        Assert.InRange(sd, 0.005f, 0.5f);
    }

    [Theory]
    // gaussian_linear keeps the first 2,000 of sbibm's 10,000 draws (tests/data/PROVENANCE.md); two_moons keeps all.
    [InlineData("gaussian_linear", 1, 10, 2_000)]
    [InlineData("gaussian_linear", 2, 10, 2_000)]
    [InlineData("two_moons", 1, 2, 10_000)]
    [InlineData("two_moons", 2, 2, 10_000)]
    public void SbibmReferencePosteriorsRead(string task, int observation, int dimensions, int draws)
    {
        var folder = $"obs{observation}";
        var samples = CsvReader.Read(ReferenceData.PathOf("sbibm", task, folder, "reference_posterior_samples.csv"));
        Assert.True(samples.Succeeded, samples.ToString());
        Assert.Equal(draws, samples.Value.RowCount);
        Assert.Equal(Enumerable.Range(1, dimensions).Select(i => $"parameter_{i}"), samples.Value.Names);
        var truth = CsvReader.Read(ReferenceData.PathOf("sbibm", task, folder, "true_parameters.csv")).Value;
        Assert.Equal(1, truth.RowCount);
        var data = CsvReader.Read(ReferenceData.PathOf("sbibm", task, folder, "observation.csv")).Value;
        Assert.Equal(dimensions, data.ColumnCount);
        Assert.All(data.Names, n => Assert.StartsWith("data_", n));
        for (int j = 0; j < dimensions; j++)
        {
            var column = samples.Value.Column(j);
            Assert.All(column, v => Assert.True(double.IsFinite(v)));
            // The true parameter lies inside the bulk of its posterior for these well-specified tasks.
            Assert.InRange(truth.Values[0, j], column.Min(), column.Max());
        }
    }

    [Fact]
    public void MissingReferenceFileFailsNamingIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ReferenceData.PathOf("sbibm", "no_such_task", "observation.csv"));
        Assert.Contains(Path.Combine("tests", "data", "sbibm", "no_such_task", "observation.csv"), error.Message);
        Assert.Contains("PROVENANCE.md", error.Message);
    }
}
