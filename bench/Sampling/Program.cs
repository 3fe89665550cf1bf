using System.Globalization;
using Ppl.Bench.Sampling;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using TorchSharp;

// NUTS on compiled models as `ppl sample` runs them: gradient evaluations per second and bulk-ESS per second of
// the params for the examples and a 5×64×64 log-normal latent field, at C = 1 and 4 chains, as one table.
// Usage: dotnet run -c Release --project bench/Sampling [-- --threads N --float64 --device cuda --only NAME --scale F
//        --limit SEC --density-only]
// --scale multiplies every case's iterations (0.2 for a quick look); --limit stops a run after SEC seconds (300 by
// default; the row is then marked and its numbers cover what was sampled); --density-only times the batched density
// and gradient alone (no sampling).
int threads = 1;
bool float64 = false;
string device = "cpu";
string? only = null;
double scale = 1;
bool densityOnly = false;
double limit = 300;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--float64": float64 = true; break;
        case "--device": device = args[++i]; break;
        case "--only": only = args[++i]; break;
        case "--scale": scale = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--density-only": densityOnly = true; break;
        case "--limit": limit = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--torch-lib":
            if (TorchSetup.LoadExternalLibTorch(args[++i]) is { } libError) { Console.Error.WriteLine(libError); return 1; }
            break;
        default: Console.Error.WriteLine("unknown option " + args[i]); return 1;
    }
}
// One intra-op thread by default: the numbers then describe one core, and the machine's other users are spared.
torch.set_num_threads(threads);
var (resolved, deviceError) = TorchSetup.ResolveDevice(device);
if (resolved is null) { Console.Error.WriteLine(deviceError); return 1; }
var options = new ModelOptions { RealType = float64 ? torch.ScalarType.Float64 : torch.ScalarType.Float32, Device = resolved };

string root = SamplingCase.RepositoryRoot();
var cases = new[]
{
    new SamplingCase("eight_schools", "examples/eight_schools.ppl", 1000, 1000,
        r => SamplingCase.FromFile(Path.Combine(r, "examples", "eight_schools.data.json"))),
    new SamplingCase("gaussian_linear", "examples/gaussian_linear.ppl", 1000, 1000, SamplingCase.GaussianLinearObservation),
    new SamplingCase("lotka_volterra", "examples/lotka_volterra.ppl", 150, 150, _ => new()),
    new SamplingCase("gaussian_random_field", "examples/gaussian_random_field.ppl", 300, 300, _ => new()),
    new SamplingCase("lognormal_field", "bench/models/lognormal_field.ppl", 100, 100, _ => new()),
};
var inv = CultureInfo.InvariantCulture;
Console.WriteLine("density and gradient alone, at prior draws: milliseconds per batched call of C rows, as process CPU time per call");
Console.WriteLine("(the machine may be shared: CPU time is what the call costs, whatever else runs) and as the median wall time");
Console.WriteLine("model                    D   C=1 cpu/wall[ms]   C=4 cpu/wall[ms]   C=16 cpu/wall[ms]");
foreach (var c in cases.Where(c => only is null || c.Name == only))
{
    var model = c.Bind(root, options);
    var density = ModelLogDensity.Create(model).Density ?? throw new InvalidOperationException("no density");
    var times = new[] { 1, 4, 16 }.Select(rows => DensityTiming.MillisecondsPerCall(model, density, rows)).ToArray();
    Console.WriteLine(string.Format(inv, "{0,-22} {1,6} {2,8:F2} / {3,-7:F2} {4,8:F2} / {5,-7:F2} {6,8:F2} / {7,-7:F2}", c.Name, model.Dimension,
        times[0].Cpu, times[0].Wall, times[1].Cpu, times[1].Wall, times[2].Cpu, times[2].Wall));
}
if (densityOnly) return 0;
Console.WriteLine();
Console.WriteLine($"torch threads {threads}, {(float64 ? "float64" : "float32")}, device {resolved}, seed 1, adapt delta 0.8, diagonal metric");
Console.WriteLine("rates per second of process CPU time over the whole run (warm-up included); wall-clock seconds for reference");
Console.WriteLine("model                    D      C  warmup  draws  cpu[s]  wall[s]   grad/s  calls/s  leapfrog/draw  minESS(params)   ESS/s  divergent");
foreach (var c in cases.Where(c => only is null || c.Name == only))
{
    var model = c.Bind(root, options);
    var density = ModelLogDensity.Create(model).Density ?? throw new InvalidOperationException("no density");
    var columns = ModelColumns.For(model, includeLatents: false);
    int warmup = Math.Max(10, (int)(c.Warmup * scale)), draws = Math.Max(10, (int)(c.Draws * scale));
    foreach (int chains in new[] { 1, 4 })
    {
        var sampling = new SamplingOptions { Chains = chains, Seed = 1, NumWarmup = warmup, NumSamples = draws, TimeLimit = TimeSpan.FromSeconds(limit) };
        var init = ModelInitialisation.Create(model, 1, chains, 1, new Dictionary<string, Ppl.Runtime.Models.DataInput>()).Initialisation!;
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var result = HamiltonianSampler.Sample(density, sampling, init.Source, new ProgressLog(c.Name));
        double cpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        if (result.Run is not { } run)
        {
            Console.WriteLine(string.Format(inv, "{0,-22} {1,6} {2,3}  failed: {3}", c.Name, model.Dimension, chains, result.Error));
            continue;
        }
        double wall = run.Elapsed.TotalSeconds;
        long gradients = run.Chains.Sum(ch => ch.GradientEvaluations);
        int kept = run.Chains.Min(ch => ch.Samples.Count);
        var values = run.Chains.Select(ch => columns.Apply(ch.Samples.Take(kept).Select(d => d.Position).ToArray())).ToArray();
        double minEss = kept < 4 ? double.NaN : Enumerable.Range(0, columns.Names.Count)
            .Min(k => ConvergenceDiagnostics.EssBulk(values.Select(chain => chain.Select(row => row[k]).ToArray()).ToArray()));
        double leapfrog = kept == 0 ? double.NaN : run.Chains.SelectMany(ch => ch.Samples).Average(d => d.LeapfrogSteps);
        int divergent = run.Chains.Sum(ch => ch.Samples.Count(d => d.Divergent));
        Console.WriteLine(string.Format(inv, "{0,-22} {1,6} {2,3} {3,7} {4,6} {5,7:F1} {6,8:F1} {7,8:F0} {8,8:F0} {9,14:F1} {10,15:F0} {11,7:F2} {12,10}",
            c.Name, model.Dimension, chains, warmup, draws, cpu, wall, gradients / cpu, run.BatchedCalls / cpu, leapfrog, minEss, minEss / cpu, divergent)
            + (run.StopReason == StopReason.TimeLimit
                ? string.Format(inv, "  (stopped at {0} s: {1} of {2} iterations)", limit, run.Chains.Min(ch => ch.IterationsCompleted), warmup + draws)
                : ""));
    }
}
return 0;

/// <summary>A line on standard error every ten seconds, so that a long case shows where it is.</summary>
internal sealed class ProgressLog(string name) : IProgress<SamplingProgress>
{
    private TimeSpan _last;

    public void Report(SamplingProgress value)
    {
        if (value.Elapsed - _last < TimeSpan.FromSeconds(10)) return;
        _last = value.Elapsed;
        Console.Error.WriteLine(FormattableString.Invariant($"  {name} {value.Elapsed.TotalSeconds:F0}s: ") + string.Join("; ", value.Chains.Select(c =>
            FormattableString.Invariant($"chain {c.ChainId} {c.Iteration}/{c.TotalIterations} depth {c.TreeDepth} step {c.StepSize:G3}"))));
    }
}
