using System.Diagnostics;
using System.Globalization;
using Ppl.Compiler;
using Ppl.Compiler.Hosting;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

// Compile time (cold and cached), simulations per second and log-density+gradient evaluations per second for each example
// at batch sizes 1, 100 and 10,000, on the CPU. Usage: dotnet run -c Release --project bench/Examples [-- --threads N] [--quick]
var argsList = args.ToList();
int threads = argsList.IndexOf("--threads") is int ti and >= 0 ? int.Parse(argsList[ti + 1], CultureInfo.InvariantCulture) : 0;
bool quick = argsList.Contains("--quick");
if (threads > 0) set_num_threads(threads);
double budget = quick ? 0.3 : 1.5; // seconds of measurement per cell

var root = FindRoot();
var examples = new[] { "two_moons", "gaussian_linear", "eight_schools", "lotka_volterra", "gaussian_random_field" };
var cacheDir = Path.Combine(Path.GetTempPath(), "ppl-bench-cache-" + Environment.ProcessId);
var cache = new CompileCache(cacheDir);

Console.WriteLine($"# Ppl example benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, torch threads {get_num_threads()}");
Console.WriteLine();
Console.WriteLine("## Compile time");
Console.WriteLine();
Console.WriteLine("| model | first compile in process (cold Roslyn) | compile (warm Roslyn) | load from disk cache |");
Console.WriteLine("|---|---|---|---|");
var compiled = new Dictionary<string, Compilation>();
bool first = true;
foreach (var name in examples)
{
    var path = Path.Combine(root, "examples", name + ".ppl");
    var text = File.ReadAllText(path);
    var sw = Stopwatch.StartNew();
    var c = Driver.Compile(path, text, new CompilationOptions { Cache = cache });
    var compileTime = sw.Elapsed;
    if (c.HasErrors) throw new InvalidOperationException(c.RenderDiagnostics());
    // A second compile with a different file name misses the cache and measures warm Roslyn.
    sw.Restart();
    Driver.Compile(path + ".warm", text, new CompilationOptions { UseCache = false });
    var warm = sw.Elapsed;
    sw.Restart();
    var cached = Driver.Compile(path, text, new CompilationOptions { Cache = cache });
    var cachedTime = sw.Elapsed;
    if (!cached.FromCache) throw new InvalidOperationException("expected a cache hit");
    compiled[name] = c;
    Console.WriteLine($"| {name} | {(first ? Ms(compileTime) : "—")} | {Ms(warm)} | {Ms(cachedTime)} |");
    first = false;
}
Console.WriteLine();
Console.WriteLine("(The cold column is the first compile in a fresh process, which pays Roslyn's start-up; the cached load includes parsing and checking, which always run.)");

foreach (var (title, measure) in new (string, Func<Model, long, double>)[]
{
    ("Simulations per second", (m, b) => SimulationsPerSecond(m, b)),
    ("Log density + gradient evaluations per second (points/s)", (m, b) => GradientsPerSecond(m, b)),
})
{
    Console.WriteLine();
    Console.WriteLine($"## {title}");
    Console.WriteLine();
    Console.WriteLine("| model | B = 1 | B = 100 | B = 10,000 |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var name in examples)
    {
        var model = Bind(compiled[name], name, root);
        if (title.StartsWith("Log", StringComparison.Ordinal) && !model.Description.Capabilities.Explicit)
        {
            Console.WriteLine($"| {name} | no density | | |");
            continue;
        }
        var cells = new[] { 1L, 100L, 10_000L }.Select(b => Rate(measure(model, b)));
        Console.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
    }
}
try { Directory.Delete(cacheDir, true); } catch (IOException) { }

double SimulationsPerSecond(Model model, long batch)
{
    var request = new SimulationRequest(batch, 1) { ChunkSize = batch };
    model.Simulate(request); // warm-up
    var sw = Stopwatch.StartNew();
    long done = 0;
    ulong seed = 2;
    while (sw.Elapsed.TotalSeconds < budget)
    {
        using var scope = NewDisposeScope();
        done += model.Simulate(request with { Seed = seed++ }).Completed;
    }
    return done / sw.Elapsed.TotalSeconds;
}

double GradientsPerSecond(Model model, long batch)
{
    using var outer = NewDisposeScope();
    var sim = model.Simulate(new SimulationRequest(batch, 3) { ChunkSize = batch });
    var u = model.Unconstrain(model.Sites.Where(s => s.InUnconstrainedVector).ToDictionary(s => s.Name, s => sim.Values[s.Name]));
    model.LogDensityAndGradient(u); // warm-up
    var sw = Stopwatch.StartNew();
    long points = 0;
    while (sw.Elapsed.TotalSeconds < budget)
    {
        using var scope = NewDisposeScope();
        model.LogDensityAndGradient(u);
        points += batch;
    }
    return points / sw.Elapsed.TotalSeconds;
}

static Model Bind(Compilation c, string name, string root)
{
    var data = new Dictionary<string, DataInput>();
    var file = Path.Combine(root, "examples", name + ".data.json");
    if (File.Exists(file))
        foreach (var (k, v) in DataFileReader.Read(file).Value!) data[k] = new DataInput(v.ToTensor(ScalarType.Float64), v.Origin);
    var prior = Model.Bind(c.Factory!(), data).Model!;
    if (prior.Description.Capabilities.Explicit)
    {
        var sim = prior.Simulate(new SimulationRequest(1, 7));
        foreach (var s in prior.ObservedSites) data[s.Name] = new DataInput(sim.Values[s.Name][0].to_type(ScalarType.Float64), "simulated");
    }
    return Model.Bind(c.Factory!(), data).Model!;
}

static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms";

static string Rate(double r) => r >= 1e6 ? (r / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M"
    : r >= 1e3 ? (r / 1e3).ToString("F1", CultureInfo.InvariantCulture) + " k" : r.ToString("F0", CultureInfo.InvariantCulture);

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new DirectoryNotFoundException("Ppl.sln not found");
}
