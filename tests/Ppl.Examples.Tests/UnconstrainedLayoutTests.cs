using Ppl.Compiler;
using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// The unconstrained vector holds the params first, then the latents, whatever order a model declares them in: the
/// flows, the simulator's score and the sampler's outputs take θ as its first Dθ columns.
/// </summary>
public class UnconstrainedLayoutTests
{
    private const string LatentFirst = """
        model LatentFirst
        latent z: real[2] ~ Normal(0, 1)
        param scale ~ HalfNormal(1)
        param shift ~ Normal(sum(z), 1)
        observe y: real[3] ~ Normal(shift, scale)
        """;

    private static Model Bind()
    {
        var compiled = Driver.Compile("latent_first.ppl", LatentFirst);
        Assert.False(compiled.HasErrors, compiled.RenderDiagnostics());
        var y = new DataInput(tensor(new[] { 0.3, -0.2, 1.1 }), "test");
        var binding = Model.Bind(compiled.Factory!(), new Dictionary<string, DataInput> { ["y"] = y }, ModelOptions.Float64);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    [Fact]
    public void ParamsComeFirstInTheVectorItsNamesAndItsColumns()
    {
        var model = Bind();
        Assert.Equal(new[] { "scale", "shift", "z" }, model.UnconstrainedSites.Select(s => s.Name));
        Assert.Equal(new[] { 0, 1, 2 }, model.UnconstrainedSites.Select(s => s.Offset));
        Assert.Equal(2, model.ParamDimension);
        Assert.Equal(new[] { "scale", "shift", "z[0]", "z[1]" }, model.UnconstrainedColumnNames());
        Assert.Equal(new[] { "scale", "shift" }, ModelColumns.For(model, includeLatents: false).Names);

        using var scope = NewDisposeScope();
        var u = tensor(new[] { 0.4, -0.7, 0.2, 1.5 }).reshape(1, 4);
        var constrained = model.Constrain(u);
        Assert.Equal(Math.Exp(0.4), constrained["scale"].item<double>(), 12);
        Assert.Equal(-0.7, constrained["shift"].item<double>(), 12);
        Assert.True(model.Unconstrain(constrained).allclose(u, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void UnconstrainedJointScoreIsTheDensityGradientInTheParamColumns()
    {
        var model = Bind();
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(5, 3)
        {
            Score = true,
            ScoreKind = ScoreKind.Joint,
            ScoreSpace = ParamSpace.Unconstrained,
            Conditioning = new Dictionary<string, DataInput> { ["y"] = new(tensor(new[] { 0.3, -0.2, 1.1 }), "test") },
        });
        var u = model.Unconstrain(model.UnconstrainedSites.ToDictionary(s => s.Name, s => sim.Values[s.Name]));
        var (_, gradient) = model.LogDensityAndGradient(u);
        var expected = gradient.narrow(1, 0, model.ParamDimension);
        double difference = (sim.Score! - expected).abs().max().item<double>();
        Assert.True(difference < 1e-9, $"the score differs from ∂ log p / ∂u_θ by {difference:E2}");
    }
}
