using System.IO.Compression;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

public sealed class BundleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ppl-bundle-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrainedEstimator Train(FlowKind kind)
    {
        var (theta, x) = ConditionalFittingTests.LinearGaussian(300, seed: 1);
        var architecture = FlowArchitecture.Of(kind) with
        {
            Layers = 2,
            HiddenUnits = 16,
            Bins = 5,
            MixtureComponents = 3,
            Permutation = PermutationKind.Random,
            Embedding = new EmbeddingArchitecture { Kind = EmbeddingKind.Mlp, OutputDimension = 3, HiddenUnits = 8 }
        };
        var result = NeuralPosteriorEstimation.Train(theta, x, architecture, new TrainingOptions { MaxEpochs = 2, Seed = 12 });
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    public static TheoryData<FlowKind> Kinds => TestData.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RoundTripGivesIdenticalLogProbsAndSamples(FlowKind kind)
    {
        using var scope = NewDisposeScope();
        using var estimator = Train(kind);
        var path = Path.Combine(_directory, $"{kind}.pplz");
        var metadata = new Dictionary<string, string> { ["model"] = "linear_gaussian", ["params"] = "theta[0],theta[1]" };
        var saved = EstimatorBundle.Save(estimator, path, "sha256:abc123", metadata);
        Assert.True(saved.IsSuccess, saved.Error?.ToString());

        var loaded = EstimatorBundle.Load(path, "sha256:abc123");
        Assert.True(loaded.IsSuccess, loaded.Error?.ToString());
        using var restored = loaded.Value.Estimator;
        Assert.Equal("sha256:abc123", loaded.Value.ModelHash);
        Assert.Equal(metadata, loaded.Value.Metadata);
        Assert.Equal(12UL, loaded.Value.Seed);
        Assert.Equal(EstimatorKind.Posterior, restored.Kind);
        // Records holding arrays compare by reference; their JSON forms compare by value.
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(estimator.Architecture), System.Text.Json.JsonSerializer.Serialize(restored.Architecture));
        Assert.Equal(estimator.Report!.Epochs, restored.Report!.Epochs);

        var (theta, x) = ConditionalFittingTests.LinearGaussian(50, seed: 2);
        using var noGrad = no_grad();
        // Exact by construction: weights are stored as float32 bit patterns and both flows run the same computation.
        Assert.Equal(0.0, (estimator.LogProb(theta, x) - restored.LogProb(theta, x)).abs().max().item<float>());
        var xo = x.narrow(0, 0, 1);
        Assert.Equal(0.0, (estimator.Sample(20, xo, 3) - restored.Sample(20, xo, 3)).abs().max().item<float>());
    }

    [Fact]
    public void ManifestRecordsStandardizationAndHyperParameters()
    {
        using var estimator = Train(FlowKind.AffineCoupling);
        var path = Path.Combine(_directory, "manifest.pplz");
        EstimatorBundle.Save(estimator, path, "h1");
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(reader.ReadToEnd())!;
        Assert.Equal("ppl-estimator", (string?)manifest["format"]);
        Assert.Equal("AffineCoupling", (string?)manifest["architecture"]!["kind"]);
        Assert.Equal(200, (int)manifest["training"]!["batchSize"]!);
        var mean = manifest["standardization"]!["targetMean"]!.AsArray().Select(v => (double)v!).ToArray();
        var expected = estimator.Flow.TargetStandardizer.Mean.reshape(-1).to(ScalarType.Float64).data<double>().ToArray();
        // Exact by construction: the manifest writes the float32 means, widened to float64, in round-trip form.
        Assert.Equal(expected, mean);
    }

    [Fact]
    public void ChangedModelHashIsRefused()
    {
        using var estimator = Train(FlowKind.AffineCoupling);
        var path = Path.Combine(_directory, "hash.pplz");
        EstimatorBundle.Save(estimator, path, "model-v1");
        var refused = EstimatorBundle.Load(path, "model-v2");
        Assert.False(refused.IsSuccess);
        Assert.Equal(SbiError.ModelHashMismatch, refused.Error!.Code);
        Assert.Contains("model-v1", refused.Error.Message);
        Assert.Contains("model-v2", refused.Error.Message);
        // Without an expected hash (inspection), the bundle loads.
        var inspected = EstimatorBundle.Load(path, null);
        Assert.True(inspected.IsSuccess);
        inspected.Value.Estimator.Dispose();
    }

    [Fact]
    public void MissingOrCorruptedFilesAreErrorValues()
    {
        Assert.Equal(SbiError.BundleIo, EstimatorBundle.Load(Path.Combine(_directory, "absent.pplz"), "h").Error?.Code);

        var notZip = Path.Combine(_directory, "not-a-zip.pplz");
        File.WriteAllText(notZip, "hello");
        Assert.Equal(SbiError.BundleInvalid, EstimatorBundle.Load(notZip, "h").Error?.Code);

        using var estimator = Train(FlowKind.AffineCoupling);
        var path = Path.Combine(_directory, "tampered.pplz");
        EstimatorBundle.Save(estimator, path, "h");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("weights.bin")!;
            byte[] bytes;
            using (var stream = entry.Open())
            using (var memory = new MemoryStream())
            {
                stream.CopyTo(memory);
                bytes = memory.ToArray();
            }
            bytes[17] ^= 0x40;
            entry.Delete();
            using var replacement = zip.CreateEntry("weights.bin").Open();
            replacement.Write(bytes);
        }
        var tampered = EstimatorBundle.Load(path, "h");
        Assert.Equal(SbiError.BundleInvalid, tampered.Error?.Code);
        Assert.Contains("SHA-256", tampered.Error!.Message);
    }
}
