using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Inference.Output;

namespace Ppl.Inference.Tests;

public class OutputTests
{
    private static SamplingRun SmallRun(MetricKind metric) =>
        HamiltonianSampler.Sample(EightSchools.Density(),
            new SamplingOptions { Chains = 2, Seed = 8, NumWarmup = 40, NumSamples = 30, SaveWarmup = true, Metric = metric },
            InitialPositions.Uniform(10, 8)).GetRunOrThrow();

    /// <summary>μ, τ = e^u and the eight η as Stan would name them.</summary>
    private static ConstrainedColumns EightSchoolsColumns() => new(
        new[] { "mu", "tau" }.Concat(StanColumnNames.For("eta", new[] { 8 })).ToArray(),
        x => TorchSharp.torch.cat(new[] { x[.., ..1], x[.., 1..2].exp(), x[.., 2..] }, 1));

    [Fact]
    public void StanColumnNamesAreColumnMajor()
    {
        Assert.Equal(new[] { "z.1.1", "z.2.1", "z.1.2", "z.2.2", "z.1.3", "z.2.3" }, StanColumnNames.For("z", new[] { 2, 3 }));
        // Column k holds the row-major element [k % 2, k / 2], i.e. flat index (k % 2)·3 + k / 2.
        Assert.Equal(new[] { 0, 3, 1, 4, 2, 5 }, StanColumnNames.ColumnMajorToRowMajor(new[] { 2, 3 }));
        Assert.Equal(new[] { "theta.1", "theta.2" }, StanColumnNames.For("theta", new[] { 2 }));
        Assert.Equal(new[] { "sigma" }, StanColumnNames.For("sigma", Array.Empty<int>()));
    }

    [Fact]
    public void CmdStanCsvHasTheLayoutArviZReads()
    {
        var run = SmallRun(MetricKind.Diagonal);
        var chain = run.Chains[1];
        var writer = new StringWriter();
        CmdStanCsvWriter.Write(writer, run, chain, EightSchoolsColumns(), new CmdStanCsvHeader("eight_schools"));
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        int headerIndex = Array.FindIndex(lines, l => !l.StartsWith('#'));
        Assert.Equal("lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,tau,eta.1,eta.2,eta.3,eta.4,eta.5,eta.6,eta.7,eta.8", lines[headerIndex]);
        var config = ParseConfiguration(lines.Take(headerIndex));
        Assert.Equal("eight_schools", config["model"]);
        Assert.Equal("40", config["num_warmup"]);
        Assert.Equal("30", config["num_samples"]);
        Assert.Equal("1", config["save_warmup"]);
        Assert.Equal("2", config["id"]);
        Assert.Equal("8", config["seed"]);
        Assert.Equal("0.8", config["delta"]);
        Assert.Equal("10", config["max_depth"]);
        Assert.Equal("diag_e", config["metric"]);

        // ArviZ splits the first save_warmup·num_warmup rows off as warm-up and reads the rest as draws.
        var rows = lines.Skip(headerIndex + 1).Where(l => !l.StartsWith('#')).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(70, rows.Length);
        Assert.All(rows, r => Assert.Equal(17, r.Length));
        for (int i = 0; i < 30; i++)
        {
            var draw = chain.Samples[i];
            var row = rows[40 + i];
            // Exact by construction: numbers are written in round-trip form ("R") and parsed back.
            Assert.Equal(draw.LogDensity, row[0]);
            Assert.Equal(draw.TreeDepth, row[3]);
            Assert.Equal(draw.Divergent ? 1 : 0, row[5]);
            Assert.Equal(draw.Position[0], row[7]);
            Assert.Equal(Math.Exp(draw.Position[1]), row[8], 14);
            Assert.Equal(draw.Position[9], row[16]);
        }

        // The adaptation block sits between the warm-up rows and the draws.
        int adaptation = Array.IndexOf(lines, "# Adaptation terminated");
        Assert.Equal(headerIndex + 41, adaptation);
        Assert.Equal("# Step size = " + chain.StepSize.ToString("R", CultureInfo.InvariantCulture), lines[adaptation + 1]);
        Assert.Equal("# Diagonal elements of inverse mass matrix:", lines[adaptation + 2]);
        var metric = lines[adaptation + 3].TrimStart('#', ' ').Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(chain.Metric.InverseMassDiagonal(), metric); // exact: written in round-trip form

        // ArviZ's timing patterns: "Elapsed Time: <s> seconds (Warm-up)", then Sampling and Total lines.
        var timing = lines.Select(l => Regex.Match(l, @"^#\s*(Elapsed Time:)?\s*([0-9.]+) seconds \((Warm-up|Sampling|Total)\)")).Where(m => m.Success).ToArray();
        Assert.Equal(new[] { "Warm-up", "Sampling", "Total" }, timing.Select(m => m.Groups[3].Value));
    }

    [Fact]
    public void DenseMetricIsWrittenAsAMatrix()
    {
        var run = SmallRun(MetricKind.Dense);
        var writer = new StringWriter();
        CmdStanCsvWriter.Write(writer, run, run.Chains[0], ConstrainedColumns.Identity(10, "theta"), new CmdStanCsvHeader("m"));
        var lines = writer.ToString().Split('\n');
        int start = Array.IndexOf(lines, "# Elements of inverse mass matrix:");
        Assert.True(start > 0);
        var matrix = ((DenseMetric)run.Chains[0].Metric).InverseMass();
        for (int i = 0; i < 10; i++)
        {
            var row = lines[start + 1 + i].TrimStart('#', ' ').Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(Enumerable.Range(0, 10).Select(j => matrix[i, j]), row); // exact: round-trip form
        }
        Assert.Contains("theta.10", lines.First(l => l.StartsWith("lp__", StringComparison.Ordinal)));
    }

    [Fact]
    public void NpzHoldsEveryVariableAsChainDrawArrays()
    {
        var run = SmallRun(MetricKind.Diagonal);
        var columns = new ConstrainedColumns(
            new[] { "mu", "tau" }.Concat(StanColumnNames.For("z", new[] { 2, 4 })).ToArray(),
            x => TorchSharp.torch.cat(new[] { x[.., ..1], x[.., 1..2].exp(), x[.., 2..] }, 1));
        var path = Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8] + "-draws.npz");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var written = DrawsNpzWriter.Write(path, run, columns);
        Assert.True(written.Succeeded, written.ToString());
        using var stream = File.OpenRead(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        var arrays = zip.Entries.ToDictionary(e => e.FullName, e => ReadNpy(e));

        Assert.Equal(new long[] { 2, 30 }, arrays["mu.npy"].Shape);
        Assert.Equal(new long[] { 2, 30, 2, 4 }, arrays["z.npy"].Shape);
        Assert.Equal(new long[] { 2, 30, 10 }, arrays["unconstrained__.npy"].Shape);
        Assert.Equal(new long[] { 2, 30 }, arrays["divergent__.npy"].Shape);
        var draw = run.Chains[1].Samples[7];
        Assert.Equal(Math.Exp(draw.Position[1]), arrays["tau.npy"].Data[30 + 7], 14);
        // z.i.j is column 2 + (i−1) + 2(j−1) of the (column-major) CSV order and element [i−1, j−1] of the array.
        var z = arrays["z.npy"].Data;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(draw.Position[2 + i + 2 * j], z[(30 + 7) * 8 + i * 4 + j]); // exact: float64 bytes copied
        Assert.Equal(draw.LogDensity, arrays["lp__.npy"].Data[30 + 7]); // exact: float64 bytes copied

        // A model's latents can be left out of unconstrained__: only the leading (param) coordinates are kept.
        var paramsOnly = path + ".params.npz";
        Assert.True(DrawsNpzWriter.Write(paramsOnly, run, columns, unconstrainedCoordinates: 2).Succeeded);
        using var paramsStream = File.OpenRead(paramsOnly);
        using var paramsZip = new ZipArchive(paramsStream, ZipArchiveMode.Read);
        var unconstrained = ReadNpy(paramsZip.GetEntry("unconstrained__.npy")!);
        Assert.Equal(new long[] { 2, 30, 2 }, unconstrained.Shape);
        Assert.Equal(draw.Position[1], unconstrained.Data[(30 + 7) * 2 + 1]); // exact: float64 bytes copied
    }

    private static Dictionary<string, string> ParseConfiguration(IEnumerable<string> comments)
    {
        var result = new Dictionary<string, string>();
        foreach (var line in comments)
        {
            var m = Regex.Match(line, @"^#\s*(\S+)\s*=\s*(\S+)$");
            if (m.Success) result[m.Groups[1].Value] = m.Groups[2].Value;
        }
        return result;
    }

    private static (long[] Shape, double[] Data) ReadNpy(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        var bytes = ms.ToArray();
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f8'", header);
        Assert.Contains("'fortran_order': False", header);
        var shapeText = Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        int offset = 10 + headerLength;
        var data = new double[(bytes.Length - offset) / 8];
        for (int i = 0; i < data.Length; i++) data[i] = BitConverter.ToDouble(bytes, offset + 8 * i);
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), data.Length);
        return (shape, data);
    }
}
