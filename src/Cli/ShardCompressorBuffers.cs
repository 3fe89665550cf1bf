using Ppl.Runtime.Campaigns;
using Ppl.Runtime.Compression;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// `ppl compress --from DIR`: the shards of a `ppl simulate --shard` run as compressor training buffers — read by
/// <see cref="ShardStream"/> (a seeded permutation per epoch, mixed across shards, one buffer in memory), the params
/// mapped to the unconstrained space by replaying the model, the map site as stored, rows with NaN or infinite values
/// dropped, and the noise redrawn from the buffer's stored params and latents (unless <c>--fixed-noise</c>).
/// </summary>
public sealed class ShardCompressorBuffers(ShardStream stream, Model model, string site, bool redraw, ulong seed, long chunk) : ICompressorBuffers
{
    private long dropped;
    private bool counted;

    public long DroppedRows => dropped;

    /// <summary>The arrays read from each shard: the params and latents (to redraw the noise) and the map site.</summary>
    public static IReadOnlyList<string> Arrays(Model model, string site) =>
        ObservationRedraw.ConditioningSites(model).Select(s => s.Name).Append(site).Distinct().ToList();

    public IEnumerable<SbiResult<CompressorBuffer>> Epoch(int epoch)
    {
        foreach (var read in stream.Epoch(seed, epoch))
        {
            var converted = Convert(read, countDropped: !counted);
            yield return converted;
            if (!converted.IsSuccess) yield break;
        }
        counted = true;
    }

    public SbiResult<CompressorBuffer>? Validation() => stream.HeldOut() is { } read ? Convert(read, countDropped: true) : (SbiResult<CompressorBuffer>?)null;

    private SbiResult<CompressorBuffer> Convert(Runtime.IO.DataFileResult<ShardBuffer> read, bool countDropped)
    {
        if (!read.Succeeded) return new SbiError(SbiError.SimulationsIncomplete, string.Join("; ", read.Errors));
        using var buffer = read.Value;
        using var scope = NewDisposeScope();
        var block = new ObservedBlock(site, model.Sites.First(s => s.Name == site).Shape);
        var layout = ObservationLayout.Create([block], ObservationArrangement.Flat).Value;
        var replayed = ModelSimulations.Replay(model, layout, buffer.Arrays, score: false, chunkSize: chunk);
        if (!replayed.IsSuccess) return replayed.Error;
        var theta = replayed.Value.Theta;
        var maps = buffer.Arrays[site];
        var finite = theta.isfinite().all(1).logical_and(maps.isfinite().reshape(maps.shape[0], -1).all(1));
        var keep = finite.nonzero().squeeze(1);
        if (countDropped) dropped += maps.shape[0] - keep.shape[0];
        ObservationRedraw? noise = null;
        IReadOnlyDictionary<string, Tensor> stored = new Dictionary<string, Tensor>();
        if (redraw)
        {
            stored = ObservationRedraw.ConditioningSites(model).ToDictionary(s => s.Name, s => buffer.Arrays[s.Name].index_select(0, keep).MoveToOuterDisposeScope());
            var (created, missing) = ObservationRedraw.Create(model, site, stored, seed ^ 0xC0FFEEUL);
            if (created is null)
                return new SbiError(SbiError.SimulationsIncomplete,
                    $"redrawing the noise of '{site}' replays the model with the stored params and latents, but the shards lack {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
            noise = created;
        }
        return SbiResult<CompressorBuffer>.Success(new CompressorBuffer(
            theta.index_select(0, keep).MoveToOuterDisposeScope(), maps.index_select(0, keep).MoveToOuterDisposeScope(), noise, stored.Values.ToList()));
    }
}
