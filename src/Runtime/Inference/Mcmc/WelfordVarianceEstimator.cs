namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Welford's streaming mean and variance per coordinate (numerically stable one-pass updates).</summary>
public sealed class WelfordVarianceEstimator
{
    private readonly double[] _mean;
    private readonly double[] _m2;

    /// <param name="dimension">The number of coordinates.</param>
    public WelfordVarianceEstimator(int dimension)
    {
        _mean = new double[dimension];
        _m2 = new double[dimension];
    }

    /// <summary>The number of samples added since the last restart.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one sample.</summary>
    public void Add(double[] x)
    {
        Count++;
        for (int i = 0; i < _mean.Length; i++)
        {
            double delta = x[i] - _mean[i];
            _mean[i] += delta / Count;
            _m2[i] += delta * (x[i] - _mean[i]);
        }
    }

    /// <summary>The running mean.</summary>
    public double[] Mean() => (double[])_mean.Clone();

    /// <summary>The unbiased sample variance (denominator n − 1).</summary>
    public double[] SampleVariance() => _m2.Select(m => m / (Count - 1)).ToArray();

    /// <summary>Stan's regularised estimate for the metric: n/(n+5) · var + 10⁻³ · 5/(n+5), which shrinks a small
    /// window's estimate toward a small multiple of the identity.</summary>
    public double[] RegularisedVariance()
    {
        double n = Count;
        return SampleVariance().Select(v => n / (n + 5.0) * v + 1e-3 * (5.0 / (n + 5.0))).ToArray();
    }

    /// <summary>Forgets every sample.</summary>
    public void Restart()
    {
        Count = 0;
        Array.Clear(_mean);
        Array.Clear(_m2);
    }
}
