using System.Collections.Concurrent;
using Ppl.Compiler;
using Ppl.Runtime.Models;
using Ppl.Tests.Shared;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>Compiles the example models once per test run and binds them with their data.</summary>
public static class ExampleModels
{
    private static readonly ConcurrentDictionary<string, Compilation> Compiled = new();

    public static string PathOf(string name) => Path.Combine(ReferenceData.RepositoryRoot, "examples", name + ".ppl");

    public static Compilation Compile(string name) => Compiled.GetOrAdd(name, n =>
    {
        var c = Driver.CompileFile(PathOf(n));
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        return c;
    });

    /// <summary>
    /// Test sizes of the examples whose defaults are survey-sized (the lensing models run at N = 256): the shared example
    /// tests (shapes, batch invariance, prior moments, gradients) bind them at these small sizes. Plain numbers, turned
    /// into tensors per call: a tensor held in a static field would belong to whatever dispose scope first touched it.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, long>> TestSizes = new()
    {
        ["lognormal_lensing"] = new() { ["N"] = 4 },
        ["lognormal_lensing_cl"] = new() { ["N"] = 8, ["nbands"] = 3 },
        ["lensing_map_spectra"] = new() { ["N"] = 8, ["nbands"] = 3 },
    };

    /// <summary>The example's own data (eight schools' observations; small sizes for the lensing models), plus overrides.</summary>
    public static Dictionary<string, DataInput> Data(string name, Dictionary<string, DataInput>? extra = null)
    {
        var data = TestSizes.TryGetValue(name, out var sizes)
            ? sizes.ToDictionary(s => s.Key, s => Int(s.Value))
            : new Dictionary<string, DataInput>();
        var file = Path.Combine(ReferenceData.RepositoryRoot, "examples", name + ".data.json");
        if (File.Exists(file))
        {
            var read = Ppl.Runtime.IO.DataFileReader.Read(file);
            Assert.True(read.Succeeded, read.ToString());
            foreach (var (k, v) in read.Value!) data[k] = new DataInput(v.ToTensor(ScalarType.Float64), v.Origin);
        }
        if (extra is not null) foreach (var (k, v) in extra) data[k] = v;
        return data;
    }

    public static Model Bind(string name, ModelOptions? options = null, Dictionary<string, DataInput>? data = null)
    {
        var binding = Model.Bind(Compile(name).Factory!(), data ?? Data(name), options);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    /// <summary>Binds the model with observations simulated from its prior at a fixed seed, so the log density is defined.</summary>
    public static Model BindWithSimulatedObservations(string name, ModelOptions options, ulong seed, Dictionary<string, DataInput>? extra = null)
    {
        var data = Data(name, extra);
        var prior = Bind(name, options, data);
        var sim = prior.Simulate(new SimulationRequest(1, seed));
        foreach (var site in prior.ObservedSites)
            data[site.Name] = new DataInput(sim.Values[site.Name][0].to_type(ScalarType.Float64), "simulated");
        return Bind(name, options, data);
    }

    public static DataInput Int(long v) => DataInput.Scalar(v, "test");
}
