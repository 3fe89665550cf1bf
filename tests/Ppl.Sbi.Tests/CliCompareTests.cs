using System.Globalization;
using System.Text.Json;
using Ppl.Runtime.IO;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Plotting;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>
/// `ppl compare`: FoM of known covariances (sampled and exact by construction), C2ST near 0.5 for one distribution and
/// near 1 for clearly different ones, the report files and the plot's legend, every input format, and bad input.
/// </summary>
public sealed class CliCompareTests : TemporaryFolder
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private string WriteCsv(string name, string[] header, double[,] rows, IEnumerable<string>? comments = null)
    {
        var path = In(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var lines = new List<string>(comments ?? []) { string.Join(",", header) };
        for (int i = 0; i < rows.GetLength(0); i++)
            lines.Add(string.Join(",", Enumerable.Range(0, rows.GetLength(1)).Select(j => rows[i, j].ToString("R", Inv))));
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>n draws of N(mean, L Lᵀ) for a 2×2 lower-triangular L (seeded).</summary>
    private static double[,] Gaussian(int n, ulong seed, double m0, double m1, double l00, double l10, double l11)
    {
        using var scope = NewDisposeScope();
        var z = new RandomStream(seed, 1, 0, [n, 2], ScalarType.Float64, CPU).StandardNormal().data<double>().ToArray();
        var draws = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            draws[i, 0] = m0 + l00 * z[2 * i];
            draws[i, 1] = m1 + l10 * z[2 * i] + l11 * z[2 * i + 1];
        }
        return draws;
    }

    private static JsonElement ReadJson(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compare.json"))).RootElement;

    private static JsonElement Posterior(JsonElement json, string label) =>
        json.GetProperty("posteriors").EnumerateArray().Single(p => p.GetProperty("label").GetString() == label);

    private static double Fom(JsonElement posterior) => posterior.GetProperty("fom")[0].GetProperty("value").GetDouble();

    [Fact]
    public void FomOfAKnownGaussianAndC2stOfSameAndShiftedSamples()
    {
        // Σ = L Lᵀ with L = [[1, 0], [0.6, 1.28]]: det Σ = (1 · 1.28)², FoM = 1/1.28 = 0.78125.
        var reference = WriteCsv("reference.csv", ["a", "b"], Gaussian(4000, 21, 0, 0, 1, 0.6, 1.28));
        var same = WriteCsv("same.csv", ["b", "a"], Swap(Gaussian(500, 22, 0, 0, 1, 0.6, 1.28)));
        var shifted = WriteCsv("shifted.csv", ["a", "b"], Gaussian(500, 23, 4, -4, 1, 0.6, 1.28));
        var output = In("report");
        var result = CliInvocation.Run("compare", reference, same, shifted, "--max-rows", "500", "--seed", "2", "-o", output);
        Assert.True(result.Exit == 0, result.ToString());
        var json = ReadJson(output);

        // The sample FoM's relative error is about 1/√n (log det of a 2-d sample covariance has sd ≈ 2/√n):
        // 1.6 % at n = 4,000 and 4.5 % at n = 500; the tolerances are five of those.
        Assert.InRange(Fom(Posterior(json, "reference")), 0.78125 * 0.92, 0.78125 * 1.08);
        Assert.InRange(Fom(Posterior(json, "same")), 0.78125 * 0.78, 0.78125 * 1.22);
        Assert.InRange(Fom(Posterior(json, "shifted")), 0.78125 * 0.78, 0.78125 * 1.22);

        // Under the null, held-out accuracy over 1,000 labels has sd √(0.25/1000) ≈ 0.016; ±0.08 is five of them.
        var sameTest = Posterior(json, "same").GetProperty("c2st");
        Assert.InRange(sameTest.GetProperty("accuracy").GetDouble(), 0.42, 0.58);
        Assert.Equal(500, sameTest.GetProperty("rows").GetInt64());
        // Means 4 apart along a: the Bayes accuracy exceeds Φ(2) ≈ 0.977.
        Assert.InRange(Posterior(json, "shifted").GetProperty("c2st").GetProperty("accuracy").GetDouble(), 0.95, 1.0);
        Assert.Equal(JsonValueKind.Null, Posterior(json, "reference").GetProperty("c2st").ValueKind);

        // Columns were matched by name although same.csv lists b before a.
        var marginalsA = Posterior(json, "shifted").GetProperty("marginals").GetProperty("a");
        Assert.InRange(marginalsA.GetProperty("mean").GetDouble(), 3.85, 4.15);
        Assert.Contains("reference", result.Out);
    }

    private static double[,] Swap(double[,] draws)
    {
        var swapped = new double[draws.GetLength(0), 2];
        for (int i = 0; i < draws.GetLength(0); i++) (swapped[i, 0], swapped[i, 1]) = (draws[i, 1], draws[i, 0]);
        return swapped;
    }

    /// <summary>
    /// Twelve points u_k = (cos 2πk/12, sin 2πk/12) have mean 0 and sample covariance (6/11)·I exactly; x = L u + m then has
    /// covariance (6/11)·L Lᵀ, so FoM = 11 / (6 |det L|) and the mean is m, both exact up to rounding.
    /// </summary>
    private static double[,] Constructed(double[,] l, double m0, double m1)
    {
        var draws = new double[12, 2];
        for (int k = 0; k < 12; k++)
        {
            double c = Math.Cos(2 * Math.PI * k / 12), s = Math.Sin(2 * Math.PI * k / 12);
            draws[k, 0] = m0 + l[0, 0] * c + l[0, 1] * s;
            draws[k, 1] = m1 + l[1, 0] * c + l[1, 1] * s;
        }
        return draws;
    }

    [Fact]
    public void FomIsExactOnASampleWhoseCovarianceIsKnownByConstructionAndTheReportTiesItTogether()
    {
        var wide = WriteCsv("wide.csv", ["omega_c", "sigma_8"], Constructed(new double[,] { { 2, 0 }, { 1, 0.5 } }, 0.3, 0.8));
        var narrow = WriteCsv("narrow.csv", ["omega_c", "sigma_8"], Constructed(new double[,] { { 0.5, 0.1 }, { 0, 0.25 } }, 0.25, 0.9));
        var output = In("out");
        var result = CliInvocation.Run("compare", narrow, wide, "--reference", wide, "--labels", "full field,two-point", "-o", output);
        Assert.True(result.Exit == 0, result.ToString());
        var json = ReadJson(output);
        Assert.Equal("two-point", json.GetProperty("reference").GetString());
        // |det L| = 1 and 0.125: FoM = 11/6 and 44/3.
        var wideFom = Fom(Posterior(json, "two-point"));
        var narrowFom = Fom(Posterior(json, "full field"));
        Assert.Equal(11.0 / 6, wideFom, 1e-9 * (11.0 / 6));
        Assert.Equal(44.0 / 3, narrowFom, 1e-9 * (44.0 / 3));
        var marginals = Posterior(json, "full field").GetProperty("marginals");
        Assert.Equal(0.25, marginals.GetProperty("omega_c").GetProperty("mean").GetDouble(), 1e-12);
        Assert.Equal(0.9, marginals.GetProperty("sigma_8").GetProperty("mean").GetDouble(), 1e-12);
        // sd of omega_c: √(6/11 · (0.5² + 0.1²)).
        Assert.Equal(Math.Sqrt(6.0 / 11 * 0.26), marginals.GetProperty("omega_c").GetProperty("sd").GetDouble(), 1e-12);

        var md = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("the reference is **two-point**", md);
        Assert.Contains("| posterior | omega_c–sigma_8 |", md);
        Assert.Contains("| full field | 14.667 (×8.00) |", md);
        Assert.Contains("| two-point | 1.8333 |", md);
        Assert.Contains("### `sigma_8`", md);
        Assert.Contains("![corner plot of the posteriors](corner.png)", md);
        Assert.Contains("68 % and 95 %", md);
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));

        // The plot: two panels of 240 pixels per axis plus margins; the legend sits in the empty upper-right panel and
        // shows both posteriors' colours (the reference in the first colour, blue; the other in the second, red).
        var png = PngPixels.Decode(File.ReadAllBytes(Path.Combine(output, "corner.png")));
        Assert.InRange(png.Width, 2 * 240, 2 * 240 + 8 + 220);
        Assert.InRange(png.Height, 2 * 240, 2 * 240 + 8 + 260);
        var (legendBlue, legendRed) = (0, 0);
        for (int y = 0; y < png.Height / 2 - 20; y++)
            for (int x = png.Width / 2 + 20; x < png.Width; x++)
            {
                var (r, g, b, _) = png.Pixel(x, y);
                if (Near(r, g, b, 0x1F, 0x5F, 0xA8)) legendBlue++;
                if (Near(r, g, b, 0xD1, 0x49, 0x2E)) legendRed++;
            }
        Assert.True(legendBlue > 20 && legendRed > 20, $"legend pixels: blue {legendBlue}, red {legendRed}");
        Assert.Equal((255, 255, 255, 255), png.Pixel(png.Width - 3, png.Height / 2 - 30));
    }

    private static bool Near(byte r, byte g, byte b, int r0, int g0, int b0) => Math.Abs(r - r0) + Math.Abs(g - g0) + Math.Abs(b - b0) <= 24;

    [Fact]
    public void ReadsSampleFoldersDrawsNpzPosteriorFilesAndNpy()
    {
        using var scope = NewDisposeScope();
        var draws = Gaussian(40, 31, 1, 2, 0.5, 0.2, 0.3);
        // A `ppl sample` folder: two chains in CmdStan CSVs with 5 saved warm-up rows each (garbage, to be skipped).
        var warmup = new double[5, 4];
        for (int i = 0; i < 5; i++) (warmup[i, 0], warmup[i, 1], warmup[i, 2], warmup[i, 3]) = (0, 0.5, 100, -100);
        string[] comments = ["# model = m", "#     num_warmup = 5", "#     save_warmup = 1"];
        for (int chain = 0; chain < 2; chain++)
        {
            var rows = new double[25, 4];
            for (int i = 0; i < 25; i++)
            {
                var source = i < 5 ? (warmup[i, 2], warmup[i, 3]) : (draws[chain * 20 + i - 5, 0], draws[chain * 20 + i - 5, 1]);
                (rows[i, 0], rows[i, 1], rows[i, 2], rows[i, 3]) = (-1, 0.9, source.Item1, source.Item2);
            }
            WriteCsv($"run/samples_{chain + 1}.csv", ["lp__", "accept_stat__", "theta.1", "theta.2"], rows, comments);
        }
        // draws.npz: theta [chain, draw, 2] beside lp__ [chain, draw] and unconstrained__.
        var theta = tensor(Flatten(draws), ScalarType.Float64).reshape(2, 20, 2);
        Directory.CreateDirectory(In("chains"));
        Assert.True(NpzWriter.Write(In("chains/draws.npz"), new Dictionary<string, Tensor>
        {
            ["theta"] = theta, ["lp__"] = zeros(2, 20, ScalarType.Float64), ["unconstrained__"] = TensorArithmetic.Mul(theta, 7L),
        }).Succeeded);
        // `ppl posterior`'s .npz ([n, 2] per param) and a plain .npy from another tool.
        Assert.True(NpzWriter.Write(In("posterior.npz"), new Dictionary<string, Tensor> { ["theta"] = theta.reshape(40, 2) }).Succeeded);
        Assert.True(NpyWriter.Write(In("other.npy"), theta.reshape(40, 2)).Succeeded);

        var output = In("formats");
        var result = CliInvocation.Run("compare", In("run"), In("chains/draws.npz"), In("posterior.npz"), In("other.npy"),
            "--params", "theta[0],theta[1]", "-o", output);
        Assert.True(result.Exit == 0, result.ToString());
        var json = ReadJson(output);
        var posteriors = json.GetProperty("posteriors").EnumerateArray().ToList();
        // draws.npz is named after its folder, as a `ppl sample` output would be.
        Assert.Equal(["run", "chains", "posterior", "other"], posteriors.Select(p => p.GetProperty("label").GetString()));
        double mean = posteriors[0].GetProperty("marginals").GetProperty("theta[1]").GetProperty("mean").GetDouble();
        foreach (var p in posteriors)
        {
            Assert.Equal(40, p.GetProperty("draws").GetInt32());
            Assert.Equal(mean, p.GetProperty("marginals").GetProperty("theta[1]").GetProperty("mean").GetDouble(), 1e-12);
            Assert.Equal(Fom(posteriors[0]), Fom(p), 1e-9 * Fom(posteriors[0]));
        }

        // A name without index stands for all its elements; a reference that is not one of the inputs comes first and
        // keeps its own name when --labels names the inputs only.
        var byName = CliInvocation.Run("compare", In("chains/draws.npz"), "--reference", In("run"), "--params", "theta", "--labels", "npz", "-o", In("byname"));
        Assert.True(byName.Exit == 0, byName.ToString());
        var byNameJson = ReadJson(In("byname"));
        Assert.Equal(["theta[0]", "theta[1]"], byNameJson.GetProperty("params").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("run", byNameJson.GetProperty("reference").GetString());
        Assert.Equal(["run", "npz"], byNameJson.GetProperty("posteriors").EnumerateArray().Select(p => p.GetProperty("label").GetString()));
    }

    private static double[] Flatten(double[,] values)
    {
        var flat = new double[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(double));
        return flat;
    }

    [Fact]
    public void BadInputIsAClearErrorAndWritesNothing()
    {
        var good = WriteCsv("good.csv", ["a", "b"], Gaussian(50, 41, 0, 0, 1, 0, 1));
        var other = WriteCsv("other.csv", ["a", "b"], Gaussian(50, 42, 0, 0, 1, 0, 1));
        var onlyA = WriteCsv("only_a.csv", ["a", "c"], Gaussian(50, 43, 0, 0, 1, 0, 1));
        var few = WriteCsv("few.csv", ["a", "b"], Gaussian(9, 44, 0, 0, 1, 0, 1));
        var nan = Gaussian(50, 45, 0, 0, 1, 0, 1);
        nan[17, 1] = double.NaN;
        var withNan = WriteCsv("nan.csv", ["a", "b"], nan);
        using (var scope = NewDisposeScope())
            Assert.True(NpyWriter.Write(In("three.npy"), zeros(50, 3, ScalarType.Float64)).Succeeded);
        var output = In("never");

        void Expect(int exit, string message, params string[] args)
        {
            var result = CliInvocation.Run(["compare", .. args, "-o", output]);
            Assert.True(result.Exit == exit, result.ToString());
            Assert.Contains(message, result.Err);
            Assert.DoesNotContain("internal error", result.Err);
            Assert.False(Directory.Exists(output), "nothing is written on bad input");
        }

        Expect(2, "file '" + In("missing.csv") + "' not found", good, In("missing.csv"));
        Expect(2, "--params: 'sigma' is not a column", good, other, "--params", "a,sigma");
        Expect(2, "has no column 'b'", good, onlyA, "--params", "a,b");
        Expect(1, "9 draws; a comparison needs at least 10", good, few);
        Expect(1, "draw 18 of 'b' is NaN", good, withNan);
        Expect(2, "without column names", good, In("three.npy"));
        Expect(2, "has 3 columns but 2 names were given", good, In("three.npy"), "--params", "a,b");
        Expect(2, "at least two posteriors", good);
        Expect(2, "--labels has 3 labels for 2 inputs", good, other, "--labels", "x,y,z");
        var noOutput = CliInvocation.Run("compare", good, other);
        Assert.Equal(2, noOutput.Exit);
        Assert.Contains("-o report/", noOutput.Err);
    }
}
