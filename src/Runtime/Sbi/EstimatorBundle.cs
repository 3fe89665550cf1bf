using System.Text.Json;
using System.Text.Json.Nodes;
using Ppl.Runtime.Flows;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>A loaded bundle: the estimator and what the manifest recorded about it.</summary>
public sealed record LoadedEstimatorBundle(TrainedEstimator Estimator, string ModelHash, IReadOnlyDictionary<string, string> Metadata,
    ulong Seed, JsonObject Manifest);

/// <summary>
/// Saves and loads trained estimators as <c>.pplz</c> files: a zip holding <c>manifest.json</c> (format version,
/// estimator kind, flow architecture, training hyper-parameters and report, standardisation statistics, seed,
/// the model hash and caller metadata, and a table of the weight tensors with the SHA-256 of the weight file)
/// and <c>weights.bin</c> (every parameter and buffer as little-endian float32, in table order). Loading
/// rebuilds the flow from the architecture and seed, checks the weights' hash, and refuses a bundle trained for
/// another model (a different model hash) with an error value.
/// </summary>
public static class EstimatorBundle
{
    public const string FileExtension = ".pplz";
    public const string Format = "ppl-estimator";
    public const int FormatVersion = 1;
    private static JsonSerializerOptions JsonOptions => BundleArchive.JsonOptions;

    /// <summary>Writes <paramref name="estimator"/> to <paramref name="path"/> (replacing an existing file).</summary>
    /// <param name="modelHash">The hash of the model the simulations came from (checked on load).</param>
    /// <param name="metadata">Free-form model metadata recorded in the manifest (e.g. model name, parameter names).</param>
    public static SbiResult<string> Save(TrainedEstimator estimator, string path, string modelHash,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var flow = estimator.Flow;
        var (weightBytes, weightsDescription) = BundleWeights.Write(flow, BundleArchive.WeightsEntry);

        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = FormatVersion,
            ["kind"] = estimator.Kind.ToString(),
            ["modelHash"] = modelHash,
            ["metadata"] = new JsonObject((metadata ?? new Dictionary<string, string>()).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["seed"] = flow.Seed,
            ["architecture"] = JsonSerializer.SerializeToNode(flow.Architecture, JsonOptions),
            ["training"] = JsonSerializer.SerializeToNode(estimator.Options.Describe(), JsonOptions),
            ["scoreWeight"] = estimator.ScoreWeight,
            ["report"] = estimator.Report is null ? null : JsonSerializer.SerializeToNode(estimator.Report, JsonOptions),
            ["standardization"] = new JsonObject
            {
                ["targetMean"] = Values(flow.TargetStandardizer.Mean),
                ["targetStd"] = Values(flow.TargetStandardizer.Std),
                ["contextMean"] = Values(flow.ContextStandardizer.Mean),
                ["contextStd"] = Values(flow.ContextStandardizer.Std),
            },
            ["weights"] = weightsDescription,
        };

        if (BundleArchive.Write(path, manifest, weightBytes) is { } writeError) return writeError;
        return SbiResult<string>.Success(path);
    }

    /// <summary>
    /// Loads a bundle. When <paramref name="expectedModelHash"/> is given and differs from the recorded one, the
    /// bundle is refused (the estimator was trained on simulations of another model).
    /// </summary>
    public static SbiResult<LoadedEstimatorBundle> Load(string path, string? expectedModelHash, Device? device = null)
    {
        var read = BundleArchive.Read(path, "estimator");
        if (!read.IsSuccess) return read.Error;
        var (manifest, weightBytes) = read.Value;
        try
        {
            return Restore(path, manifest, weightBytes, expectedModelHash, device ?? CPU);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException or KeyNotFoundException)
        {
            return Invalid(path, "the manifest is malformed: " + e.Message);
        }
    }

    private static SbiResult<LoadedEstimatorBundle> Restore(string path, JsonObject manifest, byte[] weightBytes,
        string? expectedModelHash, Device device)
    {
        if ((string?)manifest["format"] != Format) return Invalid(path, "it is not a Ppl estimator bundle");
        int version = (int)manifest["formatVersion"]!;
        if (version > FormatVersion)
            return SbiResult<LoadedEstimatorBundle>.Failure(SbiError.BundleVersion,
                $"{path} has bundle format {version}; this version of Ppl reads up to {FormatVersion}.");
        string modelHash = (string?)manifest["modelHash"] ?? "";
        if (CheckModelHash(path, modelHash, expectedModelHash) is { } mismatch) return mismatch;

        var weightsInfo = manifest["weights"]!.AsObject();
        if ((string?)weightsInfo["sha256"] != BundleWeights.Sha256(weightBytes))
            return Invalid(path, "the weights do not match their recorded SHA-256 (corrupted file)");

        var architecture = manifest["architecture"].Deserialize<FlowArchitecture>(JsonOptions)
            ?? throw new JsonException("No architecture.");
        ulong seed = (ulong)manifest["seed"]!;
        var kind = Enum.Parse<EstimatorKind>((string)manifest["kind"]!);
        var training = manifest["training"]!.AsObject();
        var options = new TrainingOptions
        {
            BatchSize = (int)training["batchSize"]!,
            LearningRate = (double)training["learningRate"]!,
            Schedule = new LearningRateSchedule(Enum.Parse<LearningRateScheduleKind>((string)training["schedule"]!),
                (double)training["scheduleGamma"]!, (int)training["scheduleStepEpochs"]!),
            MaxEpochs = (int)training["maxEpochs"]!,
            ValidationFraction = (double)training["validationFraction"]!,
            Patience = (int)training["patience"]!,
            GradientClipNorm = (double)training["gradientClipNorm"]!,
            Seed = (ulong)training["seed"]!,
            Device = device,
        };
        var report = manifest["report"]?.Deserialize<TrainingReport>(JsonOptions);
        double scoreWeight = (double?)manifest["scoreWeight"] ?? 0;
        var metadata = manifest["metadata"]?.AsObject().ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "") ?? new Dictionary<string, string>();

        ConditionalFlow flow;
        try
        {
            flow = new ConditionalFlow(architecture, seed);
        }
        catch (ArgumentException e)
        {
            return Invalid(path, "its architecture cannot be built: " + e.Message);
        }
        if (BundleWeights.Read(flow, weightsInfo, weightBytes) is { } unfit)
        {
            flow.Dispose();
            return Invalid(path, unfit);
        }
        flow.MoveTo(device);
        var estimator = new TrainedEstimator(kind, flow, options, report, scoreWeight);
        return SbiResult<LoadedEstimatorBundle>.Success(new LoadedEstimatorBundle(estimator, modelHash, metadata, seed, manifest));
    }

    /// <summary>
    /// The refusal of a bundle recorded for <paramref name="recordedHash"/> when the model at hand has
    /// <paramref name="expectedHash"/>, or null when they agree (or no hash is expected). For callers that load a bundle
    /// first (to learn which model it names) and check the model afterwards.
    /// </summary>
    public static SbiError? CheckModelHash(string path, string recordedHash, string? expectedHash, string? modelDescription = null) =>
        expectedHash is null || string.Equals(recordedHash, expectedHash, StringComparison.Ordinal)
            ? null
            : new SbiError(SbiError.ModelHashMismatch,
                $"{path} was trained for the model with hash {recordedHash}, but {modelDescription ?? "the model given"} has hash {expectedHash}; " +
                "the model changed since training, so the estimator does not apply. Retrain it on the current model.");

    private static SbiError Invalid(string path, string why) => BundleArchive.Invalid(path, "estimator", why);

    private static JsonArray Values(Tensor t) => BundleArchive.Values(t);
}
