using Ppl.Compiler;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// examples/lotka_volterra.ppl writes the dynamics as vector operations (u ⊙ (r + m ⊙ flip(u))) whose constant parts are
/// computed once per solve; the textbook component form must give the same trajectories, log density and score.
/// </summary>
public class LotkaVolterraFormTests
{
    private const string ComponentDynamics = """
        fun dynamics(t: real, u: real[2], p: real[4]) -> real[2] =
            [(p[0] - p[1] * u[1]) * u[0], (-p[2] + p[3] * u[0]) * u[1]]
        """;

    [Fact]
    public void VectorAndComponentFormsAgree()
    {
        var exampleText = File.ReadAllText(ExampleModels.PathOf("lotka_volterra"));
        int start = exampleText.IndexOf("fun dynamics", StringComparison.Ordinal);
        int end = exampleText.IndexOf("\nlet x", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "the example's dynamics function was not found");
        var componentText = exampleText[..start] + ComponentDynamics + "\n" + exampleText[end..];

        var options = ModelOptions.Float64;
        var vector = ExampleModels.Bind("lotka_volterra", options);
        var compiled = Driver.Compile("lotka_volterra_components.ppl", componentText);
        Assert.False(compiled.HasErrors, compiled.RenderDiagnostics());
        var binding = Model.Bind(compiled.Factory!(), new Dictionary<string, DataInput>(), options);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        var component = binding.Model!;

        using var scope = NewDisposeScope();
        var request = new SimulationRequest(64, 5) { Score = true };
        var a = vector.Simulate(request);
        var b = component.Simulate(request);
        foreach (var name in new[] { "theta", "z0", "x", "y" })
            Assert.True(a.Values[name].allclose(b.Values[name], rtol: 1e-10, atol: 1e-12), $"{name} differs between the two forms");
        Assert.True(a.Score!.allclose(b.Score!, rtol: 1e-8, atol: 1e-10), "the score differs between the two forms");
    }
}
