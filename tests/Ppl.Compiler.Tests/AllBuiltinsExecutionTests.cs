using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Compiler.Tests;

/// <summary>
/// Runs the model that uses every construct and builtin: batching must not mix simulations (each simulation of a batch of 6
/// equals the same simulation run alone — a reduction or index over the wrong axis would break this), and the log-density
/// gradient through every builtin must match central finite differences in float64.
/// </summary>
public class AllBuiltinsExecutionTests
{
    private static Model Bind(ModelOptions options, Dictionary<string, DataInput>? data = null) => GoldenModel.Bind("AllBuiltins.ppl", options, data);

    [Fact]
    public void BatchedRunEqualsSingleRuns()
    {
        var model = Bind(ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var batch = model.Simulate(new SimulationRequest(6, 5) { ChunkSize = 6 });
        for (long i = 0; i < 6; i++)
        {
            var one = model.Simulate(new SimulationRequest(1, 5) { FirstIndex = i, ChunkSize = 1 });
            foreach (var (name, value) in one.Values)
            {
                double diff = (batch.Values[name][i] - value[0]).abs().max().item<double>();
                Assert.True(diff < 1e-12, $"'{name}' of simulation {i} differs between a batch of 6 and a batch of 1 by {diff:E2}");
            }
        }
    }

    [Fact]
    public void GradientThroughEveryBuiltinMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (model, u) = GoldenModel.AtSimulatedPoint("AllBuiltins.ppl", 1, 8);
        var (lp, grad) = model.LogDensityAndGradient(u);
        Assert.True(lp.isfinite().all().item<bool>());
        const double h = 1e-6;
        var eye = TensorArithmetic.Mul(TorchSharp.torch.eye(model.Dimension, dtype: ScalarType.Float64), h);
        var fd = TensorArithmetic.Div((model.LogDensity(TensorArithmetic.Add(u, eye)) - model.LogDensity(u - eye)), (2 * h));
        var relative = ((fd - grad[0]).abs() / grad[0].abs().clamp_min(ConstantScalars.Of(1.0))).max().item<double>();
        Assert.True(relative < 1e-5, $"finite differences disagree with autograd by {relative:E2}");
    }
}
