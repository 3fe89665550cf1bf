using Ppl.Runtime.IO;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Campaigns;

/// <summary>One buffer of an epoch: rows of the named arrays (CPU tensors, owned by the buffer) and the global simulation
/// index of each row.</summary>
public sealed class ShardBuffer(IReadOnlyDictionary<string, Tensor> arrays, long[] indices) : IDisposable
{
    public IReadOnlyDictionary<string, Tensor> Arrays { get; } = arrays;

    /// <summary>The global simulation index of each row (0 … Total − 1).</summary>
    public long[] Indices { get; } = indices;

    public long Rows => Indices.LongLength;

    /// <summary>Bytes of tensor data held.</summary>
    public long Bytes => Arrays.Values.Sum(t => t.numel() * t.element_size());

    public void Dispose()
    {
        foreach (var t in Arrays.Values) t.Dispose();
    }
}

/// <summary>
/// Reads the simulations of a set of shards in a seeded random order, one bounded buffer at a time, without ever holding
/// more than a buffer: the shards are cut into blocks of <c>blockRows</c> consecutive simulations, an epoch visits the
/// blocks in a seeded permutation, fills a buffer with the next <c>bufferRows / blockRows</c> blocks (from whichever
/// shards they belong to) and permutes the buffer's rows. Each epoch therefore yields a permutation of all simulations,
/// every one exactly once, shuffled across shards, determined by (seed, epoch); memory is one buffer (plus one block
/// being read). Stored (uncompressed) shards are read by seeking to the block; deflated ones are read up to it.
/// </summary>
public sealed class ShardStream : IDisposable
{
    private readonly ShardSet set;
    private readonly IReadOnlyList<string> names;
    private readonly long blockRows;
    private readonly int blocksPerBuffer;
    private readonly List<(int Shard, long Start, long Count)> blocks = new();
    private readonly Dictionary<int, NpzReader> readers = new();

    /// <param name="set">Checked shards (see <see cref="ShardSet.Check"/>).</param>
    /// <param name="names">The arrays to read.</param>
    /// <param name="blockRows">Consecutive simulations read together (the granularity of the shuffle across shards).</param>
    /// <param name="bufferRows">The most simulations held at once (rounded down to whole blocks, at least one block).</param>
    public ShardStream(ShardSet set, IReadOnlyList<string> names, long blockRows, long bufferRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        this.set = set;
        this.names = names;
        this.blockRows = blockRows;
        blocksPerBuffer = (int)Math.Clamp(bufferRows / blockRows, 1, int.MaxValue);
        for (int s = 0; s < set.Shards.Count; s++)
            for (long start = 0; start < set.Shards[s].Record.Count; start += blockRows)
                blocks.Add((s, start, Math.Min(blockRows, set.Shards[s].Record.Count - start)));
    }

    private HashSet<int> heldOut = new();

    /// <summary>Holds out a seeded choice of whole blocks, about <paramref name="fraction"/> of the simulations but at most
    /// one buffer, for validation: <see cref="Epoch"/> skips them and <see cref="HeldOut"/> reads them.</summary>
    public void HoldOut(ulong seed, double fraction)
    {
        int count = (int)Math.Min(blocksPerBuffer, Math.Round(fraction * blocks.Count));
        if (fraction > 0) count = Math.Max(1, count);
        heldOut = new Sbi.SeededShuffle(seed).Permutation(blocks.Count).Take(Math.Min(count, blocks.Count - 1)).Select(k => (int)k).ToHashSet();
    }

    /// <summary>Simulations held out for validation.</summary>
    public long HeldOutRows => heldOut.Sum(k => blocks[k].Count);

    /// <summary>Simulations an epoch yields.</summary>
    public long EpochRows => set.Shards.Sum(s => s.Record.Count) - HeldOutRows;

    /// <summary>The held-out simulations (in block order); null when none are held out.</summary>
    public DataFileResult<ShardBuffer>? HeldOut() => heldOut.Count == 0 ? null : Load(heldOut.Order().Select(k => blocks[k]).ToList());

    /// <summary>The simulations of the whole set.</summary>
    public long Total => set.First.Total;

    /// <summary>The most rows a buffer holds.</summary>
    public long BufferRows => blocksPerBuffer * blockRows;

    /// <summary>The buffers of one epoch, in order; dispose each when done with it.</summary>
    public IEnumerable<DataFileResult<ShardBuffer>> Epoch(ulong seed, int epoch)
    {
        var shuffle = new Sbi.SeededShuffle(seed ^ ((ulong)RandomStream.Mix32((uint)epoch + 0x9E3779B9u) << 32 | RandomStream.Mix32((uint)epoch)));
        var order = shuffle.Permutation(blocks.Count).Where(k => !heldOut.Contains((int)k)).ToArray();
        for (int at = 0; at < order.Length; at += blocksPerBuffer)
        {
            var chosen = order.Skip(at).Take(blocksPerBuffer).Select(k => blocks[(int)k]).ToList();
            var loaded = Load(chosen);
            if (!loaded.Succeeded)
            {
                yield return loaded;
                yield break;
            }
            var buffer = loaded.Value;
            var permutation = shuffle.Permutation(buffer.Rows);
            // The scope closes before the yield: the caller's tensors must not land in it.
            var shuffled = Shuffle(buffer, permutation);
            yield return DataFileResult<ShardBuffer>.Success(shuffled);
        }
    }

    private static ShardBuffer Shuffle(ShardBuffer buffer, long[] permutation)
    {
        using (buffer)
        using (var scope = NewDisposeScope())
        {
            var index = tensor(permutation);
            var arrays = buffer.Arrays.ToDictionary(kv => kv.Key, kv => kv.Value.index_select(0, index).MoveToOuterDisposeScope());
            return new ShardBuffer(arrays, permutation.Select(i => buffer.Indices[i]).ToArray());
        }
    }

    private DataFileResult<ShardBuffer> Load(List<(int Shard, long Start, long Count)> chosen)
    {
        var parts = names.ToDictionary(n => n, _ => new List<Tensor>());
        var indices = new List<long>();
        foreach (var (shard, start, count) in chosen)
        {
            var reader = Reader(shard);
            if (!reader.Succeeded) return Fail(parts, reader.Errors);
            foreach (var name in names)
            {
                var rows = reader.Value.ReadStream(name, (stream, origin) => ReadRows(stream, origin, start, count));
                if (!rows.Succeeded) return Fail(parts, rows.Errors);
                parts[name].Add(rows.Value);
            }
            long first = set.Shards[shard].Record.First + start;
            for (long i = 0; i < count; i++) indices.Add(first + i);
        }
        var arrays = parts.ToDictionary(kv => kv.Key, kv =>
        {
            var joined = kv.Value.Count == 1 ? kv.Value[0] : cat(kv.Value.ToArray(), 0);
            if (kv.Value.Count > 1) foreach (var t in kv.Value) t.Dispose();
            return joined;
        });
        return DataFileResult<ShardBuffer>.Success(new ShardBuffer(arrays, indices.ToArray()));
    }

    private static DataFileResult<ShardBuffer> Fail(Dictionary<string, List<Tensor>> parts, IReadOnlyList<DataFileError> errors)
    {
        foreach (var t in parts.Values.SelectMany(p => p)) t.Dispose();
        return DataFileResult<ShardBuffer>.Failure(errors);
    }

    private DataFileResult<NpzReader> Reader(int shard)
    {
        if (readers.TryGetValue(shard, out var open)) return DataFileResult<NpzReader>.Success(open);
        var (path, record) = set.Shards[shard];
        var opened = NpzReader.Open(ShardSet.DataFile(path, record));
        if (opened.Succeeded) readers[shard] = opened.Value;
        return opened;
    }

    /// <summary>Rows [start, start + count) of the array in <paramref name="stream"/> as a CPU tensor.</summary>
    private static DataFileResult<Tensor> ReadRows(Stream stream, string origin, long start, long count)
    {
        var read = NpyHeader.Read(stream, origin);
        if (!read.Succeeded) return DataFileResult<Tensor>.Failure(read.Errors);
        var header = read.Value;
        if (header.FortranOrder || header.Shape.Length == 0 || header.DType.NeedsByteSwap || header.DType.SameLayoutScalarType is not { } type)
            return DataFileResult<Tensor>.Failure(new DataFileError(DiagnosticCatalogue.UnsupportedDType,
                $"cannot stream a {header.DType.Descr} array of shape ({string.Join(", ", header.Shape)}){(header.FortranOrder ? " in Fortran order" : "")}", origin));
        if (start + count > header.Shape[0])
            return DataFileResult<Tensor>.Failure(new DataFileError(DiagnosticCatalogue.MalformedNpy,
                $"rows {start}..{start + count - 1} asked of an array of {header.Shape[0]} rows", origin));
        long rowBytes = NpyHeader.CountElements(header.Shape.Skip(1).ToArray()) * header.DType.ItemSize;
        long skip = start * rowBytes;
        if (stream.CanSeek) stream.Seek(skip, SeekOrigin.Current);
        else
        {
            var discard = new byte[1 << 16];
            while (skip > 0)
            {
                int n = stream.Read(discard, 0, (int)Math.Min(discard.Length, skip));
                if (n == 0) return Truncated(origin);
                skip -= n;
            }
        }
        var result = empty(header.Shape.Select((n, k) => k == 0 ? count : n).ToArray(), type);
        bool complete = true;
        TensorMemory.WriteChunks(result, chunk => complete &= stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) == chunk.Length);
        if (complete) return DataFileResult<Tensor>.Success(result);
        result.Dispose();
        return Truncated(origin);
    }

    private static DataFileResult<Tensor> Truncated(string origin) =>
        DataFileResult<Tensor>.Failure(new DataFileError(DiagnosticCatalogue.MalformedNpy, "malformed .npy: the data end early (truncated)", origin));

    public void Dispose()
    {
        foreach (var r in readers.Values) r.Dispose();
        readers.Clear();
    }
}
