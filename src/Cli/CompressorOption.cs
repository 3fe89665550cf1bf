using Ppl.Compiler;
using Ppl.Runtime.Compression;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// `ppl train --compressor comp.pplz` and its counterpart in `ppl posterior`: the estimator sees a compressor's summaries
/// of the observed map instead of x. The compressor must have been trained for the same model (hash, params, site
/// shape); the estimator's bundle records the compressor's file and SHA-256, and the posterior compresses the
/// observation with that same file.
/// </summary>
public static class CompressorOption
{
    /// <summary>Loads a compressor for <paramref name="model"/>, refusing another model's or a mismatched site's.</summary>
    public static (TrainedCompressor? Compressor, int Exit) Load(CliContext ctx, string path, Compilation compilation, Model model, Device? device)
    {
        if (!File.Exists(path)) return (null, ctx.Usage($"compressor bundle '{path}' not found", "write one with `ppl compress`"));
        var loaded = CompressorBundle.Load(path, compilation.SourceHash, device);
        if (!loaded.IsSuccess)
            return (null, SbiErrorRendering.Report(ctx, loaded.Error, loaded.Error.Code == SbiError.ModelHashMismatch
                ? $"retrain the compressor with `ppl compress {compilation.File} ...`" : null));
        var compressor = loaded.Value;
        if (compressor.Record.CheckModel(model, compressor.Map, path) is { } mismatch)
        {
            compressor.Dispose();
            return (null, SbiErrorRendering.Report(ctx, mismatch));
        }
        return (compressor, ExitCodes.Ok);
    }

    /// <summary>The simulations with x replaced by the summaries of the compressor's site.</summary>
    public static (TrainingSimulations? Simulations, int Exit) Compress(CliContext ctx, TrainedCompressor compressor, ObservationLayout layout,
        TrainingSimulations simulations)
    {
        var compressed = CompressedObservations.ForTraining(compressor, layout, simulations);
        return compressed.IsSuccess ? (compressed.Value, ExitCodes.Ok) : (null, SbiErrorRendering.Report(ctx, compressed.Error));
    }

    /// <summary>What the estimator's bundle records about the compressor.</summary>
    public static CompressorReference Reference(TrainedCompressor compressor, string? bundleFolder)
    {
        var full = Path.GetFullPath(compressor.Source);
        return new CompressorReference(full, Path.GetRelativePath(bundleFolder ?? ".", full), BundleWeights.Sha256(File.ReadAllBytes(full)),
            compressor.Record.Site, compressor.Summaries);
    }

    /// <summary>
    /// The summaries [1, d] of an arranged observation by the compressor an estimator's bundle records: found beside the
    /// bundle as when training, else at its absolute path; refused when its file changed since training.
    /// </summary>
    public static (Tensor? Summaries, int Exit) CompressObservation(CliContext ctx, CompressorReference reference, string bundlePath,
        Compilation compilation, Model model, ObservationLayout layout, Tensor observation, string origin, Device? device)
    {
        string? path = null;
        if (reference.PathFromBundle is { } relative)
        {
            var candidate = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bundlePath)) ?? ".", relative));
            if (File.Exists(candidate)) path = candidate;
        }
        path ??= File.Exists(reference.Path) ? reference.Path : null;
        if (path is null)
            return (null, ctx.Usage($"'{bundlePath}' was trained on the summaries of the compressor {reference.Path}, which no longer exists",
                "keep the compressor bundle beside the estimator bundle"));
        if (BundleWeights.Sha256(File.ReadAllBytes(path)) != reference.Sha256)
            return (null, SbiErrorRendering.Report(ctx, new SbiError(SbiError.CompressorMismatch,
                $"{path} changed since '{bundlePath}' was trained on its summaries (its SHA-256 differs); the estimator does not apply to the new compressor."),
                "retrain the estimator with `ppl train ... --compressor`"));
        var (compressor, exit) = Load(ctx, path, compilation, model, device);
        if (compressor is null) return (null, exit);
        using (compressor)
        {
            var summaries = CompressedObservations.ForObservation(compressor, layout, observation, origin);
            return summaries.IsSuccess ? (summaries.Value, ExitCodes.Ok) : (null, SbiErrorRendering.Report(ctx, summaries.Error));
        }
    }
}
