using Ppl.Bench.Cosmology;
using TorchSharp;

// Benchmarks of the cosmology library (not part of Ppl.sln; run with
// `dotnet run -c Release --project bench/Cosmology -- [timing|fit-reference] [options]`).
var options = BenchOptions.Parse(args);
if (options.Error is not null)
{
    Console.Error.WriteLine(options.Error);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Threads > 0) torch.set_num_threads(options.Threads);
return options.Mode switch
{
    "timing" => ClTiming.Run(options),
    "fit-reference" => ReferenceFit.Run(options),
    _ => 2,
};
