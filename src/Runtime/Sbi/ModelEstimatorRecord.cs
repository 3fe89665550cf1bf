using System.Text.Json;
using System.Text.Json.Serialization;
using Ppl.Runtime.Models;

namespace Ppl.Runtime.Sbi;

/// <summary>Which neural estimator a model's bundle holds.</summary>
public enum EstimationMethod
{
    /// <summary>Neural posterior estimation: q(u | x), sampled directly.</summary>
    Npe,
    /// <summary>Neural likelihood estimation: q(x | u), sampled by NUTS on log q(x_o | u) + log p(u).</summary>
    Nle,
}

/// <summary>A param of the model as the estimator saw it: its name, event shape and support (which selects the
/// bijector from the unconstrained space).</summary>
public sealed record ParamRecord(string Name, long[] Shape, string Support);

/// <summary>
/// What an estimator bundle records about the model it was trained for, beyond the model hash: the model's name and
/// file, the method, the params' layout and supports, the layout of x, the data bound at training time, and where the
/// simulations came from. Stored in the bundle's metadata (one JSON value per entry) and checked at posterior time.
/// </summary>
public sealed record ModelEstimatorRecord
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public required string ModelName { get; init; }

    /// <summary>The model file's absolute path when training.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The model file relative to the bundle's folder (found again when both move together).</summary>
    public string? ModelPathFromBundle { get; init; }

    public required EstimationMethod Method { get; init; }

    public required IReadOnlyList<ParamRecord> Params { get; init; }

    /// <summary>Column names of the params' elements (theta[0], theta[1], …).</summary>
    public required IReadOnlyList<string> ParamColumns { get; init; }

    public required ObservationLayout Observation { get; init; }

    /// <summary>The data values bound when training, as CmdStan-style JSON (empty object when none were given).</summary>
    public string TrainingData { get; init; } = "{}";

    public long Simulations { get; init; }

    public ulong SimulationSeed { get; init; }

    /// <summary>"model" for simulations drawn while training, else the archive they were read from.</summary>
    public string SimulationSource { get; init; } = "model";

    /// <summary>Simulations dropped because they held a NaN or infinity.</summary>
    public long DroppedSimulations { get; init; }

    /// <summary>The compressor whose summaries replace x, or null when the estimator sees x itself.</summary>
    public CompressorReference? Compressor { get; init; }

    /// <summary>The params of a bound model, as recorded.</summary>
    public static IReadOnlyList<ParamRecord> ParamsOf(Model model) =>
        model.Params.Select(p => new ParamRecord(p.Name, p.Shape, p.Description.SupportText)).ToArray();

    /// <summary>Whether <paramref name="model"/> has the params and observed sites this estimator was trained on;
    /// the reason when it does not.</summary>
    public SbiError? CheckModel(Model model, ObservationArrangement arrangement)
    {
        var current = ParamsOf(model);
        bool sameParams = current.Count == Params.Count && current.Zip(Params).All(p =>
            p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape) && p.First.Support == p.Second.Support);
        if (!sameParams)
            return new SbiError(SbiError.ModelLayoutMismatch,
                $"The model's params ({Describe(current)}) differ from those the estimator was trained on ({Describe(Params)}); " +
                "check the data bound to the model (sizes change shapes).");
        var layout = ObservationLayout.For(model, arrangement);
        if (!layout.IsSuccess || !layout.Value.SameAs(Observation))
            return new SbiError(SbiError.ModelLayoutMismatch,
                $"The model's observed sites ({(layout.IsSuccess ? layout.Value.Describe() : layout.Error.Message)}) differ from those the estimator was trained on ({Observation.Describe()}).");
        return null;
    }

    private static string Describe(IReadOnlyList<ParamRecord> records) =>
        string.Join(", ", records.Select(r => $"{r.Name} [{string.Join(", ", r.Shape)}] on {r.Support}"));

    /// <summary>The record as bundle metadata entries.</summary>
    public Dictionary<string, string> ToMetadata() => new()
    {
        ["model"] = ModelName,
        ["method"] = Method.ToString().ToLowerInvariant(),
        ["modelRecord"] = JsonSerializer.Serialize(this, JsonOptions),
    };

    /// <summary>Reads the record back from bundle metadata; an error when the bundle was not written for a model.</summary>
    public static SbiResult<ModelEstimatorRecord> FromMetadata(IReadOnlyDictionary<string, string> metadata, string bundlePath)
    {
        if (!metadata.TryGetValue("modelRecord", out var json))
            return SbiResult<ModelEstimatorRecord>.Failure(SbiError.BundleInvalid,
                $"{bundlePath} does not record a model (it was not written by `ppl train`).");
        try
        {
            var record = JsonSerializer.Deserialize<ModelEstimatorRecord>(json, JsonOptions);
            return record is null
                ? SbiResult<ModelEstimatorRecord>.Failure(SbiError.BundleInvalid, $"{bundlePath} has an empty model record.")
                : SbiResult<ModelEstimatorRecord>.Success(record);
        }
        catch (JsonException e)
        {
            return SbiResult<ModelEstimatorRecord>.Failure(SbiError.BundleInvalid, $"{bundlePath} has a malformed model record: {e.Message}");
        }
    }
}
