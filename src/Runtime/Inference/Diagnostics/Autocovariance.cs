using System.Numerics;

namespace Ppl.Runtime.Inference.Diagnostics;

/// <summary>Autocovariances of a sequence at every lag, through a zero-padded FFT (O(n log n)).</summary>
public static class Autocovariance
{
    /// <summary>The biased estimates γ̂_t = (1/n) Σ_{i&lt;n−t} (x_i − x̄)(x_{i+t} − x̄), t = 0..n−1, which Geyer (1992)
    /// recommends for effective sample sizes.</summary>
    public static double[] Compute(IReadOnlyList<double> x)
    {
        int n = x.Count;
        if (n == 0) return Array.Empty<double>();
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i];
        mean /= n;
        // Padding to at least 2n makes the circular correlation equal the linear one for every lag below n.
        int size = 1;
        while (size < 2 * n) size <<= 1;
        var data = new Complex[size];
        for (int i = 0; i < n; i++) data[i] = new Complex(x[i] - mean, 0);
        Transform(data, inverse: false);
        for (int i = 0; i < size; i++) data[i] = new Complex(data[i].Real * data[i].Real + data[i].Imaginary * data[i].Imaginary, 0);
        Transform(data, inverse: true);
        var result = new double[n];
        for (int t = 0; t < n; t++) result[t] = data[t].Real / size / n;
        return result;
    }

    /// <summary>In-place iterative radix-2 FFT (unnormalised in both directions).</summary>
    private static void Transform(Complex[] a, bool inverse)
    {
        int n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            double angle = 2 * Math.PI / len * (inverse ? 1 : -1);
            var wLen = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (int start = 0; start < n; start += len)
            {
                var w = Complex.One;
                int half = len / 2;
                for (int k = 0; k < half; k++)
                {
                    var u = a[start + k];
                    var v = a[start + k + half] * w;
                    a[start + k] = u + v;
                    a[start + k + half] = u - v;
                    w *= wLen;
                }
            }
        }
    }
}
