using System.Globalization;
using Ppl.Bench.Inference;
using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using TorchSharp;

// Throughput of the batched NUTS driver: gradient evaluations per second and bulk-ESS per second for a 100-D
// correlated Gaussian and a 10-D funnel at C = 1, 4 and 16 chains.
// Usage: dotnet run -c Release --project bench/Inference [-- --warmup N --samples N --threads N]
int warmup = 500, samples = 500, threads = 1;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--warmup": warmup = value; break;
        case "--samples": samples = value; break;
        case "--threads": threads = value; break;
        default: Console.Error.WriteLine("unknown option " + args[i]); return 1;
    }
}
// One intra-op thread: the batched calls are small, and the numbers should describe one core.
torch.set_num_threads(threads);

var cases = new (string Name, Func<ILogDensityFunction> Density, int ReportCoordinate)[]
{
    ("gaussian-100d", () => new CorrelatedGaussian(100, 0.8), 0),
    ("funnel-10d", () => new Funnel(10), 0),
};
var inv = CultureInfo.InvariantCulture;
Console.WriteLine($"warm-up {warmup}, samples {samples}, torch threads {threads}");
Console.WriteLine("model           C   wall[s]  calls/s  grad/s   grad/draw  minESSbulk  ESS/s   divergent");
foreach (var (name, make, _) in cases)
    foreach (int chains in new[] { 1, 4, 16 })
    {
        var density = make();
        var options = new SamplingOptions { Chains = chains, Seed = 1, NumWarmup = warmup, NumSamples = samples };
        var run = HamiltonianSampler.Sample(density, options, InitialPositions.Uniform(density.Dimension, 1)).GetRunOrThrow();
        double wall = run.Elapsed.TotalSeconds;
        long gradients = run.Chains.Sum(c => c.GradientEvaluations);
        double gradPerDraw = run.Chains.SelectMany(c => c.Samples).Average(d => d.LeapfrogSteps);
        // ESS needs at least two chains' worth of split halves; with one chain it is still defined (two halves).
        double minEss = Enumerable.Range(0, density.Dimension)
            .Min(k => ConvergenceDiagnostics.EssBulk(run.Chains.Select(c => c.Samples.Select(d => d.Position[k]).ToArray()).ToArray()));
        int divergent = run.Chains.Sum(c => c.Samples.Count(d => d.Divergent));
        Console.WriteLine(string.Format(inv, "{0,-14} {1,2} {2,9:F2} {3,8:F0} {4,8:F0} {5,10:F1} {6,11:F0} {7,7:F0} {8,10}",
            name, chains, wall, run.BatchedCalls / wall, gradients / wall, gradPerDraw, minEss, minEss / wall, divergent));
    }

// Eight schools (non-centred) as a worked example of the summary table and the sampler report.
var eight = HamiltonianSampler.Sample(EightSchools.Density(),
    new SamplingOptions { Chains = 4, Seed = 2025, NumWarmup = 1000, NumSamples = 1000, AdaptDelta = 0.9 },
    InitialPositions.Uniform(10, 2025)).GetRunOrThrow();
Console.WriteLine();
Console.WriteLine($"eight schools, non-centred: 4 chains x 1000 draws in {eight.Elapsed.TotalSeconds:F1} s");
var names = new[] { "mu", "tau" }.Concat(Enumerable.Range(1, 8).Select(j => "eta." + j.ToString(inv))).ToArray();
Console.Write(PosteriorSummary.FromRun(eight, names, d => d.Position.Select((v, k) => k == 1 ? Math.Exp(v) : v).ToArray()).Render());
Console.Write(SamplerDiagnostics.Render(SamplerDiagnostics.Assess(eight), eight.Options.MaxTreeDepth));
return 0;
