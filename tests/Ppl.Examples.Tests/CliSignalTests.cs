using System.Globalization;
using Ppl.Cli;
using Ppl.Runtime.IO;
using Ppl.Runtime.Sbi;

namespace Ppl.Examples.Tests;

/// <summary>
/// SIGINT and SIGTERM sent to a running `ppl` child process: the run stops cleanly, writes what it computed and exits
/// with 130 or 143; a killed `ppl sample` leaves CSV files whose rows are all complete (they are written as the draws
/// come). Each test parses the files left behind.
/// </summary>
public class CliSignalTests
{
    private const string Model = """
        model Simple

        param mu ~ Normal(0, 1)
        observe y ~ Normal(mu, 1)
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Data rows (non-comment lines after the header) of a chain's CSV as it stands.</summary>
    private static string[] DataRows(string csv)
    {
        if (!File.Exists(csv)) return [];
        string text;
        using (var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
            text = reader.ReadToEnd();
        return text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1).ToArray();
    }

    private static ChildCli StartLongSample(string dir) =>
        ChildCli.Start("sample", CliRunner.WriteModel(Model), "--set", "y=1.0", "--chains", "2", "--warmup", "30",
            "--draws", "100000000", "--seed", "3", "-o", dir);

    private static bool HasSamplingRows(string dir) =>
        Enumerable.Range(1, 2).All(c => DataRows(Path.Combine(dir, $"samples_{c}.csv")).Length >= 20);

    [Theory]
    [InlineData(ChildCli.SigTerm, ExitCodes.Terminated)]
    [InlineData(ChildCli.SigInt, ExitCodes.Interrupted)]
    public void SampleStopsCleanlyAndWritesEveryOutput(int signal, int expectedExit)
    {
        if (!ChildCli.Supported || ChildCli.Ignored(signal)) return;
        var dir = SampleRuns.NewDirectory("signal");
        using var child = StartLongSample(dir);
        // The CSV files grow during the run: draws are on disk before the signal.
        Assert.True(child.WaitUntil(() => HasSamplingRows(dir), Patience), $"no draws appeared\n{child}");
        child.Signal(signal);
        Assert.Equal(expectedExit, child.WaitForExit(Patience));
        Assert.Contains("the draws made so far were written", child.Err);

        var outcome = new SampleRuns.Outcome(new(expectedExit, child.Out, child.Err), dir);
        var tables = outcome.Tables(2);
        foreach (var t in tables)
        {
            Assert.True(t.RowCount >= 20, $"{t.RowCount} rows");
            Assert.Contains(t.Comments, c => c.Contains("Stopped early (Cancelled)", StringComparison.Ordinal));
            Assert.All(t.Column("mu"), v => Assert.True(double.IsFinite(v)));
        }
        var arrays = NpzReader.ReadAll(Path.Combine(dir, "draws.npz"));
        Assert.True(arrays.Succeeded, arrays.ToString());
        // Chains stop at different iterations; the npz keeps the draws every chain has.
        long common = tables.Min(t => t.RowCount);
        Assert.Equal(new long[] { 2, common }, arrays.Value["mu"].Shape);
        Assert.Contains("R_hat", File.ReadAllText(Path.Combine(dir, "summary.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "corner.png")));
    }

    [Fact]
    public void KilledSampleLeavesOnlyCompleteRows()
    {
        if (!ChildCli.Supported) return;
        var dir = SampleRuns.NewDirectory("kill");
        using var child = StartLongSample(dir);
        Assert.True(child.WaitUntil(() => HasSamplingRows(dir), Patience), $"no draws appeared\n{child}");
        child.Signal(ChildCli.SigKill);
        child.WaitForExit(Patience);
        for (int c = 1; c <= 2; c++)
        {
            var csv = Path.Combine(dir, $"samples_{c}.csv");
            var lines = File.ReadAllText(csv).Split('\n');
            Assert.Equal("", lines[^1]); // the file ends with a whole line
            var header = lines.First(l => l.Length > 0 && !l.StartsWith('#')).Split(',');
            Assert.Equal("mu", header[^1]);
            var rows = DataRows(csv);
            Assert.True(rows.Length >= 20, $"chain {c}: {rows.Length} rows");
            foreach (var row in rows)
            {
                var fields = row.Split(',');
                Assert.Equal(header.Length, fields.Length);
                Assert.All(fields, f => Assert.True(double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"'{f}' in '{row}'"));
            }
        }
    }

    [Fact]
    public void SecondSignalStopsAtOnceAndSaysWhatIsMissing()
    {
        if (!ChildCli.Supported || ChildCli.Ignored(ChildCli.SigInt)) return;
        var dir = SampleRuns.NewDirectory("twice");
        using var child = StartLongSample(dir);
        Assert.True(child.WaitUntil(() => HasSamplingRows(dir), Patience), $"no draws appeared\n{child}");
        child.Signal(ChildCli.SigInt);
        child.Signal(ChildCli.SigInt);
        Assert.Equal(ExitCodes.Interrupted, child.WaitForExit(Patience));
        // Either the outputs were complete before the second signal arrived, or the message says what is missing.
        bool complete = File.Exists(Path.Combine(dir, "summary.txt")) && File.Exists(Path.Combine(dir, "corner.png"));
        Assert.True(complete || child.Err.Contains("are missing", StringComparison.Ordinal), child.ToString());
        Assert.True(DataRows(Path.Combine(dir, "samples_1.csv")).Length >= 20);
    }

    [Fact]
    public void SimulateStopsOnSigtermAndWritesTheSimulationsMade()
    {
        if (!ChildCli.Supported) return;
        var output = Path.Combine(SampleRuns.NewDirectory("simulate"), "sims.npz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        using var child = ChildCli.Start("simulate", CliRunner.WriteModel(Model), "-n", "1000000000", "--chunk", "10", "--seed", "1", "-o", output);
        Assert.True(child.WaitUntil(() => child.Err.Contains("simulate [", StringComparison.Ordinal), Patience), $"no progress\n{child}");
        child.Signal(ChildCli.SigTerm);
        Assert.Equal(ExitCodes.Terminated, child.WaitForExit(Patience));
        var arrays = NpzReader.ReadAll(output);
        Assert.True(arrays.Succeeded, arrays.ToString());
        long n = arrays.Value["mu"].Shape[0];
        Assert.True(n >= 10 && n % 10 == 0, $"{n} simulations (whole chunks of 10 expected)");
        Assert.Equal(n, arrays.Value["y"].Shape[0]);
    }

    [Fact]
    public void TrainStopsOnSigtermAndWritesALoadableEstimator()
    {
        if (!ChildCli.Supported) return;
        var output = Path.Combine(SampleRuns.NewDirectory("train"), "est.pplz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        using var child = ChildCli.Start("train", CliRunner.WriteModel(Model), "--method", "npe", "--flow", "affine", "--sims", "500",
            "--epochs", "100000", "--patience", "100000", "--seed", "1", "-o", output);
        Assert.True(child.WaitUntil(() => child.Err.Contains("train [", StringComparison.Ordinal), Patience), $"no epoch finished\n{child}");
        child.Signal(ChildCli.SigTerm);
        Assert.Equal(ExitCodes.Terminated, child.WaitForExit(Patience));
        Assert.Contains("(interrupted)", child.Out);
        var loaded = EstimatorBundle.Load(output, null);
        Assert.True(loaded.IsSuccess, loaded.ToString());
        loaded.Value.Estimator.Dispose();
    }
}
