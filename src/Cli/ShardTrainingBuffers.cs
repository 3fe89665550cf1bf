using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Compression;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// `ppl train --from DIR`: the shards of a `ppl simulate --shard` run as training buffers — read by
/// <see cref="ShardStream"/> (a seeded permutation per epoch, mixed across shards, one buffer in memory), the params
/// mapped to the unconstrained space by replaying the model (which recomputes the joint score for score-augmented NPE,
/// as <see cref="ModelSimulations.Replay"/> does for an archive), x arranged by the layout or replaced by a compressor's
/// summaries (<see cref="CompressedObservations.ForTraining(TrainedCompressor, ObservationLayout, TrainingSimulations)"/>),
/// non-finite rows dropped; NPE trains q(u | x), NLE q(x | u).
/// </summary>
public sealed class ShardTrainingBuffers(ShardStream stream, Model model, ObservationLayout layout, bool likelihood, bool score,
    TrainedCompressor? compressor, ulong seed, long chunk) : ITrainingBuffers
{
    private long dropped;
    private int countedEpoch;

    public long DroppedRows => dropped;

    /// <summary>The arrays the model needs from each shard: its params and observed sites, and its latents to recompute
    /// the joint score.</summary>
    public static IReadOnlyList<string> Arrays(Model model, bool score) =>
        model.Params.Concat(model.ObservedSites).Concat(score ? model.Latents : []).Select(s => s.Name).Distinct().ToList();

    /// <summary>The error when the shards (all written alike, so <paramref name="record"/> speaks for them) lack one of
    /// <paramref name="arrays"/>; else null.</summary>
    public static SbiError? Missing(ShardRecord record, IReadOnlyList<string> arrays, string folder, bool score)
    {
        var missing = arrays.Where(name => record.Arrays.All(a => a.Name != name)).ToList();
        if (missing.Count == 0) return null;
        string why = score ? " (score-augmented training recomputes the joint score at the stored values, which needs every latent)" : "";
        return new SbiError(SbiError.SimulationsIncomplete,
            $"The shards in {folder} lack {string.Join(", ", missing.Select(m => $"'{m}'"))}{why}; write them with `ppl simulate --shard K/N` from the same model, which stores every param, latent and observed site.");
    }

    public IEnumerable<SbiResult<TrainingRows>> Epoch(int epoch)
    {
        foreach (var read in stream.Epoch(seed, epoch))
        {
            var converted = Convert(read, countDropped: epoch == 1 && countedEpoch < 1);
            yield return converted;
            if (!converted.IsSuccess) yield break;
        }
        if (epoch == 1) countedEpoch = 1;
    }

    public SbiResult<TrainingRows>? Validation() => stream.HeldOut() is { } read ? Convert(read, countDropped: true) : (SbiResult<TrainingRows>?)null;

    private SbiResult<TrainingRows> Convert(Runtime.IO.DataFileResult<ShardBuffer> read, bool countDropped)
    {
        if (!read.Succeeded) return new SbiError(SbiError.SimulationsIncomplete, string.Join("; ", read.Errors));
        using var buffer = read.Value;
        using var scope = NewDisposeScope();
        var replayed = ModelSimulations.Replay(model, layout, buffer.Arrays, score, chunkSize: chunk);
        if (!replayed.IsSuccess) return replayed.Error;
        var simulations = replayed.Value;
        if (compressor is not null)
        {
            var compressed = CompressedObservations.ForTraining(compressor, layout, simulations);
            if (!compressed.IsSuccess) return compressed.Error;
            simulations = compressed.Value;
        }
        var (theta, x, scores, droppedRows) = ConditionalDensityTrainer.FiniteRows(simulations.Theta, simulations.X, simulations.Score);
        if (countDropped) dropped += droppedRows;
        var rows = likelihood
            ? new TrainingRows(x!.reshape(x.shape[0], -1).MoveToOuterDisposeScope(), theta.MoveToOuterDisposeScope())
            : new TrainingRows(theta.MoveToOuterDisposeScope(), x!.MoveToOuterDisposeScope(), scores?.MoveToOuterDisposeScope());
        return SbiResult<TrainingRows>.Success(rows);
    }
}
