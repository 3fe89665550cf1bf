using Ppl.Runtime.Tensors;
using Ppl.Runtime.Compression;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>Compressor bundles round-trip and refuse what does not fit; the ResNet-18 preset builds.</summary>
public class CompressorBundleTests : TemporaryFolder
{
    private static readonly CompressorRecord Record = new()
    {
        ModelName = "GrfAmplitude",
        ModelPath = CompressionModels.GrfPath,
        Site = "y",
        Params = [new ParamRecord("amplitude", [], "positive")],
        ParamColumns = ["amplitude"],
    };

    [Fact]
    public void SavedCompressorGivesTheSameSummariesAndRefusesAnotherModel()
    {
        using var scope = NewDisposeScope();
        var architecture = CompressionTrainingTests.Architecture(CompressionLoss.Gnll);
        using var compressor = new MapCompressor(architecture, 3);
        var maps = randn(5, 16, 16);
        compressor.FitStandardization(TensorArithmetic.Add(maps.mul(tensor(2.0f)), tensor(1.0f)), TensorArithmetic.Add(randn(5, 1), tensor(3.0f)));
        compressor.eval();
        var expected = compressor.Summarize(maps);
        var path = In("comp.pplz");
        var saved = CompressorBundle.Save(compressor, Record, "hash-a", new TrainingOptions(), null, path);
        Assert.True(saved.IsSuccess, saved.Error?.ToString());
        Assert.Empty(Directory.GetFiles(Folder, "*.partial-*"));

        var loaded = CompressorBundle.Load(path, "hash-a");
        Assert.True(loaded.IsSuccess, loaded.Error?.ToString());
        using var restored = loaded.Value;
        var summaries = restored.Summarize(maps, "maps");
        Assert.True(summaries.IsSuccess);
        Assert.True(summaries.Value.sub(expected.to_type(ScalarType.Float64)).abs().max().item<double>() < 1e-6);
        Assert.Equal("y", restored.Record.Site);

        var other = CompressorBundle.Load(path, "hash-b");
        Assert.False(other.IsSuccess);
        Assert.Equal(SbiError.ModelHashMismatch, other.Error!.Code);
        Assert.Contains(path, other.Error.Message);

        var wrong = restored.Summarize(zeros(2, 16, 8), "obs.npy");
        Assert.Equal(SbiError.CompressorMismatch, wrong.Error!.Code);
        Assert.Contains("obs.npy", wrong.Error.Message);
    }

    [Fact]
    public void ModelWithAnotherSiteShapeIsRefused()
    {
        var model = CompressionModels.BindGrf();
        var map = MapShape.Of([8, 8]).Shape!;
        var error = Record.CheckModel(model, map, "comp.pplz");
        Assert.Equal(SbiError.CompressorMismatch, error!.Code);
        Assert.StartsWith("comp.pplz:", error.Message);
        Assert.Null(Record.CheckModel(model, MapShape.Of([16, 16]).Shape!, "comp.pplz"));
        Assert.NotNull((Record with { Site = "z" }).CheckModel(model, MapShape.Of([16, 16]).Shape!, "comp.pplz"));
    }

    [Theory]
    [InlineData(new long[] { 16, 16, 5 }, ChannelPosition.Last, 5)]
    [InlineData(new long[] { 5, 16, 16 }, ChannelPosition.First, 5)]
    [InlineData(new long[] { 16, 16 }, ChannelPosition.None, 1)]
    public void MapLayoutsAreRecognised(long[] shape, ChannelPosition position, long channels)
    {
        var (map, error) = MapShape.Of(shape);
        Assert.Null(error);
        Assert.Equal(position, map!.Channels);
        Assert.Equal(channels, map.ChannelCount);
        using var scope = NewDisposeScope();
        var images = map.ToImages(zeros([2, .. shape]));
        Assert.Equal(new long[] { 2, channels, 16, 16 }, images.shape);
        Assert.NotNull(MapShape.Of([10]).Error);
        Assert.NotNull(MapShape.Of([2, 3, 4, 5]).Error);
    }

    [Fact]
    public void ResNet18PresetHasResNet18sSizeAndGivesFiniteSummaries()
    {
        using var scope = NewDisposeScope();
        var architecture = new CompressorArchitecture
        {
            Preset = CompressorPreset.ResNet18, Loss = CompressionLoss.Vmim, Map = MapShape.Of([16, 16, 5]).Shape!, Summaries = 6, Params = 6,
        };
        using var compressor = new MapCompressor(architecture, 1);
        long encoderWeights = compressor.named_parameters().Where(p => !p.name.Contains("flow")).Sum(p => p.parameter.numel());
        // ResNet-18's convolutions and batch norms (11.17 M, 3-channel stem) with a 5-channel stem and a 512 → 6 head.
        Assert.InRange(encoderWeights, 11_160_000, 11_180_000);
        compressor.eval();
        var t = compressor.Summarize(randn(3, 16, 16, 5));
        Assert.Equal(new long[] { 3, 6 }, t.shape);
        Assert.True(t.isfinite().all().item<bool>());
    }
}
