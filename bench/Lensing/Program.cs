using Ppl.Compiler;
using Ppl.Runtime.Models;
using static TorchSharp.torch;
set_num_threads(1);
var c = Driver.CompileFile("/work/wt-lensing/examples/lognormal_lensing.ppl");
foreach (var opts in new[] { new ModelOptions(), ModelOptions.Float64 })
foreach (long n in new long[] { 4, 8 })
{
    var model = Model.Bind(c.Factory!(), new Dictionary<string, DataInput> { ["N"] = DataInput.Scalar(n, "b") }, opts).Model!;
    var big = model.Simulate(new SimulationRequest(1000, 2024) { ChunkSize = 1000 });
    foreach (long i in new long[] { 0, 1, 517, 999 })
    {
        var one = model.Simulate(new SimulationRequest(1, 2024) { FirstIndex = i, ChunkSize = 1 });
        Console.WriteLine($"{opts.RealType} N={n} i={i}: " + string.Join(" ", one.Values.Select(kv => $"{kv.Key}={((big.Values[kv.Key][i] - kv.Value[0]).abs().max() / big.Values[kv.Key][i].abs().max()).to(ScalarType.Float64).item<double>():E1}")));
    }
}
