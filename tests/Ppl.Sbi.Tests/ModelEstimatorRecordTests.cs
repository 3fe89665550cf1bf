using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;

namespace Ppl.Sbi.Tests;

/// <summary>What a bundle records about its model survives the metadata round trip and detects a model whose params or
/// observations no longer fit.</summary>
public class ModelEstimatorRecordTests
{
    private static ModelEstimatorRecord RecordOf(Model model) => new()
    {
        ModelName = model.Description.Name,
        ModelPath = "/models/gaussian_linear.ppl",
        ModelPathFromBundle = "../models/gaussian_linear.ppl",
        Method = EstimationMethod.Nle,
        Params = ModelEstimatorRecord.ParamsOf(model),
        ParamColumns = model.ParamColumnNames(),
        Observation = ObservationLayout.For(model, ObservationArrangement.Flat).Value,
        TrainingData = "{\"D\": 10}",
        Simulations = 1000,
        SimulationSeed = 3,
        DroppedSimulations = 2,
    };

    [Fact]
    public void RoundTripsThroughBundleMetadata()
    {
        var model = ExampleModels.Bind("gaussian_linear");
        var record = RecordOf(model);
        var metadata = record.ToMetadata();
        Assert.Equal("GaussianLinear", metadata["model"]);
        Assert.Equal("nle", metadata["method"]);
        var back = ModelEstimatorRecord.FromMetadata(metadata, "est.pplz").Value;
        Assert.Equal(record.ModelPath, back.ModelPath);
        Assert.Equal(record.ModelPathFromBundle, back.ModelPathFromBundle);
        Assert.Equal(EstimationMethod.Nle, back.Method);
        Assert.Equal(record.ParamColumns, back.ParamColumns);
        Assert.Equal("theta", back.Params.Single().Name);
        Assert.Equal(new long[] { 10 }, back.Params.Single().Shape);
        Assert.Equal(record.Params.Single().Support, back.Params.Single().Support);
        Assert.True(back.Observation.SameAs(record.Observation));
        Assert.Equal(new long[] { 10 }, back.Observation.EventShape);
        Assert.Equal((1000L, 3UL, 2L, "{\"D\": 10}"), (back.Simulations, back.SimulationSeed, back.DroppedSimulations, back.TrainingData));
        Assert.Null(back.CheckModel(model, ObservationArrangement.Flat));
    }

    [Fact]
    public void ModelWithOtherShapesIsRefused()
    {
        var record = RecordOf(ExampleModels.Bind("gaussian_linear"));
        var binding = Model.Bind(ExampleModels.Compile("gaussian_linear").Factory!(),
            new Dictionary<string, DataInput> { ["D"] = DataInput.Scalar(5L, "test") });
        Assert.True(binding.Succeeded);
        var error = record.CheckModel(binding.Model!, ObservationArrangement.Flat);
        Assert.Equal(SbiError.ModelLayoutMismatch, error!.Code);
        Assert.Contains("theta [5]", error.Message);
        Assert.Contains("theta [10]", error.Message);
    }

    [Fact]
    public void BundlesWithoutARecordAreNamed()
    {
        var result = ModelEstimatorRecord.FromMetadata(new Dictionary<string, string> { ["model"] = "x" }, "plain.pplz");
        Assert.Equal(SbiError.BundleInvalid, result.Error!.Code);
        Assert.Contains("plain.pplz", result.Error.Message);
        var malformed = ModelEstimatorRecord.FromMetadata(new Dictionary<string, string> { ["modelRecord"] = "{not json" }, "bad.pplz");
        Assert.Equal(SbiError.BundleInvalid, malformed.Error!.Code);
    }
}
