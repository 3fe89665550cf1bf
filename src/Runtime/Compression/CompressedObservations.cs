using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// Replaces an estimator's x by a compressor's summaries: the compressor's site is cut out of x (arranged by a flat
/// <see cref="ObservationLayout"/>) and summarised. Training keeps non-finite maps as rows of NaN summaries (the trainer
/// drops and counts them); an observation with a NaN is refused.
/// </summary>
public static class CompressedObservations
{
    /// <summary>The maps of <paramref name="site"/> [n, ...shape] held in flat x [n, Dx].</summary>
    public static SbiResult<Tensor> SiteMaps(ObservationLayout layout, Tensor x, string site)
    {
        if (layout.Arrangement != ObservationArrangement.Flat)
            return SbiResult<Tensor>.Failure(SbiError.CompressorMismatch, "A compressor reads maps from a flat observation layout.");
        long offset = 0;
        foreach (var block in layout.Blocks)
        {
            if (block.Name == site)
            {
                var shape = new long[] { x.shape[0] }.Concat(block.Shape).ToArray();
                return SbiResult<Tensor>.Success(x.narrow(1, offset, block.Size).reshape(shape));
            }
            offset += block.Size;
        }
        return SbiResult<Tensor>.Failure(SbiError.CompressorMismatch,
            $"The compressor reads '{site}', which is not among the observed sites ({layout.Describe()}).");
    }

    /// <summary>Summaries [n, d] of the simulations' x [n, Dx] for training: rows whose map is not finite get NaN.</summary>
    public static SbiResult<Tensor> ForTraining(TrainedCompressor compressor, ObservationLayout layout, Tensor x)
    {
        var maps = SiteMaps(layout, x, compressor.Record.Site);
        if (!maps.IsSuccess) return maps.Error;
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var finite = maps.Value.isfinite().reshape(n, -1).all(1);
        var rows = finite.nonzero().squeeze(1);
        var summaries = tensor(double.NaN, ScalarType.Float64).expand(n, compressor.Summaries).clone();
        if (rows.shape[0] > 0)
        {
            var t = compressor.Summarize(maps.Value.index_select(0, rows), "simulations");
            if (!t.IsSuccess) return t.Error;
            summaries.index_copy_(0, rows, t.Value);
        }
        return SbiResult<Tensor>.Success(summaries.MoveToOuterDisposeScope());
    }

    /// <summary>The simulations with x replaced by their summaries (<see cref="ForTraining(TrainedCompressor, ObservationLayout, Tensor)"/>), θ and the score kept.</summary>
    public static SbiResult<TrainingSimulations> ForTraining(TrainedCompressor compressor, ObservationLayout layout, TrainingSimulations simulations)
    {
        var summaries = ForTraining(compressor, layout, simulations.X);
        return summaries.IsSuccess ? SbiResult<TrainingSimulations>.Success(simulations with { X = summaries.Value }) : summaries.Error;
    }

    /// <summary>The summaries [1, d] of one arranged observation x [1, Dx]; <paramref name="origin"/> names it.</summary>
    public static SbiResult<Tensor> ForObservation(TrainedCompressor compressor, ObservationLayout layout, Tensor x, string origin)
    {
        var maps = SiteMaps(layout, x, compressor.Record.Site);
        return maps.IsSuccess ? compressor.Summarize(maps.Value, origin) : maps.Error;
    }
}
