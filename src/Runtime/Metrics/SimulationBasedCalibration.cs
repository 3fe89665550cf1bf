using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Metrics;

/// <summary>
/// Simulation-based calibration (Talts et al. 2018): for m simulations with true θ*, the rank of each
/// coordinate of θ* among L posterior samples is uniform on {0, …, L} when the posterior is calibrated.
/// </summary>
public static class SimulationBasedCalibration
{
    /// <summary>Ranks [m, D] (int64): how many of the L samples [m, L, D] fall below the truth [m, D].</summary>
    public static Tensor Ranks(Tensor truths, Tensor posteriorSamples)
    {
        if (truths.dim() != 2 || posteriorSamples.dim() != 3 || posteriorSamples.shape[0] != truths.shape[0]
            || posteriorSamples.shape[2] != truths.shape[1])
            throw new ArgumentException("Expected truths [m, D] and posterior samples [m, L, D].");
        return posteriorSamples.lt(truths.unsqueeze(1)).sum(1, type: ScalarType.Int64);
    }

    /// <summary>Histogram [bins, D] of ranks in 0..L over <paramref name="bins"/> equal bins.</summary>
    public static Tensor Histogram(Tensor ranks, long samplesPerPosterior, int bins)
    {
        using var scope = NewDisposeScope();
        using var keptScalar55 = (bins - 1).ToScalar();
        var bin = (TensorArithmetic.Div(TensorArithmetic.Mul(ranks.to_type(ScalarType.Float64), bins), (samplesPerPosterior + 1))).floor().to_type(ScalarType.Int64).clamp(ConstantScalars.Of(0), keptScalar55);
        var histogram = zeros(bins, ranks.shape[1], dtype: ScalarType.Int64, device: ranks.device);
        histogram.scatter_add_(0, bin, ones_like(bin));
        return histogram.MoveToOuterDisposeScope();
    }

    /// <summary>Pearson's χ² statistic per dimension [D] of a rank histogram against the uniform; with B bins it
    /// follows χ²(B − 1) for a calibrated posterior (when L + 1 is a multiple of B).</summary>
    public static Tensor UniformityChiSquare(Tensor histogram)
    {
        using var scope = NewDisposeScope();
        var h = histogram.to_type(ScalarType.Float64);
        var expected = TensorArithmetic.Div(h.sum(0, keepdim: true), h.shape[0]);
        return (TensorArithmetic.Square((h - expected)) / expected).sum(0, keepdim: false).MoveToOuterDisposeScope();
    }
}
