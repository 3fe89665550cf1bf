using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Compiler.Tests;

/// <summary>Compiles and binds the models under golden/good for the tests that run them.</summary>
public static class GoldenModel
{
    public static Model Bind(string fileName, ModelOptions options, Dictionary<string, DataInput>? data = null)
    {
        var path = Path.Combine(Baseline.GoldenDirectory, "good", fileName);
        var c = Driver.CompileFile(path);
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        var binding = Model.Bind(c.Factory!(), data ?? new Dictionary<string, DataInput>(), options);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    /// <summary>
    /// The model bound (float64) to the observations of its first simulation at <paramref name="seed"/> (a batch of
    /// <paramref name="count"/>), and the unconstrained point of those simulations: where a gradient check is defined.
    /// </summary>
    public static (Model Model, Tensor Point) AtSimulatedPoint(string fileName, long count, ulong seed)
    {
        var prior = Bind(fileName, ModelOptions.Float64);
        var sim = prior.Simulate(new SimulationRequest(count, seed));
        var data = prior.ObservedSites.ToDictionary(s => s.Name, s => new DataInput(sim.Values[s.Name][0], "simulated"));
        var model = Bind(fileName, ModelOptions.Float64, data);
        var u = model.Unconstrain(model.Sites.Where(s => s.InUnconstrainedVector).ToDictionary(s => s.Name, s => sim.Values[s.Name]));
        return (model, u);
    }
}
