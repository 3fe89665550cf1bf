using System.Globalization;

namespace Ppl.Runtime.Campaigns;

/// <summary>
/// Which simulations shard K of N runs. The run of <see cref="Total"/> simulations is cut into chunks of
/// <see cref="Chunk"/> (the batches a single process would simulate, counted from index 0); the chunks are split evenly
/// over the shards (shard K gets chunks ⌊K·M/N⌋ … ⌊(K+1)·M/N⌋ − 1 of M). Every batch a shard simulates is therefore exactly
/// a batch of the single-process run, so the shards' values are the single run's bit for bit — even where a kernel rounds
/// differently for another batch size or another position in the tensor.
/// </summary>
public sealed record ShardPlan(long Total, long Chunk, int Shards)
{
    /// <summary>The number of chunks the run is cut into.</summary>
    public long Chunks => (Total + Chunk - 1) / Chunk;

    /// <summary>The first global index and the number of simulations of shard <paramref name="k"/>.</summary>
    public (long First, long Count) Range(int k)
    {
        if (k < 0 || k >= Shards) throw new ArgumentOutOfRangeException(nameof(k));
        long a = Math.Min(Total, ChunkStart(k) * Chunk), b = Math.Min(Total, ChunkStart(k + 1) * Chunk);
        return (a, b - a);
    }

    private long ChunkStart(int k) => (long)((Int128)k * Chunks / Shards);

    /// <summary>Null when every shard gets at least one chunk, or the reason (with a chunk size that works) when not.</summary>
    public string? Problem()
    {
        if (Shards <= Chunks) return null;
        long suggested = Math.Max(1, Total / Shards);
        return string.Format(CultureInfo.InvariantCulture,
            "{0} simulations in chunks of {1} make {2} chunk{3}, fewer than the {4} shards (each shard runs whole chunks of the single-process run); use --chunk {5} or fewer shards",
            Total, Chunk, Chunks, Chunks == 1 ? "" : "s", Shards, suggested);
    }

    /// <summary>
    /// A chunk size no larger than <paramref name="largest"/> that splits <paramref name="total"/> simulations into a
    /// multiple of <paramref name="shards"/> chunks of nearly equal size, so that the shards are as even as the chunks
    /// allow (used by `ppl campaign`).
    /// </summary>
    public static long EvenChunk(long total, int shards, long largest)
    {
        long perShard = (total + shards - 1) / shards;
        long chunksPerShard = (perShard + largest - 1) / largest;
        return Math.Max(1, (perShard + chunksPerShard - 1) / chunksPerShard);
    }

    /// <summary>Parses "K/N" (K in 0..N−1); null with the message when malformed.</summary>
    public static (int Index, int Count, string? Error) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            return (0, 0, $"--shard must be K/N with N a positive number of shards and K in 0..N-1, not '{text}'");
        if (k >= n) return (0, 0, $"--shard {text}: K counts from 0, so it must be below N = {n}");
        return (k, n, null);
    }

    /// <summary>The file of shard <paramref name="k"/> of <paramref name="n"/> for the output name <paramref name="output"/>:
    /// <c>sims.npz</c> → <c>sims.shard-03-of-16.npz</c> (K zero-padded to the width of N − 1).</summary>
    public static string ShardFile(string output, int k, int n)
    {
        var dir = Path.GetDirectoryName(output) ?? "";
        var ext = Path.GetExtension(output);
        var stem = Path.GetFileNameWithoutExtension(output);
        int width = (n - 1).ToString(CultureInfo.InvariantCulture).Length;
        var name = string.Format(CultureInfo.InvariantCulture, "{0}.shard-{1}-of-{2}{3}", stem,
            k.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'), n.ToString(CultureInfo.InvariantCulture), ext);
        return Path.Combine(dir, name);
    }

    /// <summary>The record (manifest entry) beside a shard file: the same name ending in <c>.json</c>.</summary>
    public static string RecordFile(string shardFile) => Path.ChangeExtension(shardFile, ".json");
}
