namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Special functions in plain doubles, written for the tests independently of the tensor code they check
/// (series, continued fractions and the Lanczos approximation; each accurate to ~1e-13 or better where used).
/// </summary>
internal static class ReferenceMath
{
    public const double SqrtTwo = 1.4142135623730950488;
    public static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>erf by the everywhere-positive series 2/√π·e^{−x²}·Σ 2ⁿx^{2n+1}/(2n+1)!! (|x| &lt; 3), else 1 − erfc.</summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) >= 3) return Math.Sign(x) * (1 - Erfc(Math.Abs(x)));
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 200 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
    }

    /// <summary>erfc(x) = 1 − erf(x), accurate in the upper tail through <see cref="Erfcx"/>.</summary>
    public static double Erfc(double x)
    {
        if (x >= 3) return Math.Exp(-x * x) * Erfcx(x);
        if (x <= -3) return 2 - Erfc(-x);
        return 1 - Erf(x);
    }

    /// <summary>exp(x²)·erfc(x) for x ≥ 3 by the Laplace continued fraction 1/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))),
    /// evaluated from the tail; for x &lt; 3 from <see cref="Erf"/>.</summary>
    public static double Erfcx(double x)
    {
        if (x < 3) return Math.Exp(x * x) * (1 - Erf(x));
        double tail = x;
        for (int k = 200; k >= 1; k--) tail = x + k / 2.0 / tail;
        return 1 / (Math.Sqrt(Math.PI) * tail);
    }

    /// <summary>Φ(z).</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / SqrtTwo);

    /// <summary>log Φ(z), exact far in the lower tail.</summary>
    public static double LogNormalCdf(double z) =>
        z < -3 ? Math.Log(0.5 * Erfcx(-z / SqrtTwo)) - z * z / 2 : Math.Log(NormalCdf(z));

    /// <summary>log φ(z).</summary>
    public static double LogNormalPdf(double z) => -0.5 * z * z - LogSqrtTwoPi;

    /// <summary>log Γ(x) for x &gt; 0: the recurrence Γ(x) = Γ(x + n)/(x(x+1)…(x+n−1)) lifts x to at least 15, where
    /// Stirling's series with Bernoulli terms up to B₁₀ is accurate to ~2e-16 (the first omitted term, 691/(360360 x¹¹)).</summary>
    public static double LogGamma(double x)
    {
        double shift = 0;
        while (x < 15)
        {
            shift -= Math.Log(x);
            x += 1;
        }
        double w = 1 / (x * x);
        double series = (1.0 / 12 + w * (-1.0 / 360 + w * (1.0 / 1260 + w * (-1.0 / 1680 + w * (1.0 / 1188))))) / x;
        return shift + (x - 0.5) * Math.Log(x) - x + LogSqrtTwoPi + series;
    }

    /// <summary>The regularised lower incomplete gamma P(a, x): series below a + 1, continued fraction (Lentz) above.</summary>
    public static double GammaP(double a, double x)
    {
        if (x <= 0) return 0;
        double logPrefix = a * Math.Log(x) - x - LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (int n = 1; n < 10000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < 1e-17 * sum) break;
            }
            return Math.Exp(logPrefix) * sum;
        }
        return 1 - Math.Exp(logPrefix) * GammaContinuedFraction(a, x);
    }

    private static double GammaContinuedFraction(double a, double x)
    {
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 10000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    /// <summary>The regularised incomplete beta I_x(a, b) by its continued fraction, on the side where it converges fast.</summary>
    public static double BetaI(double a, double b, double x)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double logPrefix = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x < (a + 1) / (a + b + 2)) return Math.Exp(logPrefix) * BetaContinuedFraction(a, b, x) / a;
        return 1 - Math.Exp(logPrefix) * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m < 10000; m++)
        {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + even / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + odd / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    /// <summary>The CDF of Student's t with ν degrees of freedom (standard location and scale).</summary>
    public static double StudentTCdf(double nu, double t)
    {
        double tail = 0.5 * BetaI(nu / 2, 0.5, nu / (nu + t * t));
        return t < 0 ? tail : 1 - tail;
    }

    /// <summary>The p-quantile of a continuous CDF by bisection on [lo, hi].</summary>
    public static double Quantile(Func<double, double> cdf, double p, double lo, double hi)
    {
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
