using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>A compressor ready to summarise maps, with what its bundle recorded. Owns the network.</summary>
public sealed class TrainedCompressor : IDisposable
{
    private const long Chunk = 256;

    public TrainedCompressor(MapCompressor compressor, CompressorRecord record, string modelHash, TrainingReport? report, string source)
    {
        Compressor = compressor;
        Record = record;
        ModelHash = modelHash;
        Report = report;
        Source = source;
    }

    public MapCompressor Compressor { get; }

    public CompressorRecord Record { get; }

    /// <summary>Hash of the model the compressor was trained for.</summary>
    public string ModelHash { get; }

    public TrainingReport? Report { get; }

    /// <summary>Where the compressor came from (its bundle's path), for messages.</summary>
    public string Source { get; }

    public MapShape Map => Compressor.Architecture.Map;

    public int Summaries => Compressor.Architecture.Summaries;

    /// <summary>
    /// Summaries [n, d] (float64, CPU) of maps of the compressor's site: one map [...site] or a batch [n, ...site].
    /// A map of another shape, or holding a NaN or infinity, is refused; <paramref name="origin"/> names the maps in the
    /// message (e.g. the data file).
    /// </summary>
    public SbiResult<Tensor> Summarize(Tensor maps, string origin)
    {
        var site = Map.SiteShape;
        Tensor batch;
        if (maps.shape.SequenceEqual(site)) batch = maps.unsqueeze(0);
        else if (Map.Fits(maps)) batch = maps;
        else
            return SbiResult<Tensor>.Failure(SbiError.CompressorMismatch,
                $"{origin}: '{Record.Site}' has shape [{string.Join(", ", maps.shape)}], but the compressor {Source} reads maps of shape " +
                $"{Map.Describe()} (one map, or a batch [n, {string.Join(", ", site)}]).");
        using var scope = NewDisposeScope();
        var bad = batch.isfinite().logical_not().reshape(batch.shape[0], -1).any(1).nonzero().squeeze(1);
        if (bad.shape[0] > 0)
            return SbiResult<Tensor>.Failure(SbiError.CompressorMismatch,
                $"{origin}: map {bad[0].item<long>()} of '{Record.Site}' holds NaN or infinite values ({bad.shape[0]} of {batch.shape[0]} maps do); a compressor cannot summarise them.");
        Compressor.eval();
        var device = Compressor.MapStandardizer.Mean.device;
        var parts = new List<Tensor>();
        for (long start = 0; start < batch.shape[0]; start += Chunk)
        {
            long size = Math.Min(Chunk, batch.shape[0] - start);
            parts.Add(Compressor.Summarize(batch.narrow(0, start, size).to(ScalarType.Float32, device)).to(ScalarType.Float64, CPU));
        }
        var result = parts.Count == 1 ? parts[0] : cat(parts.ToArray(), 0);
        return SbiResult<Tensor>.Success(result.MoveToOuterDisposeScope());
    }

    public void Dispose() => Compressor.Dispose();
}
