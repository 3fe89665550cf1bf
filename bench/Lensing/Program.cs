using System.Diagnostics;
using Ppl.Compiler;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

set_num_threads(1);
var root = "/work/wt-lensing";
var text = File.ReadAllText(Path.Combine(root, "examples", "lognormal_lensing.ppl"));
var mapOnly = text.Replace("let cosmo = wcdm(omega_c, omega_b, h_0, n_s, sigma_8, w_0)", "let cosmo = wcdm(0.2664, 0.0492, 0.6727, 0.9645, 0.831, -1.0)");
foreach (var (label, src) in new[] { ("full", text), ("map", mapOnly) })
{
    var c = Driver.Compile("lensing.ppl", src);
    if (c.HasErrors) throw new Exception(c.RenderDiagnostics());
    foreach (long n in new long[] { 64, 128, 256 })
    {
        var data = new Dictionary<string, DataInput> { ["N"] = DataInput.Scalar(n, "bench") };
        var model = Model.Bind(c.Factory!(), data).Model!;
        var req = new SimulationRequest(1, 1) { ChunkSize = 1, RecordLets = new HashSet<string>() };
        model.Simulate(req);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        int reps = n == 256 ? 3 : 10;
        for (int r = 0; r < reps; r++) model.Simulate(req);
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / reps;
        Console.WriteLine($"{label} N={n}: {sw.Elapsed.TotalMilliseconds / reps:F1} ms/sim wall, {cpuMs:F1} cpu");
    }
}
