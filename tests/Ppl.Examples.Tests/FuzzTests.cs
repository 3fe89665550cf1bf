using System.Diagnostics;
using System.Text.RegularExpressions;
using Ppl.Cli;
using Ppl.Tests.Shared;
using Ppl.Tests.Shared.Fuzzing;
using Xunit.Abstractions;

namespace Ppl.Examples.Tests;

/// <summary>
/// `ppl check` on fuzzed models (seeded mutations of the examples and grammar-generated models) ends with exit 0 or a
/// located error (exit 1) — never exit 3, a stack trace, an abort or an out-of-memory kill; and every input of the crash
/// corpus gives its expected diagnostic. Larger runs: `dotnet run -c Release --project bench/Fuzz`.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static readonly string CorpusDirectory = Path.Combine(ReferenceData.RepositoryRoot, "tests", "Ppl.Examples.Tests", "crash-corpus");

    public static IEnumerable<object[]> Corpus() =>
        Directory.GetFiles(CorpusDirectory, "*.ppl").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Corpus))]
    public void CrashCorpusGivesItsDiagnostic(string file)
    {
        var path = Path.Combine(CorpusDirectory, file);
        var lines = File.ReadLines(path).Take(2).ToList();
        var expect = Regex.Match(lines[0], @"^// expect: (PPL\d{4})(?: line (\d+))?$");
        Assert.True(expect.Success, $"{file}: the first line must be '// expect: PPLxxxx [line N]'");
        var args = lines.Count > 1 && lines[1].StartsWith("// args: ", StringComparison.Ordinal)
            ? lines[1]["// args: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : Array.Empty<string>();
        var r = CliRunner.Run(new[] { "check", path }.Concat(args).ToArray());
        Assert.True(r.Exit == ExitCodes.ModelError, r.ToString());
        Assert.Equal(FuzzOutcome.LocatedError, FuzzCheck.Classify(r));
        var line = expect.Groups[2].Success ? expect.Groups[2].Value : @"\d+";
        Assert.Matches(new Regex($@"{Regex.Escape(file)}:{line}:\d+: error {expect.Groups[1].Value}: "), r.Err);
    }

    [Fact]
    public void FuzzedModelsGiveAResultOrALocatedError()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("PPL_FUZZ_CHECKS"), out var n) ? n : 200;
        // The lensing examples compute cosmology tables when bound (seconds per check): they are fuzzed by bench/Fuzz, and
        // compile-only by RobustnessTests; here the cheap examples keep a run of a few hundred checks short.
        var examples = ModelFuzzer.LoadExamples(Path.Combine(ReferenceData.RepositoryRoot, "examples"))
            .Where(e => !e.Name.Contains("lensing", StringComparison.Ordinal)).ToList();
        var fuzzer = new ModelFuzzer(20261203, examples);
        var directory = Path.Combine(Path.GetTempPath(), "ppl-tests", "fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        var outcomes = new Dictionary<FuzzOutcome, int>();
        var findings = new List<string>();
        var watch = Stopwatch.StartNew();
        var slowest = (Seconds: 0.0, Origin: "");
        for (int i = 0; i < count; i++)
        {
            var c = fuzzer.Next();
            var started = watch.Elapsed.TotalSeconds;
            var (outcome, result) = FuzzCheck.Run(c, directory);
            if (watch.Elapsed.TotalSeconds - started > slowest.Seconds) slowest = (watch.Elapsed.TotalSeconds - started, c.Origin);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            bool usageExpected = outcome == FuzzOutcome.UsageError && c.Arguments.Length > 0;
            if (outcome is not (FuzzOutcome.Ok or FuzzOutcome.LocatedError) && !usageExpected)
                findings.Add($"{outcome} for {c.Origin}\n--- model\n{c.Source}\n--- ppl check\n{result}");
        }
        Directory.Delete(directory, recursive: true);
        var summary = string.Join(", ", outcomes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")) + $" in {watch.Elapsed.TotalSeconds:0.0} s";
        output.WriteLine($"{summary}; slowest case {slowest.Seconds:0.00} s ({slowest.Origin})");
        Assert.True(findings.Count == 0, $"{findings.Count} finding(s) ({summary}); the first:\n{findings.FirstOrDefault()}");
        // The run exercised both sides: valid models and located errors.
        Assert.True(outcomes.GetValueOrDefault(FuzzOutcome.Ok) > 0 && outcomes.GetValueOrDefault(FuzzOutcome.LocatedError) > 0, summary);
    }
}
