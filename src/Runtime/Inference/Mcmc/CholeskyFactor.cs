namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>The Cholesky factorisation of small dense matrices held as row-major arrays, for the dense metric.</summary>
public static class CholeskyFactor
{
    /// <summary>L with A = L Lᵀ (row-major, upper part zero), or null when A is not positive definite.</summary>
    public static double[]? Lower(double[] a, int d)
    {
        var l = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            double diag = a[j * d + j];
            for (int k = 0; k < j; k++) diag -= l[j * d + k] * l[j * d + k];
            if (!(diag > 0) || !double.IsFinite(diag)) return null;
            double ljj = Math.Sqrt(diag);
            l[j * d + j] = ljj;
            for (int i = j + 1; i < d; i++)
            {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
                l[i * d + j] = s / ljj;
            }
        }
        return l;
    }

    /// <summary>x with Lᵀ x = b (back substitution).</summary>
    public static double[] SolveUpperTransposed(double[] l, int d, double[] b)
    {
        var x = new double[d];
        for (int i = d - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
            x[i] = s / l[i * d + i];
        }
        return x;
    }
}
