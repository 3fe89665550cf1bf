using System.Diagnostics;
using System.Globalization;
using Ppl.Bench.Memory;

// Memory over long runs of the ppl command: NUTS on eight schools for about 10^6 gradient evaluations and 200 epochs of NPE
// training on two moons. The resident set size of the child process is read every --interval seconds; the table gives
// RSS at 25 %, 50 % and 90 % of the run, at the end and its peak, and the least-squares slope between 25 % and 90 % of the
// run (after start-up and compilation, before the outputs are written). ppl sample keeps every draw for the summary
// (about 0.3 kB per draw of eight schools' 10 coordinates and sampler statistics), so its expected growth is printed too.
// Usage: dotnet run -c Release --project bench/Memory [-- --ppl PATH/ppl.dll --interval 2 --quick --only sample|train]
// Build the CLI first: dotnet build src/Cli -c Release.
var inv = CultureInfo.InvariantCulture;
string root = FindRoot();
string ppl = Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "ppl.dll");
double interval = 2;
bool quick = false;
string? only = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--ppl": ppl = args[++i]; break;
        case "--interval": interval = double.Parse(args[++i], inv); break;
        case "--quick": quick = true; break;
        case "--only": only = args[++i]; break;
        default: Console.Error.WriteLine("unknown option " + args[i]); return 2;
    }
}
if (!File.Exists(ppl)) { Console.Error.WriteLine($"no ppl at {ppl}: build src/Cli -c Release first, or pass --ppl"); return 2; }

var work = Directory.CreateTempSubdirectory("ppl-bench-memory-").FullName;
// Eight schools takes ~8 leapfrog steps per iteration after warm-up: 4 chains × 31,000 iterations ≈ 10^6 gradients.
int draws = quick ? 2000 : 30000;
int epochs = quick ? 20 : 200;
var jobs = new List<(string Name, string[] Arguments)>
{
    ("sample", new[] { "sample", Path.Combine(root, "examples", "eight_schools.ppl"), "--data", Path.Combine(root, "examples", "eight_schools.data.json"),
        "--chains", "4", "--warmup", "1000", "--draws", draws.ToString(inv), "--seed", "1", "--threads", "1", "-o", Path.Combine(work, "sample") }),
    ("train", new[] { "train", Path.Combine(root, "examples", "two_moons.ppl"), "--method", "npe", "--flow", "affine", "--sims", "20000",
        "--epochs", epochs.ToString(inv), "--patience", "100000", "--seed", "1", "--threads", "1", "-o", Path.Combine(work, "two_moons.pplz") }),
};

Console.WriteLine($"# Memory over long runs — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Load()}");
Console.WriteLine();
Console.WriteLine("| run | wall s | exit | RSS at 25 % (MB) | at 50 % | at 90 % | at end | peak | slope, 25–90 % (MB/min) | draws kept (MB/min) | gradients / epochs |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
int worst = 0;
foreach (var (name, arguments) in jobs)
{
    if (only is not null && only != name) continue;
    var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
    start.ArgumentList.Add(ppl);
    foreach (var a in arguments) start.ArgumentList.Add(a);
    using var process = Process.Start(start)!;
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEndAsync();
    var series = new RssSeries();
    var clock = Stopwatch.StartNew();
    while (!process.HasExited)
    {
        series.Sample(process.Id, clock.Elapsed.TotalSeconds);
        process.WaitForExit(TimeSpan.FromSeconds(interval));
    }
    double wall = clock.Elapsed.TotalSeconds;
    string output = await stdout + await stderr;
    string work_ = name == "sample" ? GradientCount(output) : epochs.ToString(inv) + " epochs";
    Console.WriteLine(string.Create(inv,
        $"| {name} | {wall:F0} | {process.ExitCode} | {series.At(0.25):F0} | {series.At(0.5):F0} | {series.At(0.9):F0} | {series.Last:F0} | {series.Peak:F0} | {series.SlopeMegabytesPerMinute():F2} | {Kept(name, draws, wall):F2} | {work_} |"));
    if (process.ExitCode != 0)
    {
        Console.Error.WriteLine(output.Length > 4000 ? output[^4000..] : output);
        worst = 1;
    }
}
Directory.Delete(work, recursive: true);
return worst;

static string GradientCount(string output)
{
    // The summary reports the leapfrog steps of the run; fall back to '?' when its wording changes.
    foreach (var line in output.Split('\n'))
        if (line.Contains("gradient", StringComparison.OrdinalIgnoreCase) && line.Any(char.IsDigit)) return line.Trim();
    return "?";
}

// The draws ppl sample holds for its summary: 4 chains × (warm-up + draws) draws of a 10-coordinate position and the
// sampler statistics, ~0.3 kB each (array header and 10 doubles, the draw record, its list slot), spread over the run.
static double Kept(string name, int draws, double seconds) => name == "sample" ? 4.0 * draws * 0.3 / 1024 / (seconds / 60) : 0;

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("Ppl.sln not found above " + AppContext.BaseDirectory);
}
