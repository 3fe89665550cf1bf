using System.Globalization;
using Ppl.Bench.Sbi;
using TorchSharp;

// Usage: ppl-bench-sbi [throughput|c2st|sbibm|sanity|models|lotka-volterra|lensing|all] [--threads N] [--simulations N] [--quick]
//   lensing:        [--sizes 64,256] [--batches 1,16,64] (maps/s of examples/lognormal_lensing.ppl)
//   models:         [--tasks two_moons,gaussian_linear] [--methods npe-spline,npe-maf,nle-maf,npe-spline-fast]
//   lotka-volterra: [--budgets 20,50,100,200] [--seeds 5] [--observations 1000] [--steps 1500] [--weights λ1,λ2]
//                   (default weights: the paper's 1e-7 and the λ matched to its score scale)
// Prints tables; not a test (runs for minutes to hours).
var what = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
int threads = OptionValue("--threads") ?? 1;
int simulations = OptionValue("--simulations") ?? 10_000;
bool quick = args.Contains("--quick");
torch.set_num_threads(threads);
Console.WriteLine($"libtorch threads: {torch.get_num_threads()}, processors: {Environment.ProcessorCount}");

if (what is "throughput" or "all") TrainingThroughput.Run(quick);
if (what is "lensing" or "all")
    LensingSimulationThroughput.Run(quick, ListOption("--sizes")?.Select(int.Parse).ToArray(), ListOption("--batches")?.Select(int.Parse).ToArray());
if (what is "c2st" or "all") C2stTiming.Run(quick ? 2000 : 10_000);
if (what is "sbibm" or "all") SbibmAccuracy.Run(simulations, quick);
if (what is "sanity") SbibmAccuracy.Run(simulations, quick, sanityOnly: true);
if (what is "models" or "all") ModelSbibmAccuracy.Run(simulations, quick, ListOption("--tasks"), ListOption("--methods"));
if (what is "lotka-volterra" or "all")
{
    var budgets = ListOption("--budgets")?.Select(int.Parse).ToArray() ?? [20, 50, 100, 200];
    var weights = ListOption("--weights")?.Select(w => double.Parse(w, CultureInfo.InvariantCulture)).ToArray() ?? [];
    LotkaVolterraStudy.Run(budgets, OptionValue("--seeds") ?? 5, OptionValue("--observations") ?? 1000, weights, OptionValue("--steps") ?? 1500, args.Contains("--early-stopping"), quick);
}
return 0;

int? OptionValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : null;
}

string[]? ListOption(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
}
