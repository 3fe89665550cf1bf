using Ppl.Bench.Sbi;
using TorchSharp;

// Usage: ppl-bench-sbi [throughput|c2st|sbibm|sanity|all] [--threads N] [--simulations N] [--quick]
// Prints tables; not a test (runs for minutes).
var what = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
int threads = OptionValue("--threads") ?? 1;
int simulations = OptionValue("--simulations") ?? 10_000;
bool quick = args.Contains("--quick");
torch.set_num_threads(threads);
Console.WriteLine($"libtorch threads: {torch.get_num_threads()}, processors: {Environment.ProcessorCount}");

if (what is "throughput" or "all") TrainingThroughput.Run(quick);
if (what is "c2st" or "all") C2stTiming.Run(quick ? 2000 : 10_000);
if (what is "sbibm" or "all") SbibmAccuracy.Run(simulations, quick);
if (what is "sanity") SbibmAccuracy.Run(simulations, quick, sanityOnly: true);
return 0;

int? OptionValue(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : null;
}
