using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// `ppl train --from DIR`: the shards of a `ppl simulate --shard` run as training buffers — read by
/// <see cref="ShardStream"/> (a seeded permutation per epoch, mixed across shards, one buffer in memory), the params
/// mapped to the unconstrained space by replaying the model, x flattened by the layout, non-finite rows dropped; NPE
/// trains q(u | x), NLE q(x | u).
/// </summary>
public sealed class ShardTrainingBuffers(ShardStream stream, Model model, ObservationLayout layout, bool likelihood, ulong seed, long chunk) : ITrainingBuffers
{
    private long dropped;
    private int countedEpoch;

    public long DroppedRows => dropped;

    /// <summary>The arrays the model needs from each shard: its params and observed sites.</summary>
    public static IReadOnlyList<string> Arrays(Model model) => model.Params.Concat(model.ObservedSites).Select(s => s.Name).ToList();

    public IEnumerable<SbiResult<(Tensor Target, Tensor? Context)>> Epoch(int epoch)
    {
        foreach (var read in stream.Epoch(seed, epoch))
        {
            var converted = Convert(read, countDropped: epoch == 1 && countedEpoch < 1);
            yield return converted;
            if (!converted.IsSuccess) yield break;
        }
        if (epoch == 1) countedEpoch = 1;
    }

    public SbiResult<(Tensor Target, Tensor? Context)>? Validation() => stream.HeldOut() is { } read ? Convert(read, countDropped: true) : (SbiResult<(Tensor Target, Tensor? Context)>?)null;

    private SbiResult<(Tensor Target, Tensor? Context)> Convert(Runtime.IO.DataFileResult<ShardBuffer> read, bool countDropped)
    {
        if (!read.Succeeded) return new SbiError(SbiError.SimulationsIncomplete, string.Join("; ", read.Errors));
        using var buffer = read.Value;
        var replayed = ModelSimulations.Replay(model, layout, buffer.Arrays, score: false, chunkSize: chunk);
        if (!replayed.IsSuccess) return replayed.Error;
        var sims = replayed.Value;
        var theta = sims.Theta;
        var x = sims.X;
        var finite = theta.isfinite().all(1).logical_and(x.reshape(x.shape[0], -1).isfinite().all(1));
        var keep = finite.nonzero().squeeze(1);
        if (countDropped) dropped += x.shape[0] - keep.shape[0];
        theta = theta.index_select(0, keep);
        x = x.index_select(0, keep);
        return SbiResult<(Tensor Target, Tensor? Context)>.Success(likelihood ? (x.reshape(x.shape[0], -1), theta) : (theta, x));
    }
}
