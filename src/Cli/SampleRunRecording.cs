using System.Globalization;
using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>The run record (<c>run.json</c>) `ppl sample` writes beside its outputs, for `ppl merge` and `ppl summary`.</summary>
public static class SampleRunRecording
{
    public static SampleRunRecord For(SamplingRun run, Model model, string modelHash, string init, bool saveLatents,
        IReadOnlyDictionary<string, DataInput> data, IReadOnlyList<string>? recordLets = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var o = run.Options;
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["warmup"] = o.NumWarmup.ToString(inv),
            ["draws"] = o.NumSamples.ToString(inv),
            ["adapt_delta"] = o.AdaptDelta.ToString("R", inv),
            ["metric"] = SamplerDiagnostics.MetricName(o.Metric),
            ["early_max_depth"] = o.EarlyMaxTreeDepth?.ToString(inv) ?? "none",
            ["init"] = init,
            ["save_latents"] = saveLatents ? "yes" : "no",
            ["save_warmup"] = o.SaveWarmup ? "yes" : "no",
            ["real"] = model.RealType == ScalarType.Float64 ? "float64" : "float32",
            ["device"] = model.Device.type.ToString().ToLowerInvariant(),
            ["inputs"] = InputFingerprint.Of(data),
        };
        // Only when given, so that the records of runs without --record are unchanged.
        if (recordLets is { Count: > 0 }) settings["record"] = string.Join(",", recordLets);
        return new SampleRunRecord
        {
            Model = model.Description.Name,
            ModelHash = modelHash,
            Seed = o.Seed,
            FirstChain = o.FirstChainId,
            DrawsPerChain = run.Chains.Count == 0 ? 0 : run.Chains.Min(c => c.Samples.Count),
            MaxTreeDepth = o.MaxTreeDepth,
            Metric = SamplerDiagnostics.MetricName(o.Metric),
            StopReason = run.StopReason.ToString().ToLowerInvariant(),
            Settings = settings,
            Chains = run.Chains.Select(c =>
            {
                var diagonal = c.Metric.InverseMassDiagonal();
                return new SampleRunChain(c.ChainId, c.Samples.Count, c.WarmupDivergences, c.StepSize,
                    diagonal.Length == 0 ? double.NaN : diagonal.Min(), diagonal.Length == 0 ? double.NaN : diagonal.Max());
            }).ToList(),
        };
    }
}
