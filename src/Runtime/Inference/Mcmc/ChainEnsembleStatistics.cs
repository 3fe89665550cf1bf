namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// The cross-chain statistics that many-chain HMC adapts from: the harmonic mean of the chains' acceptance
/// probabilities, the ChEES criterion's derivative with respect to log T, the cross-chain variance that sets a
/// diagonal metric, and the van der Corput (base-2 Halton) sequence that jitters trajectory lengths.
/// </summary>
public static class ChainEnsembleStatistics
{
    /// <summary>
    /// The harmonic mean 1 / mean(1/αᵢ) of the acceptance probabilities of the chains that did not diverge (0 when every
    /// chain diverged or one was certain to be rejected). One stuck chain pulls it down, which is the point: the
    /// step size is adapted so that almost every chain moves.
    /// </summary>
    public static double HarmonicMeanAcceptance(IReadOnlyList<double> accept, IReadOnlyList<bool> divergent)
    {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < accept.Count; i++)
        {
            if (divergent[i]) continue;
            double a = accept[i];
            if (!(a > 0)) return 0;
            sum += 1 / Math.Min(a, 1);
            n++;
        }
        return n == 0 ? 0 : n / sum;
    }

    /// <summary>
    /// The estimated derivative of the ChEES criterion ¼ E[(‖q′ − E q′‖² − ‖q − E q‖²)²] with respect to log T for
    /// jittered trajectories of length t = h·T: per chain, t (‖q′ − q̄′‖² − ‖q − q̄‖²) (q′ − q̄′)·v′ with v′ = M⁻¹p′ the
    /// velocity at the end of the trajectory, averaged over the chains that did not diverge with their acceptance
    /// probabilities as weights (q̄′ is likewise weighted; q̄ is the plain mean of the starting points). NaN when no
    /// proposal has weight.
    /// </summary>
    /// <param name="starts">Each chain's position before the transition.</param>
    /// <param name="proposals">Each chain's proposed end position (null when its trajectory diverged).</param>
    /// <param name="velocities">M⁻¹p at each proposal (null when diverged).</param>
    /// <param name="accept">Each chain's acceptance probability.</param>
    /// <param name="jitteredLength">t = h·T, the length every chain integrated for.</param>
    public static double CheesGradient(IReadOnlyList<double[]> starts, IReadOnlyList<double[]?> proposals, IReadOnlyList<double[]?> velocities,
        IReadOnlyList<double> accept, double jitteredLength)
    {
        int chains = starts.Count, d = starts[0].Length;
        var startMean = new double[d];
        foreach (var q in starts)
            for (int j = 0; j < d; j++) startMean[j] += q[j] / chains;
        var proposalMean = new double[d];
        double weight = 0;
        for (int i = 0; i < chains; i++)
        {
            if (proposals[i] is not { } q) continue;
            double w = Math.Min(accept[i], 1);
            weight += w;
            for (int j = 0; j < d; j++) proposalMean[j] += w * q[j];
        }
        if (!(weight > 0)) return double.NaN;
        for (int j = 0; j < d; j++) proposalMean[j] /= weight;

        double sum = 0;
        for (int i = 0; i < chains; i++)
        {
            if (proposals[i] is not { } q || velocities[i] is not { } v) continue;
            double w = Math.Min(accept[i], 1);
            if (w == 0) continue;
            double endSquare = 0, startSquare = 0, endVelocity = 0;
            var s = starts[i];
            for (int j = 0; j < d; j++)
            {
                double e = q[j] - proposalMean[j];
                double b = s[j] - startMean[j];
                endSquare += e * e;
                startSquare += b * b;
                endVelocity += e * v[j];
            }
            sum += w * jitteredLength * (endSquare - startSquare) * endVelocity;
        }
        return sum / weight;
    }

    /// <summary>
    /// The diagonal inverse metric from the positions of C chains: the cross-chain variance of every coordinate,
    /// regularised as Stan regularises a window's variance, C/(C + 5)·σ² + 10⁻³·5/(C + 5). Null when a variance is not
    /// finite.
    /// </summary>
    public static double[]? CrossChainVariance(IReadOnlyList<double[]> positions)
    {
        int chains = positions.Count, d = positions[0].Length;
        var mean = new double[d];
        var m2 = new double[d];
        for (int i = 0; i < chains; i++)
        {
            var q = positions[i];
            for (int j = 0; j < d; j++)
            {
                // Welford: stable for positions far from the origin.
                double delta = q[j] - mean[j];
                mean[j] += delta / (i + 1);
                m2[j] += delta * (q[j] - mean[j]);
            }
        }
        var result = new double[d];
        for (int j = 0; j < d; j++)
        {
            double variance = m2[j] / (chains - 1);
            double regularised = chains / (chains + 5.0) * variance + 1e-3 * (5.0 / (chains + 5.0));
            if (!double.IsFinite(regularised) || !(regularised > 0)) return null;
            result[j] = regularised;
        }
        return result;
    }

    /// <summary>
    /// The dense inverse metric from the positions of C chains: their cross-chain covariance, regularised as Stan
    /// regularises a window's covariance, C/(C + 5)·Σ + 10⁻³·5/(C + 5)·I. Null when it is not finite or not positive
    /// definite (then the sampler keeps its current metric).
    /// </summary>
    public static DenseMetric? CrossChainCovariance(IReadOnlyList<double[]> positions)
    {
        var estimator = new WelfordCovarianceEstimator(positions[0].Length);
        foreach (var q in positions) estimator.Add(q);
        var covariance = estimator.RegularisedCovariance();
        int d = covariance.GetLength(0);
        var flat = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                if (!double.IsFinite(covariance[i, j])) return null;
                flat[i * d + j] = covariance[i, j];
            }
        return CholeskyFactor.Lower(flat, d) is null ? null : new DenseMetric(covariance);
    }

    /// <summary>The van der Corput sequence in base 2 (the first Halton dimension): 1/2, 1/4, 3/4, 1/8, … for index 1, 2, 3, …;
    /// evenly spread in (0, 1), so jittered trajectory lengths cover their range with less noise than uniform draws.</summary>
    public static double Halton(long index)
    {
        if (index < 1) throw new ArgumentOutOfRangeException(nameof(index), "Halton indices start at 1.");
        double result = 0, f = 0.5;
        for (long i = index; i > 0; i >>= 1, f *= 0.5)
            if ((i & 1) != 0) result += f;
        return result;
    }
}
