using static TorchSharp.torch;

namespace Ppl.Runtime.Metrics;

/// <summary>The figure of merit of a pair of parameters, FoM = 1/√det(Cov₂ₓ₂): larger is tighter.</summary>
public static class FigureOfMerit
{
    /// <summary>FoM of columns <paramref name="i"/> and <paramref name="j"/> of posterior samples [n, D].</summary>
    public static double FromSamples(Tensor samples, int i, int j)
    {
        if (samples.dim() != 2 || samples.shape[0] < 3) throw new ArgumentException("Samples must be [n ≥ 3, D].", nameof(samples));
        using var scope = NewDisposeScope();
        var s = samples.to(ScalarType.Float64);
        var a = s.select(1, i);
        var b = s.select(1, j);
        double varA = a.var().item<double>(), varB = b.var().item<double>();
        double cov = ((a - a.mean()) * (b - b.mean())).sum().item<double>() / (samples.shape[0] - 1);
        return FromCovariance(varA, cov, varB);
    }

    /// <summary>
    /// FoM of two columns of draws (as many in each, at least three), from their sample covariance (n − 1
    /// denominator, two passes in double precision); NaN when that covariance is singular (a constant column, or one
    /// column a linear function of the other).
    /// </summary>
    public static double FromColumns(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count < 3) throw new ArgumentException("Two columns of the same length, at least three draws, are needed.");
        double meanA = a.Average(), meanB = b.Average();
        double varA = 0, varB = 0, cov = 0;
        for (int k = 0; k < a.Count; k++)
        {
            double da = a[k] - meanA, db = b[k] - meanB;
            varA += da * da;
            varB += db * db;
            cov += da * db;
        }
        int n1 = a.Count - 1;
        varA /= n1;
        varB /= n1;
        cov /= n1;
        // A determinant below rounding noise of its terms is a singular covariance, not a huge figure of merit.
        double det = varA * varB - cov * cov;
        return det > 1e-12 * varA * varB ? FromCovariance(varA, cov, varB) : double.NaN;
    }

    /// <summary>FoM of the 2×2 covariance [[varA, cov], [cov, varB]].</summary>
    public static double FromCovariance(double varA, double cov, double varB)
    {
        double det = varA * varB - cov * cov;
        if (!(det > 0)) throw new ArgumentException("The covariance is not positive definite.");
        return 1 / Math.Sqrt(det);
    }
}
