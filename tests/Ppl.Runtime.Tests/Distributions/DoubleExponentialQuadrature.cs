namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Nodes and weights of double-exponential quadrature (Takahasi–Mori) for ∫ f over a finite interval (tanh-sinh),
/// a half line (exp-sinh) or the whole line (sinh-sinh), with step <c>h</c> in t ∈ [−T, T]. The rules converge
/// exponentially in 1/h for integrands analytic inside the interval, including integrable end-point singularities
/// such as x^{α−1} with α &lt; 1, which is why one rule serves every density in the table.
/// </summary>
internal static class DoubleExponentialQuadrature
{
    private const double HalfPi = Math.PI / 2;

    /// <summary>Nodes x and weights w such that Σ w f(x) ≈ ∫_lower^upper f; <paramref name="scale"/> and
    /// <paramref name="center"/> set the width and middle of an unbounded mapping.</summary>
    public static (double[] Nodes, double[] Weights) Rule(double lower, double upper, double center, double scale, double h)
    {
        var nodes = new List<double>();
        var weights = new List<double>();
        bool finiteLower = !double.IsInfinity(lower), finiteUpper = !double.IsInfinity(upper);
        double tMax = finiteLower && finiteUpper ? 4.0 : 4.5;
        for (double t = -tMax; t <= tMax + 1e-12; t += h)
        {
            double s = HalfPi * Math.Sinh(t);
            double ds = HalfPi * Math.Cosh(t);
            double x, w;
            if (finiteLower && finiteUpper)
            {
                double half = (upper - lower) / 2;
                // Distances to the ends are formed directly so nodes next to an end keep their precision.
                x = s < 0 ? lower + half * 2 / (1 + Math.Exp(-2 * s)) : upper - half * 2 / (1 + Math.Exp(2 * s));
                double c = Math.Cosh(s);
                w = half * ds / (c * c);
            }
            else if (finiteLower)
            {
                double e = scale * Math.Exp(s);
                x = lower + e;
                w = e * ds;
            }
            else if (finiteUpper)
            {
                double e = scale * Math.Exp(s);
                x = upper - e;
                w = e * ds;
            }
            else
            {
                x = center + scale * Math.Sinh(s);
                w = scale * Math.Cosh(s) * ds;
            }
            if (double.IsFinite(x) && double.IsFinite(w) && w > 0)
            {
                nodes.Add(x);
                weights.Add(w * h);
            }
        }
        return (nodes.ToArray(), weights.ToArray());
    }
}
