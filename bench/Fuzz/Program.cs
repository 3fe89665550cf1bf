using System.Diagnostics;
using System.Globalization;
using Ppl.Tests.Shared.Fuzzing;

namespace Ppl.Bench.Fuzz;

// Runs `ppl check` (in-process) on N fuzzed models from a seed and prints the count of each outcome, the time, and
// every finding (exit 3, a crash, an unlocated error, a usage error for a plain model) with its model, so that it can be
// added to tests/Ppl.Examples.Tests/crash-corpus. Each case runs on its own thread with a time limit (a hang is reported
// and the run stops).
// Usage: dotnet run -c Release --project bench/Fuzz [-- --count N --seed S --timeout SEC --keep DIR]
public static class FuzzBench
{
    public static int Main(string[] args)
    {
        var argsList = args.ToList();
        string? Option(string name) => argsList.IndexOf(name) is int i and >= 0 && i + 1 < argsList.Count ? argsList[i + 1] : null;
        int count = int.Parse(Option("--count") ?? "1000", CultureInfo.InvariantCulture);
        int seed = int.Parse(Option("--seed") ?? "1", CultureInfo.InvariantCulture);
        double timeout = double.Parse(Option("--timeout") ?? "120", CultureInfo.InvariantCulture);
        var keep = Option("--keep");

        var root = FindRoot();
        var fuzzer = new ModelFuzzer(seed, ModelFuzzer.LoadExamples(Path.Combine(root, "examples")));
        var directory = keep ?? Path.Combine(Path.GetTempPath(), "ppl-bench-fuzz-" + Environment.ProcessId);
        var outcomes = new SortedDictionary<FuzzOutcome, int>();
        var byOrigin = new Dictionary<(string Kind, FuzzOutcome Outcome), int>();
        int findings = 0;
        var watch = Stopwatch.StartNew();
        var slowest = (Seconds: 0.0, Name: "");
        Console.WriteLine($"# ppl check on {count} fuzzed models, seed {seed}, {Environment.ProcessorCount} cores, element limit {FuzzCheck.MaxElements}");
        for (int i = 0; i < count; i++)
        {
            var c = fuzzer.Next();
            FuzzOutcome outcome = FuzzOutcome.Crash;
            Ppl.Tests.Shared.CliResult? result = null;
            var started = watch.Elapsed.TotalSeconds;
            var thread = new Thread(() => (outcome, result) = FuzzCheck.Run(c, directory), 64 * 1024 * 1024) { IsBackground = true };
            thread.Start();
            if (!thread.Join(TimeSpan.FromSeconds(timeout)))
            {
                Console.WriteLine($"\n## HANG (> {timeout} s): {c.Name} ({c.Origin})\n```\n{c.Source}\n```\nargs: {string.Join(' ', c.Arguments)}");
                Console.WriteLine("stopping: the hung check still runs on its thread");
                findings++;
                break;
            }
            double seconds = watch.Elapsed.TotalSeconds - started;
            if (seconds > slowest.Seconds) slowest = (seconds, c.Name + " (" + c.Origin + ")");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            var kind = c.Name.StartsWith("grammar", StringComparison.Ordinal) ? "grammar" : "mutation";
            byOrigin[(kind, outcome)] = byOrigin.GetValueOrDefault((kind, outcome)) + 1;
            bool usageExpected = outcome == FuzzOutcome.UsageError && c.Arguments.Length > 0;
            if (outcome is not (FuzzOutcome.Ok or FuzzOutcome.LocatedError) && !usageExpected)
            {
                findings++;
                Console.WriteLine($"\n## {outcome}: {c.Name} ({c.Origin})\n```\n{c.Source}\n```\nargs: {string.Join(' ', c.Arguments)}\n{result}");
            }
            if ((i + 1) % 100 == 0) Console.Error.WriteLine($"{i + 1}/{count} ({watch.Elapsed.TotalSeconds:0} s)");
        }
        if (keep is null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);

        Console.WriteLine();
        Console.WriteLine("| outcome | mutations | grammar models | all |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var o in Enum.GetValues<FuzzOutcome>())
            Console.WriteLine($"| {o} | {byOrigin.GetValueOrDefault(("mutation", o))} | {byOrigin.GetValueOrDefault(("grammar", o))} | {outcomes.GetValueOrDefault(o)} |");
        Console.WriteLine();
        Console.WriteLine($"{findings} finding(s); {watch.Elapsed.TotalSeconds:0.0} s in all ({watch.Elapsed.TotalSeconds / Math.Max(1, outcomes.Values.Sum()):0.00} s per model); slowest {slowest.Seconds:0.00} s: {slowest.Name}");
        return findings == 0 ? 0 : 1;
    }

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Ppl.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("run from inside the repository");
    }
}
