using Ppl.Runtime.Tensors;
using Ppl.Runtime.Flows;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// The compressor losses, each the mean over rows of a per-row value. θ and t are [n, d]. GNLL's network also outputs
/// d(d + 1)/2 raw Cholesky entries per row: the d diagonal entries first (mapped by softplus + 1e-3, so the factor is
/// invertible), then the strictly lower triangle row by row ((1,0), (2,0), (2,1), …).
/// </summary>
public static class CompressionLosses
{
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar DiagonalFloor = 1e-3.ToScalar();

    /// <summary>The smallest diagonal entry of GNLL's Cholesky factor.</summary>
    public const double MinimumDiagonal = 1e-3;

    /// <summary>mean Σⱼ (tⱼ − θⱼ)².</summary>
    public static Tensor MeanSquaredError(Tensor summaries, Tensor theta) => TensorArithmetic.Square(summaries.sub(theta)).sum(1).mean();

    /// <summary>mean Σⱼ |tⱼ − θⱼ|.</summary>
    public static Tensor MeanAbsoluteError(Tensor summaries, Tensor theta) => summaries.sub(theta).abs().sum(1).mean();

    /// <summary>The lower-triangular Cholesky factors L [n, d, d] of the covariances from raw entries [n, d(d + 1)/2].</summary>
    public static Tensor CholeskyFactor(Tensor raw, int d)
    {
        var diagonal = TensorArithmetic.Softplus(raw.narrow(1, 0, d)).add(DiagonalFloor, TensorArithmetic.One);
        var positions = new List<long>();
        for (int i = 0; i < d; i++) positions.Add(i * d + i);
        for (int i = 1; i < d; i++)
            for (int j = 0; j < i; j++) positions.Add(i * d + j);
        var values = d == 1 ? diagonal : cat([diagonal, raw.narrow(1, d, d * (d - 1) / 2)], 1);
        using var index = tensor(positions.ToArray(), device: raw.device);
        var flat = zeros(raw.shape[0], d * d, dtype: raw.dtype, device: raw.device).index_copy(1, index, values);
        return flat.view(raw.shape[0], d, d);
    }

    /// <summary>
    /// Gaussian negative log-likelihood of θ under N(t, L Lᵀ): mean of ½‖L⁻¹(θ − t)‖² + Σ log Lᵢᵢ + (d/2) log 2π.
    /// </summary>
    public static Tensor GaussianNegativeLogLikelihood(Tensor summaries, Tensor rawCholesky, Tensor theta)
    {
        int d = (int)summaries.shape[1];
        var factor = CholeskyFactor(rawCholesky, d);
        var whitened = linalg.solve_triangular(factor, theta.sub(summaries).unsqueeze(2), upper: false);
        var logDeterminant = factor.diagonal(0, 1, 2).log().sum(1);
        using var constant = tensor(0.5 * d * Math.Log(2 * Math.PI), summaries.dtype, summaries.device);
        return TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Square(whitened).sum([1, 2]).mul(Half), logDeterminant), constant).mean();
    }

    /// <summary>VMIM: −mean log q(θ | t) under the jointly trained conditional flow.</summary>
    public static Tensor VariationalMutualInformation(ConditionalFlow flow, Tensor summaries, Tensor theta) =>
        flow.LogProb(theta, summaries).mean().neg();
}
