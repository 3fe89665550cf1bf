using System.Globalization;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>`ppl c2st` on files of draws: two halves of one sample are indistinguishable, shifted samples are not, and
/// columns are paired by name (Stan's theta.1 is theta[0]).</summary>
public sealed class CliC2stTests : TemporaryFolder
{
    private string WriteCsv(string name, string[] header, Tensor rows)
    {
        var path = In(name);
        var lines = new List<string> { string.Join(",", header) };
        var values = rows.to_type(ScalarType.Float64).data<double>().ToArray();
        int d = header.Length;
        for (int i = 0; i < values.Length / d; i++)
            lines.Add(string.Join(",", Enumerable.Range(0, d).Select(j => values[i * d + j].ToString("R", CultureInfo.InvariantCulture))));
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void TwoHalvesOfOneSampleAreIndistinguishable()
    {
        using var scope = NewDisposeScope();
        var sample = new RandomStream(11, 1, 0, [2000, 2], ScalarType.Float64, CPU).StandardNormal();
        var first = WriteCsv("first.csv", ["theta[0]", "theta[1]"], sample.narrow(0, 0, 1000));
        var second = WriteCsv("second.csv", ["theta[0]", "theta[1]"], sample.narrow(0, 1000, 1000));
        var result = CliInvocation.Run("c2st", first, second, "--seed", "3");
        Assert.True(result.Exit == 0, result.ToString());
        // Under the null the held-out accuracy of 2,000 labels has sd √(0.25/2000) ≈ 0.011; ±0.06 is over five of them.
        Assert.InRange(C2stAccuracy(result), 0.44, 0.56);
    }

    [Fact]
    public void ShiftedSamplesAreToldApartAndStanNamesMatchOurs()
    {
        using var scope = NewDisposeScope();
        var a = new RandomStream(12, 1, 0, [600, 2], ScalarType.Float64, CPU).StandardNormal();
        var b = TensorArithmetic.Add(new RandomStream(13, 1, 0, [600, 3], ScalarType.Float64, CPU).StandardNormal(), 3);
        var stan = WriteCsv("stan.csv", ["lp__", "theta.1", "theta.2"], cat([zeros(600, 1, ScalarType.Float64), a], 1));
        var ours = WriteCsv("ours.csv", ["theta[1]", "extra", "theta[0]"], b);
        var result = CliInvocation.Run("c2st", stan, ours);
        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("2 columns: theta[0], theta[1]", result.Out);
        // Means 3σ apart per axis: the Bayes accuracy is Φ(3·√2 / 2) ≈ 0.983.
        Assert.InRange(C2stAccuracy(result), 0.95, 1.0);

        var other = WriteCsv("other.csv", ["parameter_1", "parameter_2"], a);
        var unmatched = CliInvocation.Run("c2st", other, ours);
        Assert.Equal(2, unmatched.Exit);
        Assert.Contains("share no column names", unmatched.Err);
        Assert.Contains("--by-position", unmatched.Err);
    }
}
