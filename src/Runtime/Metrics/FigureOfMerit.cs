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

    /// <summary>FoM of the 2×2 covariance [[varA, cov], [cov, varB]].</summary>
    public static double FromCovariance(double varA, double cov, double varB)
    {
        double det = varA * varB - cov * cov;
        if (!(det > 0)) throw new ArgumentException("The covariance is not positive definite.");
        return 1 / Math.Sqrt(det);
    }
}
