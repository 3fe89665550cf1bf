using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;

namespace Ppl.Runtime.Compression;

/// <summary>
/// What a compressor bundle records about the model and data it was trained on: the model's name and file, the observed
/// site it reads, the params (whose unconstrained vector the losses target), the data bound, and where the simulations
/// came from. Checked whenever the compressor is applied to a model.
/// </summary>
public sealed record CompressorRecord
{
    public required string ModelName { get; init; }

    /// <summary>The model file's absolute path when training.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The model file relative to the bundle's folder.</summary>
    public string? ModelPathFromBundle { get; init; }

    /// <summary>The observed site whose maps are compressed.</summary>
    public required string Site { get; init; }

    public required IReadOnlyList<ParamRecord> Params { get; init; }

    public required IReadOnlyList<string> ParamColumns { get; init; }

    /// <summary>The data values bound when training, as CmdStan-style JSON.</summary>
    public string TrainingData { get; init; } = "{}";

    public long Simulations { get; init; }

    public ulong SimulationSeed { get; init; }

    /// <summary>"model" for simulations drawn while training, else the archive they were read from.</summary>
    public string SimulationSource { get; init; } = "model";

    /// <summary>Whether the observation noise was redrawn from the model for every batch.</summary>
    public bool NoiseRedrawn { get; init; }

    /// <summary>Whether batches were turned and mirrored by random grid symmetries.</summary>
    public bool Augmented { get; init; }

    /// <summary>Redrawn maps that held a NaN or infinity and were left out of their batch.</summary>
    public long NonFiniteRedraws { get; init; }

    /// <summary>Whether <paramref name="model"/> has the params and the observed site (with the map's shape) this compressor
    /// was trained on; the reason when it does not. <paramref name="bundlePath"/> locates the compressor in the message.</summary>
    public SbiError? CheckModel(Model model, MapShape map, string bundlePath)
    {
        var current = ModelEstimatorRecord.ParamsOf(model);
        bool sameParams = current.Count == Params.Count && current.Zip(Params).All(p =>
            p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape) && p.First.Support == p.Second.Support);
        if (!sameParams)
            return new SbiError(SbiError.CompressorMismatch,
                $"{bundlePath}: the compressor was trained for params {Describe(Params)}, but model {model.Description.Name} has {Describe(current)}.");
        var site = model.Sites.FirstOrDefault(s => s.Name == Site);
        if (site is null || site.Role != SiteRole.Observed)
            return new SbiError(SbiError.CompressorMismatch,
                $"{bundlePath}: the compressor reads observed site '{Site}', which model {model.Description.Name} {(site is null ? "does not have" : "declares as a " + site.Role.ToString().ToLowerInvariant())}.");
        if (!site.Shape.SequenceEqual(map.SiteShape))
            return new SbiError(SbiError.CompressorMismatch,
                $"{bundlePath}: the compressor reads '{Site}' as {map.Describe()}, but model {model.Description.Name}'s '{Site}' is {site.ShapeText}; check the data bound to the model (sizes change shapes) or retrain.");
        return null;
    }

    private static string Describe(IReadOnlyList<ParamRecord> records) =>
        string.Join(", ", records.Select(r => $"{r.Name} [{string.Join(", ", r.Shape)}] on {r.Support}"));
}
