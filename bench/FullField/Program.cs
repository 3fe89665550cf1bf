using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.IO;

// Explicit full-field inference of examples/lognormal_lensing.ppl at the CPU configuration (N = 64 over 5°: 6 params and
// 20,480 latent dimensions), run exactly as a user runs it: `ppl simulate` makes a seeded observation at the fiducial
// cosmology, `ppl sample` samples θ and z with the chosen settings, and the bench reads draws.npz back to print R-hat,
// bulk and tail ESS per θ, the gradient evaluations, and the wall and processor time of the sampling process.
// Not part of Ppl.sln. Build the CLI first (dotnet build src/Cli -c Release); for a long run, copy its bin folder and pass
// --ppl COPY/ppl.dll, so that a rebuild meanwhile cannot replace the assemblies under the running process (and do not
// rebuild the bench itself while it runs).
// Usage: dotnet run -c Release --project bench/FullField [-- --out DIR --obs-seed 42 --threads 1 --ppl PATH | --analyze RUNDIR]
//        or  [-- --study OPTIONS]   (the explicit-vs-implicit study: FullFieldStudy.cs, StudyOptions.cs, docs/fullfield.md)
//        [-- SAMPLE OPTIONS...]   (default sample options: the recommended ones, printed below)
var args0 = args.ToList();
int split = args0.IndexOf("--");
var own = split >= 0 ? args0.Take(split).ToList() : args0;
var sampleOptions = split >= 0 ? args0.Skip(split + 1).ToList() : Recommended();
string Option(string name, string fallback) => own.IndexOf(name) is int i and >= 0 && i + 1 < own.Count ? own[i + 1] : fallback;

if (own.Contains("--study"))
{
    // The explicit-vs-implicit study (FullFieldStudy.cs): every route as a subprocess, resumable, one table.
    var studyRoot = FindRoot();
    return Ppl.Bench.FullField.FullFieldStudy.Run(own, studyRoot, Path.Combine(studyRoot, "src", "Cli", "bin", "Release", "net10.0", "ppl.dll"));
}

if (Option("--analyze", "") is { Length: > 0 } existing)
{
    // Reads a finished (or interrupted) `ppl sample` folder: its convergence summary, without timing.
    return Report(Path.GetFullPath(existing), TimeSpan.Zero, TimeSpan.Zero);
}

var root = FindRoot();
var ppl = Option("--ppl", Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "ppl.dll"));
if (!File.Exists(ppl))
{
    Console.Error.WriteLine($"{ppl} not found: build the CLI first (dotnet build src/Cli -c Release) or pass --ppl PATH");
    return 2;
}
var output = Path.GetFullPath(Option("--out", Path.Combine(Path.GetTempPath(), "ppl-bench-fullfield")));
var obsSeed = Option("--obs-seed", "42");
var threads = Option("--threads", "1");
Directory.CreateDirectory(output);
var model = Path.Combine(root, "examples", "lognormal_lensing.ppl");
string[] configuration = { "--set", "N=64", "--set", "side_deg=5" };
string[] fiducial =
{
    "--set", "omega_c=0.2664", "--set", "omega_b=0.0492", "--set", "sigma_8=0.831",
    "--set", "h_0=0.6727", "--set", "n_s=0.9645", "--set", "w_0=-1.0",
};

// 1. The observation: one simulation at the fiducial cosmology, its noisy map y as a (64, 64, 5) array.
var observation = Path.Combine(output, "observation.npz");
var simulate = new List<string> { "--threads", threads, "simulate", model, "-n", "1", "--seed", obsSeed };
simulate.AddRange(configuration);
simulate.AddRange(fiducial);
simulate.AddRange(new[] { "-o", observation });
if (RunPpl(simulate).Exit != 0) return 1;
var y = NpzReader.ReadAll(observation).Value["y"];
var yPath = Path.Combine(output, "y.npy");
NpyWriter.Write(yPath, NpyArray.Create(y.ToDoubleArray().Select(v => (float)v).ToArray(), y.Shape.Skip(1).ToArray()));

// 2. The explicit posterior: NUTS over θ and z.
var runFolder = Path.Combine(output, "run");
var sample = new List<string> { "--threads", threads, "sample", model };
sample.AddRange(configuration);
sample.AddRange(new[] { "--set", $"y=@{yPath}" });
sample.AddRange(sampleOptions);
sample.AddRange(new[] { "-o", runFolder });
Console.WriteLine($"# Full-field NUTS, examples/lognormal_lensing.ppl at N = 64 over 5° — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"observation: ppl simulate --seed {obsSeed} at the fiducial cosmology; load average before sampling: {LoadAverage()}");
Console.WriteLine($"command: ppl {string.Join(' ', sample.Select(a => a.Replace(output, "$OUT")))}");
var (exit, wall, cpu) = RunPpl(sample);
if (exit != 0 && exit != 130) return 1; // 130: interrupted (Ctrl-C), the draws so far were written
Console.WriteLine($"load average after sampling: {LoadAverage()}");
return Report(runFolder, wall, cpu);


static int Report(string runFolder, TimeSpan wall, TimeSpan cpu)
{
    // 3. Convergence of θ, from draws.npz.
    var draws = NpzReader.ReadAll(Path.Combine(runFolder, "draws.npz")).Value;
    var summary = File.ReadAllText(Path.Combine(runFolder, "summary.txt"));
    string[] names = { "omega_c", "omega_b", "sigma_8", "h_0", "n_s", "w_0" };
    if (draws["omega_c"].Shape[1] < 4)
    {
        Console.WriteLine($"only {draws["omega_c"].Shape[1]} post-warm-up draws per chain: no convergence summary ({wall.TotalSeconds:F0} s wall, {cpu.TotalSeconds:F0} s processor)");
        return 0;
    }
    Console.WriteLine();
    Console.WriteLine("| param | mean | sd | R-hat | bulk ESS | tail ESS |");
    Console.WriteLine("|---|---|---|---|---|---|");
    double worstRHat = 0, leastBulk = double.PositiveInfinity;
    foreach (var name in names)
    {
        var chains = Chains(draws[name]);
        var pooled = ConvergenceDiagnostics.Pool(chains);
        double rhat = ConvergenceDiagnostics.RHat(chains), bulk = ConvergenceDiagnostics.EssBulk(chains), tail = ConvergenceDiagnostics.EssTail(chains);
        worstRHat = Math.Max(worstRHat, rhat);
        leastBulk = Math.Min(leastBulk, bulk);
        Console.WriteLine(FormattableString.Invariant($"| {name} | {pooled.Average():G4} | {ConvergenceDiagnostics.StandardDeviation(pooled):G3} | {rhat:F3} | {bulk:F0} | {tail:F0} |"));
    }
    var leapfrogs = draws["n_leapfrog__"].ToDoubleArray();
    var depths = draws["treedepth__"].ToDoubleArray();
    var divergent = draws["divergent__"].ToDoubleArray();
    var total = Regex.Match(summary, @"([0-9]+) gradient evaluations") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    Console.WriteLine();
    Console.WriteLine(FormattableString.Invariant(
        $"gradient evaluations: {total} in all, {leapfrogs.Sum():F0} in the {leapfrogs.Length} post-warm-up draws ({leapfrogs.Average():F1} per draw, tree depth {depths.Average():F2} on average, {divergent.Sum():F0} divergent)"));
    if (cpu == TimeSpan.Zero)
    {
        Console.WriteLine(FormattableString.Invariant($"time: not measured (--analyze); worst R-hat {worstRHat:F3}, least bulk ESS {leastBulk:F0}"));
        return 0;
    }
    Console.WriteLine(FormattableString.Invariant($"time: {wall.TotalSeconds:F0} s wall, {cpu.TotalSeconds:F0} s processor (the sampling process, all its threads)"));
    bool met = worstRHat <= 1.01 && leastBulk >= 400 && cpu.TotalSeconds <= 1800;
    Console.WriteLine(FormattableString.Invariant(
        $"target (R-hat ≤ 1.01, bulk ESS ≥ 400 for every θ, ≤ 1800 s of one core): {(met ? "met" : "not met")} — worst R-hat {worstRHat:F3}, least bulk ESS {leastBulk:F0}, {cpu.TotalSeconds:F0} s"));
    foreach (var line in summary.Split('\n').Where(l => l.StartsWith("Note", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal)).Take(12))
        Console.WriteLine(line.TrimEnd());
    return 0;
}

static List<string> Recommended() => new()
{
    "--chains", "4", "--warmup", "500", "--draws", "1000", "--seed", "1",
    "--max-depth", "6", "--init-optimize", "50", "--init-hold-params", "--init-metric", "prior", "--early-max-depth", "5",
};

static double[][] Chains(NpyArray array)
{
    var values = array.ToDoubleArray();
    int chains = (int)array.Shape[0], n = (int)array.Shape[1];
    return Enumerable.Range(0, chains).Select(c => values.Skip(c * n).Take(n).ToArray()).ToArray();
}

(int Exit, TimeSpan Wall, TimeSpan Cpu) RunPpl(List<string> arguments)
{
    // The child writes its progress and summary straight to this process's streams.
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
    info.ArgumentList.Add(ppl);
    foreach (var a in arguments) info.ArgumentList.Add(a);
    var before = ChildrenCpu();
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.WaitForExit();
    clock.Stop();
    var cpuTime = ChildrenCpu() - before;
    if (process.ExitCode != 0) Console.Error.WriteLine($"ppl {arguments[2]} failed with exit code {process.ExitCode}");
    return (process.ExitCode, clock.Elapsed, cpuTime);
}

static TimeSpan ChildrenCpu()
{
    // getrusage(RUSAGE_CHILDREN): the user + system time of the waited-for child processes.
    var usage = new long[18];
    if (!OperatingSystem.IsLinux() || Native.getrusage(-1, usage) != 0) return TimeSpan.Zero;
    double seconds = usage[0] + usage[1] * 1e-6 + usage[2] + usage[3] * 1e-6;
    return TimeSpan.FromSeconds(seconds);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new DirectoryNotFoundException("Ppl.sln not found");
}

internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "getrusage")]
    internal static partial int getrusage(int who, [Out] long[] usage);
}
