using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Closed-form moments of a distribution whose mean and variance exist for some parameters; entries whose moment
/// does not exist for their parameters are NaN (undefined) or +inf (infinite). Each access builds new tensors of the
/// parameters' broadcast shape (event shape included for multivariate distributions).
/// </summary>
public interface IDistributionMoments
{
    /// <summary>The mean.</summary>
    Tensor Mean { get; }

    /// <summary>The variance (for a multivariate distribution, the diagonal of the covariance).</summary>
    Tensor Variance { get; }
}
