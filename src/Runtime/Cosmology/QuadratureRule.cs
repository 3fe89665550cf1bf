namespace Ppl.Runtime.Cosmology;

/// <summary>
/// A fixed quadrature rule on an interval: nodes and weights such that ∫ f ≈ Σ wᵢ f(xᵢ). The rules are the ones
/// jax-cosmo integrates with, written as weight vectors so that an integral over a tensor of samples is one
/// weighted sum (or matrix product) and stays differentiable.
/// </summary>
public sealed class QuadratureRule
{
    private QuadratureRule(double[] nodes, double[] weights)
    {
        Nodes = nodes;
        Weights = weights;
    }

    /// <summary>The abscissae, increasing.</summary>
    public double[] Nodes { get; }

    /// <summary>The weights, one per node.</summary>
    public double[] Weights { get; }

    /// <summary>Composite Simpson rule with <paramref name="intervals"/> (even) sub-intervals of [a, b].</summary>
    public static QuadratureRule Simpson(double a, double b, int intervals)
    {
        if (intervals <= 0 || intervals % 2 != 0) throw new ArgumentException("Simpson's rule needs an even, positive number of intervals.", nameof(intervals));
        var nodes = Linspace(a, b, intervals + 1);
        double dx = (b - a) / intervals;
        var w = new double[intervals + 1];
        for (int i = 0; i <= intervals; i++)
            w[i] = dx / 3.0 * (i == 0 || i == intervals ? 1.0 : i % 2 == 1 ? 4.0 : 2.0);
        return new QuadratureRule(nodes, w);
    }

    /// <summary>
    /// Romberg integration of order <paramref name="divmax"/> on 2^divmax + 1 equally spaced nodes: trapezoid estimates
    /// with 1, 2, 4, … intervals followed by Richardson extrapolation R(i, j+1) = (4^(j+1) R(i, j) − R(i−1, j)) / (4^(j+1) − 1),
    /// returning R(divmax, divmax). Every estimate is linear in the samples, so the result is a fixed weight vector.
    /// </summary>
    public static QuadratureRule Romberg(double a, double b, int divmax)
    {
        if (divmax < 1 || divmax > 20) throw new ArgumentOutOfRangeException(nameof(divmax));
        int n = 1 << divmax;
        var nodes = Linspace(a, b, n + 1);
        double range = b - a;
        // ordinateSum is the running trapezoid sum (without the width), as a weight vector over the fine nodes.
        var ordinateSum = new double[n + 1];
        ordinateSum[0] = 0.5;
        ordinateSum[n] = 0.5;
        var previous = new List<double[]> { Scale(ordinateSum, range) };
        for (int i = 1; i <= divmax; i++)
        {
            int count = 1 << (i - 1);
            int stride = n / count;
            for (int k = 0; k < count; k++) ordinateSum[k * stride + stride / 2] += 1.0;
            var row = new List<double[]> { Scale(ordinateSum, range / (1 << i)) };
            for (int j = 0; j < i; j++)
            {
                double f = Math.Pow(4.0, j + 1);
                var r = new double[n + 1];
                for (int m = 0; m <= n; m++) r[m] = (f * row[j][m] - previous[j][m]) / (f - 1.0);
                row.Add(r);
            }
            previous = row;
        }
        return new QuadratureRule(nodes, previous[divmax]);
    }

    /// <summary>Σ wᵢ f(xᵢ) for a scalar function.</summary>
    public double Integrate(Func<double, double> f)
    {
        double s = 0.0;
        for (int i = 0; i < Nodes.Length; i++) s += Weights[i] * f(Nodes[i]);
        return s;
    }

    /// <summary>n evenly spaced values from a to b inclusive, as numpy.linspace computes them.</summary>
    internal static double[] Linspace(double a, double b, int n)
    {
        var x = new double[n];
        double step = (b - a) / (n - 1);
        for (int i = 0; i < n; i++) x[i] = a + i * step;
        x[n - 1] = b;
        return x;
    }

    private static double[] Scale(double[] v, double s) => v.Select(x => x * s).ToArray();
}
