using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Sbi.Tests;

/// <summary>Training data from compiled models: the x layouts, simulations drawn on the fly, and archives replayed
/// through the model (θ mapped to the unconstrained space, the joint score recomputed).</summary>
public class ModelSimulationTests
{
    [Fact]
    public void FlatLayoutConcatenatesTheObservedSitesInOrder()
    {
        var layout = ObservationLayout.Create([new ObservedBlock("a", [2]), new ObservedBlock("b", [2, 3])], ObservationArrangement.Flat).Value;
        Assert.Equal(new long[] { 8 }, layout.EventShape);
        using var scope = NewDisposeScope();
        var a = arange(ConstantScalars.Of(0), ConstantScalars.Of(4), ConstantScalars.Of(1), ScalarType.Float64).reshape(2, 2);
        var b = TensorArithmetic.Add(arange(ConstantScalars.Of(0), ConstantScalars.Of(12), ConstantScalars.Of(1), ScalarType.Float64).reshape(2, 2, 3), 100);
        var x = layout.Arrange(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }).Value;
        Assert.Equal(new double[] { 2, 3, 106, 107, 108, 109, 110, 111 }, x[1].data<double>().ToArray());
        var one = layout.ArrangeFlat(x[1]).Value;
        // Exact by construction: arranging copies values, it does no arithmetic.
        Assert.Equal(x[1].data<double>().ToArray(), one[0].data<double>().ToArray());
        Assert.Equal(SbiError.ObservationMismatch, layout.ArrangeFlat(zeros(7)).Error!.Code);
        Assert.Equal(SbiError.ObservationMismatch, layout.Arrange(new Dictionary<string, Tensor> { ["a"] = a }).Error!.Code);
    }

    [Fact]
    public void SeriesLayoutStacksChannels()
    {
        var layout = ObservationLayout.Create([new ObservedBlock("y", [10, 2]), new ObservedBlock("w", [10])], ObservationArrangement.Series).Value;
        Assert.Equal(new long[] { 10, 3 }, layout.EventShape);
        using var scope = NewDisposeScope();
        var y = randn(4, 10, 2);
        var w = randn(4, 10);
        var x = layout.Arrange(new Dictionary<string, Tensor> { ["y"] = y, ["w"] = w }).Value;
        Assert.Equal(new long[] { 4, 10, 3 }, x.shape);
        // Exact by construction: stacking channels copies values.
        Assert.Equal(0f, (x[.., .., 2] - w).abs().max().item<float>());
        Assert.Equal(0f, (x[.., .., ..2] - y).abs().max().item<float>());
        var mismatched = ObservationLayout.Create([new ObservedBlock("y", [10, 2]), new ObservedBlock("w", [9])], ObservationArrangement.Series);
        Assert.Equal(SbiError.ObservationMismatch, mismatched.Error!.Code);
        Assert.Equal(SbiError.ObservationMismatch, ObservationLayout.Create([new ObservedBlock("c", [2, 2, 2])], ObservationArrangement.Series).Error!.Code);
    }

    [Fact]
    public void ReplayingAnArchiveGivesTheDrawnTrainingData()
    {
        var model = ExampleModels.Bind("lotka_volterra", ModelOptions.Float64);
        var layout = ObservationLayout.For(model, ObservationArrangement.Series).Value;
        using var scope = NewDisposeScope();
        var drawn = ModelSimulations.Draw(model, layout, 12, seed: 5, score: true, chunkSize: 5);
        var archive = model.Simulate(new SimulationRequest(12, 5)).Values;
        var replayed = ModelSimulations.Replay(model, layout, archive, score: true).Value;
        Assert.Equal(new long[] { 12, 4 }, drawn.Theta.shape);
        Assert.Equal(new long[] { 12, 10, 2 }, drawn.X.shape);
        // θ = exp(u) for the log-normal prior.
        Assert.True((drawn.Theta.exp() - archive["theta"]).abs().max().item<double>() < 1e-12);
        Assert.True((replayed.Theta - drawn.Theta).abs().max().item<double>() < 1e-12);
        Assert.True((replayed.X - drawn.X).abs().max().item<double>() < 1e-12);
        // The same float64 computation at the same values: the scores agree to rounding.
        Assert.True((replayed.Score! - drawn.Score!).abs().max().item<double>() < 1e-9 * (1 + drawn.Score!.abs().max().item<double>()));
        Assert.Equal(0, drawn.NonFiniteRows);

        var limited = ModelSimulations.Replay(model, layout, archive, score: false, limit: 5).Value;
        Assert.Equal(5, limited.Count);
        Assert.Null(limited.Score);
    }

    [Fact]
    public void ReplayNeedsTheLatentsOnlyForTheScore()
    {
        var model = ExampleModels.Bind("two_moons", ModelOptions.Float64);
        var layout = ObservationLayout.For(model, ObservationArrangement.Flat).Value;
        using var scope = NewDisposeScope();
        var archive = new Dictionary<string, Tensor>(model.Simulate(new SimulationRequest(6, 1)).Values);
        archive.Remove("a");
        archive.Remove("r");
        var withoutLatents = ModelSimulations.Replay(model, layout, archive, score: false);
        Assert.True(withoutLatents.IsSuccess, withoutLatents.Error?.ToString());
        Assert.True((withoutLatents.Value.X - archive["x"]).abs().max().item<double>() < 1e-12);
        archive.Remove("x");
        var missing = ModelSimulations.Replay(model, layout, archive, score: false);
        Assert.Equal(SbiError.SimulationsIncomplete, missing.Error!.Code);
        Assert.Contains("'x'", missing.Error.Message);
    }

    [Fact]
    public void NonFiniteSimulationsAreCounted()
    {
        var model = ExampleModels.Bind("two_moons", ModelOptions.Float64);
        var layout = ObservationLayout.For(model, ObservationArrangement.Flat).Value;
        using var scope = NewDisposeScope();
        var archive = new Dictionary<string, Tensor>(model.Simulate(new SimulationRequest(6, 1)).Values);
        var x = archive["x"].clone();
        x[2, 1] = double.NaN;
        x[4, 0] = double.PositiveInfinity;
        archive["x"] = x;
        Assert.Equal(2, ModelSimulations.Replay(model, layout, archive, score: false).Value.NonFiniteRows);
    }
}
