namespace Ppl.Runtime.Compression;

/// <summary>What a map compressor is trained to minimise (science.md §2). θ is the params' unconstrained vector,
/// standardised with the training set's mean and standard deviation.</summary>
public enum CompressionLoss
{
    /// <summary>Σ (t − θ)²: the summaries regress θ (d must equal the number of params).</summary>
    Mse,
    /// <summary>Σ |t − θ|: a median regression of θ (d must equal the number of params).</summary>
    Mae,
    /// <summary>Gaussian negative log-likelihood of θ with mean t and a learned, map-dependent Cholesky factor of the
    /// covariance (softplus diagonal ≥ 1e-3); d must equal the number of params.</summary>
    Gnll,
    /// <summary>Variational mutual-information maximisation: −log q(θ | t) with q a conditional affine-coupling flow
    /// trained jointly with the compressor; any d ≥ 1.</summary>
    Vmim,
}
