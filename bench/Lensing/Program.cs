using System.Globalization;
using Ppl.Bench.Lensing;
using Ppl.Compiler;
using static TorchSharp.torch;

// Throughput of examples/lognormal_lensing.ppl on the CPU: simulations per second and log-density + gradient evaluations
// per second at N = 64, 128 and 256 (10° maps, the Y10 survey), with one torch thread and with the default number, and
// where the time goes: the C_ell (Limber integral and shifts, per cosmology), the spectra and their per-mode square roots
// (steps 1–5, per cosmology), and the maps from the latent field (steps 6–8), and the per-mode eigh alone (LAPACK vs Jacobi). Not part of Ppl.sln.
// Usage: dotnet run -c Release --project bench/Lensing [-- --sizes 64,128,256] [--threads 1,0] [--budget SECONDS]
//        dotnet run -c Release --project bench/Lensing -- --compare OTHER.ppl [--sizes 64,256] [--rounds 10]
//        (a changed copy of the model against examples/lognormal_lensing.ppl: maps, gradient and times side by side)
var options = args.ToList();
string Option(string name, string fallback) => options.IndexOf(name) is int i and >= 0 && i + 1 < options.Count ? options[i + 1] : fallback;
var sizes = Option("--sizes", "64,128,256").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var threadCounts = Option("--threads", "1,0").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
double budget = double.Parse(Option("--budget", "3"), CultureInfo.InvariantCulture);
int defaultThreads = get_num_threads();

var root = FindRoot();
var source = File.ReadAllText(Path.Combine(root, "examples", "lognormal_lensing.ppl"));
var full = Driver.Compile("lognormal_lensing.ppl", source);
// The same model with a fixed cosmology: the C_ell, spectra and square roots depend on data only and are computed once,
// when the data are bound, so a run costs only the maps from z (and the noise).
var mapsOnly = Driver.Compile("lognormal_lensing_maps_only.ppl",
    source.Replace("let cosmo = wcdm(omega_c, omega_b, h_0, n_s, sigma_8, w_0)", "let cosmo = wcdm(0.2664, 0.0492, 0.6727, 0.9645, 0.831, -1.0)"));
foreach (var c in new[] { full, mapsOnly })
    if (c.HasErrors) throw new InvalidOperationException(c.RenderDiagnostics());

if (Option("--compare", "") is { Length: > 0 } otherPath)
{
    set_num_threads(1);
    var other = Driver.Compile(Path.GetFileName(otherPath), File.ReadAllText(otherPath));
    if (other.HasErrors) throw new InvalidOperationException(other.RenderDiagnostics());
    int rounds = int.Parse(Option("--rounds", "10"), CultureInfo.InvariantCulture);
    foreach (long n in sizes) ModelComparison.Run(full, other, n, n <= 64 ? 5.0 : 10.0, rounds);
    return;
}

// Warm-up: a few seconds at the smallest size, so that the JIT has optimised the hot paths before anything is measured.
var warmUp = new LensingTiming(full, mapsOnly, sizes.Min(), 1.0);
warmUp.Simulations(1);
warmUp.Gradients(1);
warmUp.Split(warmUp.Simulations(1), warmUp.Gradients(1));

Console.WriteLine($"# examples/lognormal_lensing.ppl on the CPU — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, float32, 10° maps");
Console.WriteLine();
Console.WriteLine("Rates are per simulation or per evaluated point, from the fastest of at least three runs: wall time, and the process's processor time in parentheses.");
foreach (int threads in threadCounts)
{
    int t = threads > 0 ? threads : defaultThreads;
    set_num_threads(t);
    Console.WriteLine();
    Console.WriteLine($"## {t} torch thread{(t == 1 ? "" : "s")}");
    Console.WriteLine();
    Console.WriteLine("| N | simulations/s (B = 1) | simulations/s (B = 8) | log density + gradient/s (B = 1) | log density + gradient/s (B = 8) |");
    Console.WriteLine("|---|---|---|---|---|");
    var splits = new List<string>();
    foreach (long n in sizes)
    {
        var bench = new LensingTiming(full, mapsOnly, n, budget);
        var sim1 = bench.Simulations(1);
        var sim8 = bench.Simulations(8);
        var grad1 = bench.Gradients(1);
        var grad8 = bench.Gradients(8);
        Console.WriteLine($"| {n} | {sim1.Rate(1)} | {sim8.Rate(8)} | {grad1.Rate(1)} | {grad8.Rate(8)} |");
        var split = bench.Split(sim1, grad1);
        splits.Add($"| {n} | {split.SimCl} | {split.SimSpectra} | {split.SimMaps} | {split.GradCl} | {split.GradSpectra} | {split.GradMaps} |");
    }
    Console.WriteLine();
    Console.WriteLine("Where the time of one simulation / one log density + gradient goes (B = 1, ms of processor time, all threads):");
    Console.WriteLine();
    Console.WriteLine("| N | sim: C_ell + shifts | sim: spectra + square roots (steps 1–5) | sim: maps + noise (6–8) | grad: C_ell + shifts | grad: steps 1–5 | grad: maps and densities |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var row in splits) Console.WriteLine(row);
    Console.WriteLine();
    Console.WriteLine("The per-mode eigen-decomposition of N² 5 × 5 matrices alone (ms of processor time; LAPACK = libtorch's linalg.eigh, Jacobi = Ppl's batched kernel):");
    Console.WriteLine();
    Console.WriteLine("| N | LAPACK forward | Jacobi forward | LAPACK forward + backward | Jacobi forward + backward |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (long n in sizes)
    {
        var bench = new LensingTiming(full, mapsOnly, n, budget);
        static string Ms(Timing t) => t.CpuMs.ToString(t.CpuMs >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {n} | {Ms(bench.Eigh(false, false))} | {Ms(bench.Eigh(true, false))} | {Ms(bench.Eigh(false, true))} | {Ms(bench.Eigh(true, true))} |");
    }
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new DirectoryNotFoundException("Ppl.sln not found");
}
