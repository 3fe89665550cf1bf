namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Welford's streaming mean and covariance matrix (one-pass, numerically stable).</summary>
public sealed class WelfordCovarianceEstimator
{
    private readonly int _d;
    private readonly double[] _mean;
    private readonly double[] _m2; // row-major D×D

    /// <param name="dimension">The number of coordinates.</param>
    public WelfordCovarianceEstimator(int dimension)
    {
        _d = dimension;
        _mean = new double[dimension];
        _m2 = new double[dimension * dimension];
    }

    /// <summary>The number of samples added since the last restart.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one sample: M2 += (x − m_old)(x − m_new)ᵀ.</summary>
    public void Add(double[] x)
    {
        Count++;
        var delta = new double[_d];
        for (int i = 0; i < _d; i++)
        {
            delta[i] = x[i] - _mean[i];
            _mean[i] += delta[i] / Count;
        }
        for (int i = 0; i < _d; i++)
        {
            int row = i * _d;
            for (int j = 0; j < _d; j++) _m2[row + j] += delta[i] * (x[j] - _mean[j]);
        }
    }

    /// <summary>The running mean.</summary>
    public double[] Mean() => (double[])_mean.Clone();

    /// <summary>The unbiased sample covariance (denominator n − 1).</summary>
    public double[,] SampleCovariance()
    {
        var c = new double[_d, _d];
        for (int i = 0; i < _d; i++)
            for (int j = 0; j < _d; j++)
                c[i, j] = _m2[i * _d + j] / (Count - 1);
        return c;
    }

    /// <summary>Stan's regularised estimate for the metric: n/(n+5) · Σ + 10⁻³ · 5/(n+5) · I.</summary>
    public double[,] RegularisedCovariance()
    {
        double n = Count;
        var c = SampleCovariance();
        for (int i = 0; i < _d; i++)
            for (int j = 0; j < _d; j++)
                c[i, j] = n / (n + 5.0) * c[i, j] + (i == j ? 1e-3 * (5.0 / (n + 5.0)) : 0);
        return c;
    }

    /// <summary>Forgets every sample.</summary>
    public void Restart()
    {
        Count = 0;
        Array.Clear(_mean);
        Array.Clear(_m2);
    }
}
