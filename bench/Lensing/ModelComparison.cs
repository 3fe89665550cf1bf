using System.Diagnostics;
using System.Globalization;
using Ppl.Compiler;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Bench.Lensing;

/// <summary>
/// Two versions of the lensing model side by side in one process (`--compare OTHER.ppl`): the same-seed maps and the log
/// density and gradient at the same point compared, then both timed alternately (processor time, fastest of the rounds),
/// so that a change to the model is measured under the same load as the original.
/// </summary>
internal static class ModelComparison
{
    private static readonly Dictionary<string, double> Fiducial = new()
    {
        ["omega_c"] = 0.2664, ["omega_b"] = 0.0492, ["sigma_8"] = 0.831, ["h_0"] = 0.6727, ["n_s"] = 0.9645, ["w_0"] = -1.0,
    };

    public static void Run(Compilation baseline, Compilation other, long n, double sideDegrees, int rounds)
    {
        var data = new Dictionary<string, DataInput>
        {
            ["N"] = DataInput.Scalar(n, "bench"),
            ["side_deg"] = DataInput.Scalar(sideDegrees, "bench"),
        };
        var prior = Bind(baseline, data);
        var conditioning = Fiducial.ToDictionary(kv => kv.Key, kv => DataInput.Scalar(kv.Value, "bench"));
        var observation = prior.Simulate(new SimulationRequest(1, 7) { Conditioning = conditioning });
        data["y"] = new DataInput(observation.Values["y"][0].to_type(ScalarType.Float64), "simulated");
        var a = Bind(baseline, data);
        var b = Bind(other, data);

        using (var scope = NewDisposeScope())
        {
            var simA = a.Simulate(new SimulationRequest(2, 11) { ChunkSize = 2 });
            var simB = b.Simulate(new SimulationRequest(2, 11) { ChunkSize = 2 });
            var kappaA = simA.Values["kappa"];
            double mapDifference = Value((simB.Values["kappa"] - kappaA).abs().max()) / Value(kappaA.std());
            var u = a.Unconstrain(a.Sites.Where(s => s.InUnconstrainedVector).ToDictionary(s => s.Name, s => simA.Values[s.Name]));
            var (logA, gradA) = a.LogDensityAndGradient(u);
            var (logB, gradB) = b.LogDensityAndGradient(u);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N = {n}: same-seed kappa max |difference| = {mapDifference:E2} sd; log density {Value(logA[0]):F3} vs {Value(logB[0]):F3}; " +
                $"gradient max |difference| {Value((gradA - gradB).abs().max()):E2} of max |gradient| {Value(gradA.abs().max()):E2}"));
        }

        var process = Process.GetCurrentProcess();
        double CpuMs(Action call)
        {
            using var scope = NewDisposeScope();
            process.Refresh();
            var before = process.TotalProcessorTime;
            call();
            process.Refresh();
            return (process.TotalProcessorTime - before).TotalMilliseconds;
        }
        Tensor point;
        using (var scope = NewDisposeScope())
        {
            var sim = a.Simulate(new SimulationRequest(1, 3) { RecordLets = new HashSet<string>() });
            point = a.Unconstrain(a.Sites.Where(s => s.InUnconstrainedVector).ToDictionary(s => s.Name, s => sim.Values[s.Name])).MoveToOuterDisposeScope();
        }
        double gradientA = double.MaxValue, gradientB = double.MaxValue, simulationA = double.MaxValue, simulationB = double.MaxValue;
        ulong seed = 100;
        for (int round = 0; round < rounds; round++)
        {
            gradientA = Math.Min(gradientA, CpuMs(() => a.LogDensityAndGradient(point)));
            gradientB = Math.Min(gradientB, CpuMs(() => b.LogDensityAndGradient(point)));
            simulationA = Math.Min(simulationA, CpuMs(() => a.Simulate(new SimulationRequest(1, seed++) { ChunkSize = 1, RecordLets = new HashSet<string>() })));
            simulationB = Math.Min(simulationB, CpuMs(() => b.Simulate(new SimulationRequest(1, seed++) { ChunkSize = 1, RecordLets = new HashSet<string>() })));
        }
        point.Dispose();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"N = {n}, B = 1, ms of processor time (fastest of {rounds}): log density + gradient {gradientA:F1} (examples) vs {gradientB:F1} (other); " +
            $"simulation {simulationA:F1} vs {simulationB:F1}"));
    }

    private static Model Bind(Compilation c, Dictionary<string, DataInput> data) =>
        Model.Bind(c.Factory!(), data).Model ?? throw new InvalidOperationException("the lensing model did not bind");

    private static double Value(Tensor t) => t.to_type(ScalarType.Float64).item<double>();
}
