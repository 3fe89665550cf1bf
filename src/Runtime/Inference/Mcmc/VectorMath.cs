namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>The few vector operations the samplers' bookkeeping needs, on managed arrays (never modified in place
/// unless the name says so).</summary>
internal static class VectorMath
{
    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double[] Add(double[] a, double[] b)
    {
        var r = new double[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = a[i] + b[i];
        return r;
    }

    /// <summary>a + s·b.</summary>
    public static double[] AddScaled(double[] a, double s, double[] b)
    {
        var r = new double[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = a[i] + s * b[i];
        return r;
    }

    /// <summary>log(exp(a) + exp(b)), exact when either is −∞.</summary>
    public static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        double m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }
}
