using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>Simulation of every example: declared shapes, prior moments, batch-size invariance.</summary>
public class ExampleSimulationTests
{
    public static IEnumerable<object[]> All() => new[]
    {
        new object[] { "two_moons" }, new object[] { "gaussian_linear" }, new object[] { "eight_schools" },
        new object[] { "lotka_volterra" }, new object[] { "gaussian_random_field" },
    };

    [Theory]
    [MemberData(nameof(All))]
    public void SimulateReturnsDeclaredShapes(string name)
    {
        var model = ExampleModels.Bind(name);
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(7, 11) { Score = model.Description.Capabilities.Score });
        Assert.Equal(7, sim.Completed);
        foreach (var site in model.Sites)
            Assert.Equal(new long[] { 7 }.Concat(site.Shape).ToArray(), sim.Values[site.Name].shape);
        foreach (var let in model.Lets)
            Assert.Equal(new long[] { 7 }.Concat(let.Shape).ToArray(), sim.Values[let.Name].shape);
        foreach (var value in sim.Values.Values)
            Assert.True(value.isfinite().all().item<bool>(), "non-finite simulated value");
        if (model.Description.Capabilities.Score)
        {
            Assert.Equal(new long[] { 7, model.ParamDimension }, sim.Score!.shape);
            Assert.True(sim.Score.isfinite().all().item<bool>());
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void SimulationIsIdenticalForBatchSizesOneAndThousand(string name)
    {
        var model = ExampleModels.Bind(name);
        using var scope = NewDisposeScope();
        var big = model.Simulate(new SimulationRequest(1000, 2024) { ChunkSize = 1000 });
        foreach (long i in new long[] { 0, 1, 517, 999 })
        {
            var one = model.Simulate(new SimulationRequest(1, 2024) { FirstIndex = i, ChunkSize = 1 });
            foreach (var (key, value) in one.Values)
            {
                var a = big.Values[key][i];
                var b = value[0];
                Assert.True(a.equal(b).all().item<bool>() || (a - b).abs().max().item<float>() == 0f,
                    $"{name}: '{key}' of simulation {i} differs between batch sizes 1000 and 1 (max |Δ| = {(a - b).abs().max().item<float>()})");
            }
        }
    }
}
