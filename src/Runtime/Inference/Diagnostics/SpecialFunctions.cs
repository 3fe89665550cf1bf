namespace Ppl.Runtime.Inference.Diagnostics;

/// <summary>The normal and beta distribution functions the diagnostics need (the BCL has no erf, lgamma or qbeta).</summary>
public static class SpecialFunctions
{
    private const double Epsilon = 1e-16;

    /// <summary>log Γ(x) for x &gt; 0 (Lanczos approximation, g = 7, 9 terms; relative error below 1e-15).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        ReadOnlySpan<double> c = stackalloc double[]
        {
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        };
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++) sum += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>The standard normal CDF Φ(x), accurate in both tails (through erfc(z) = Q(½, z²)).</summary>
    public static double NormalCdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double z = x / Math.Sqrt(2);
        double erfcAbs = UpperRegularisedGammaHalf(z * z);
        return x < 0 ? 0.5 * erfcAbs : 1 - 0.5 * erfcAbs;
    }

    /// <summary>The standard normal quantile Φ⁻¹(p): the Abramowitz–Stegun 26.2.23 start refined by Halley steps on Φ.</summary>
    public static double NormalQuantile(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1) return double.NaN;
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        double q = Math.Min(p, 1 - p);
        double t = Math.Sqrt(-2 * Math.Log(q));
        double x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
        x = p < 0.5 ? -x : x;
        for (int i = 0; i < 4; i++)
        {
            double e = NormalCdf(x) - p;
            double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(0.5 * x * x);
            x -= u / (1 + 0.5 * x * u);
        }
        return x;
    }

    /// <summary>Q(½, y) = erfc(√y): the series for P when y &lt; 1.5, Lentz's continued fraction for Q otherwise.</summary>
    private static double UpperRegularisedGammaHalf(double y)
    {
        const double a = 0.5;
        if (y <= 0) return 1;
        double logPrefactor = -y + a * Math.Log(y) - 0.5 * Math.Log(Math.PI); // log(e^{-y} y^a / Γ(a)), Γ(½) = √π
        if (y < a + 1)
        {
            double term = 1 / a, sum = term;
            for (int n = 1; n < 500; n++)
            {
                term *= y / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * Epsilon) break;
            }
            return 1 - sum * Math.Exp(logPrefactor);
        }
        const double tiny = 1e-300;
        double b = y + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 500; i++)
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
            if (Math.Abs(delta - 1) < Epsilon) break;
        }
        return Math.Exp(logPrefactor) * h;
    }

    /// <summary>The regularised incomplete beta function I_x(a, b) (continued fraction, using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly).</summary>
    public static double RegularisedIncompleteBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x > (a + 1) / (a + b + 2)) return 1 - Math.Exp(logFront) * BetaFraction(1 - x, b, a) / b;
        return Math.Exp(logFront) * BetaFraction(x, a, b) / a;
    }

    private static double BetaFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m < 1000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    /// <summary>The beta quantile: the x with I_x(a, b) = p, by bisection (the CDF is monotone; 100 halvings reach double precision).</summary>
    public static double BetaQuantile(double p, double a, double b)
    {
        if (double.IsNaN(p) || !(a > 0) || !(b > 0)) return double.NaN;
        double lo = 0, hi = 1;
        for (int i = 0; i < 100; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (RegularisedIncompleteBeta(mid, a, b) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
