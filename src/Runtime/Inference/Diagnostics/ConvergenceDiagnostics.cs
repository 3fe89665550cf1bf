namespace Ppl.Runtime.Inference.Diagnostics;

/// <summary>
/// Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021), "Rank-normalization, folding,
/// and localization: an improved R̂ for assessing convergence of MCMC": rank-normalised split-R̂, bulk- and tail-ESS,
/// and Monte Carlo standard errors, computed as the posterior R package computes them. Input is one array of draws
/// per chain (equal lengths; warm-up excluded).
/// </summary>
public static class ConvergenceDiagnostics
{
    /// <summary>R̂: the larger of the rank-normalised split-R̂ of the draws and of the folded draws |x − median|.</summary>
    public static double RHat(IReadOnlyList<double[]> chains)
    {
        var bulk = RHatBasic(RankNormalise(SplitChains(chains)));
        double median = Quantile(Pool(chains), 0.5);
        var folded = chains.Select(c => c.Select(v => Math.Abs(v - median)).ToArray()).ToArray();
        var tail = RHatBasic(RankNormalise(SplitChains(folded)));
        return Math.Max(bulk, tail);
    }

    /// <summary>Bulk-ESS: the ESS of the rank-normalised split chains.</summary>
    public static double EssBulk(IReadOnlyList<double[]> chains) => EssBasic(RankNormalise(SplitChains(chains)));

    /// <summary>Tail-ESS: the smaller ESS of the 5% and 95% quantile indicators.</summary>
    public static double EssTail(IReadOnlyList<double[]> chains) => Math.Min(EssQuantile(chains, 0.05), EssQuantile(chains, 0.95));

    /// <summary>The ESS of the indicator I(x ≤ q̂_p) on split chains.</summary>
    public static double EssQuantile(IReadOnlyList<double[]> chains, double probability)
    {
        double q = Quantile(Pool(chains), probability);
        var indicator = chains.Select(c => c.Select(v => v <= q ? 1.0 : 0.0).ToArray()).ToArray();
        return EssBasic(SplitChains(indicator));
    }

    /// <summary>The ESS for the mean: split chains, no rank normalisation.</summary>
    public static double EssMean(IReadOnlyList<double[]> chains) => EssBasic(SplitChains(chains));

    /// <summary>The ESS for the standard deviation: min(ESS of x, ESS of x²).</summary>
    public static double EssSd(IReadOnlyList<double[]> chains) =>
        Math.Min(EssMean(chains), EssMean(chains.Select(c => c.Select(v => v * v).ToArray()).ToArray()));

    /// <summary>The Monte Carlo standard error of the mean: sd / √ESS_mean.</summary>
    public static double McseMean(IReadOnlyList<double[]> chains) => StandardDeviation(Pool(chains)) / Math.Sqrt(EssMean(chains));

    /// <summary>The Monte Carlo standard error of the standard deviation, assuming approximate normality and using
    /// Stirling's approximation: sd · √(e (1 − 1/ESS)^{ESS−1} − 1) with ESS = <see cref="EssSd"/>.</summary>
    public static double McseSd(IReadOnlyList<double[]> chains)
    {
        double ess = EssSd(chains);
        return StandardDeviation(Pool(chains)) * Math.Sqrt(Math.E * Math.Pow(1 - 1 / ess, ess - 1) - 1);
    }

    /// <summary>The Monte Carlo standard error of the p-quantile: half the distance between the order statistics at
    /// the 16% and 84% points of the Beta(ESS·p + 1, ESS·(1 − p) + 1) distribution of the quantile's rank.</summary>
    public static double McseQuantile(IReadOnlyList<double[]> chains, double probability)
    {
        double ess = EssQuantile(chains, probability);
        if (double.IsNaN(ess)) return double.NaN;
        var sorted = Pool(chains);
        Array.Sort(sorted);
        int s = sorted.Length;
        double a1 = SpecialFunctions.BetaQuantile(0.1586553, ess * probability + 1, ess * (1 - probability) + 1);
        double a2 = SpecialFunctions.BetaQuantile(0.8413447, ess * probability + 1, ess * (1 - probability) + 1);
        // R's round() rounds half to even, as Math.Round does by default; indices are 1-based there.
        int i1 = Math.Max((int)Math.Round(a1 * s), 1);
        int i2 = Math.Min((int)Math.Round(a2 * s), s);
        return (sorted[i2 - 1] - sorted[i1 - 1]) / 2;
    }

    /// <summary>Splits every chain into its first and second halves (the middle draw of an odd-length chain is dropped).</summary>
    public static double[][] SplitChains(IReadOnlyList<double[]> chains)
    {
        var result = new List<double[]>(2 * chains.Count);
        foreach (var c in chains)
        {
            int n = c.Length;
            if (n < 2) { result.Add((double[])c.Clone()); continue; }
            int half = n / 2;
            result.Add(c[..half]);
            result.Add(c[(n - half)..]);
        }
        return result.ToArray();
    }

    /// <summary>Rank normalisation: pooled ranks r (ties averaged) mapped to Φ⁻¹((r − 3/8)/(S + 1/4)) (Blom), in place of the values.</summary>
    public static double[][] RankNormalise(IReadOnlyList<double[]> chains)
    {
        var pooled = new List<(double Value, int Chain, int Index)>();
        for (int c = 0; c < chains.Count; c++)
            for (int i = 0; i < chains[c].Length; i++) pooled.Add((chains[c][i], c, i));
        int s = pooled.Count;
        var result = chains.Select(c => new double[c.Length]).ToArray();
        if (pooled.Any(p => double.IsNaN(p.Value)))
        {
            foreach (var r in result) Array.Fill(r, double.NaN);
            return result;
        }
        pooled.Sort((a, b) => a.Value.CompareTo(b.Value));
        int k = 0;
        while (k < s)
        {
            int end = k;
            while (end + 1 < s && pooled[end + 1].Value == pooled[k].Value) end++;
            double rank = 0.5 * (k + end) + 1; // the average of the 1-based ranks k+1..end+1
            double z = SpecialFunctions.NormalQuantile((rank - 0.375) / (s + 0.25));
            for (int j = k; j <= end; j++) result[pooled[j].Chain][pooled[j].Index] = z;
            k = end + 1;
        }
        return result;
    }

    /// <summary>The classic potential scale reduction factor √((B/W + n − 1)/n) of equal-length chains (B = n·var of
    /// chain means, W = mean within-chain variance). NaN when a value is not finite or when all values are equal (as
    /// the posterior package and ArviZ report it: a constant column, e.g. a stuck chain, has no defined R̂).</summary>
    public static double RHatBasic(IReadOnlyList<double[]> chains)
    {
        if (HasNonFinite(chains)) return double.NaN;
        if (IsConstant(chains)) return double.NaN;
        int n = chains[0].Length;
        var means = chains.Select(c => c.Average()).ToArray();
        var variances = chains.Select(Variance).ToArray();
        double between = n * Variance(means);
        double within = variances.Average();
        return Math.Sqrt((between / within + n - 1) / n);
    }

    /// <summary>The effective sample size of equal-length chains: the multi-chain autocorrelation estimate
    /// ρ̂_t = 1 − (W − mean γ̂_t)/var⁺, Geyer's initial positive and monotone sequences, and the truncated sum
    /// τ̂ = −1 + 2 Σ_{t&lt;T} ρ̂_t + ρ̂_T, bounded below by 1/log10(S). NaN for non-finite values, fewer than 3 draws, or
    /// values that are all equal (no variance to estimate an ESS from).</summary>
    public static double EssBasic(IReadOnlyList<double[]> chains)
    {
        int m = chains.Count;
        int n = chains[0].Length;
        if (HasNonFinite(chains) || n < 3) return double.NaN;
        if (IsConstant(chains)) return double.NaN;

        var acov = chains.Select(c => Autocovariance.Compute(c)).ToArray();
        double MeanAcov(int lag) => acov.Average(a => a[lag]);
        double meanVar = MeanAcov(0) * n / (n - 1.0);
        double varPlus = meanVar * (n - 1.0) / n;
        if (m > 1) varPlus += Variance(chains.Select(c => c.Average()).ToArray());

        var rho = new double[n];
        int t = 0;
        double rhoEven = 1;
        rho[0] = rhoEven;
        double rhoOdd = 1 - (meanVar - MeanAcov(1)) / varPlus;
        rho[1] = rhoOdd;
        while (t < n - 5 && !double.IsNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0)
        {
            t += 2;
            rhoEven = 1 - (meanVar - MeanAcov(t)) / varPlus;
            rhoOdd = 1 - (meanVar - MeanAcov(t + 1)) / varPlus;
            if (rhoEven + rhoOdd >= 0)
            {
                rho[t] = rhoEven;
                rho[t + 1] = rhoOdd;
            }
        }
        int maxT = t;
        if (rhoEven > 0) rho[maxT] = rhoEven;

        t = 0;
        while (t <= maxT - 4)
        {
            t += 2;
            if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1])
            {
                rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
                rho[t + 1] = rho[t];
            }
        }
        double total = (double)m * n;
        // R's rho_hat_t[1:max_t] is the first max_t values, except that 1:0 selects the first one.
        double sum = 0;
        for (int i = 0; i < Math.Max(maxT, 1); i++) sum += rho[i];
        double tau = -1 + 2 * sum + rho[maxT];
        tau = Math.Max(tau, 1 / Math.Log10(total));
        return total / tau;
    }

    /// <summary>The sample quantile of type 7 (linear interpolation between order statistics, R's default).</summary>
    public static double Quantile(double[] values, double probability)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return SortedQuantile(sorted, probability);
    }

    /// <summary>The type-7 quantile of already sorted values.</summary>
    public static double SortedQuantile(double[] sorted, double probability)
    {
        double h = (sorted.Length - 1) * probability;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /// <summary>All chains' draws in one array.</summary>
    public static double[] Pool(IReadOnlyList<double[]> chains) => chains.SelectMany(c => c).ToArray();

    /// <summary>The sample standard deviation (denominator n − 1).</summary>
    public static double StandardDeviation(double[] x) => Math.Sqrt(Variance(x));

    /// <summary>The sample variance (denominator n − 1).</summary>
    public static double Variance(double[] x)
    {
        if (x.Length < 2) return double.NaN;
        double mean = x.Average();
        double s = 0;
        foreach (var v in x) s += (v - mean) * (v - mean);
        return s / (x.Length - 1);
    }

    private static bool HasNonFinite(IReadOnlyList<double[]> chains) => chains.Any(c => c.Any(v => !double.IsFinite(v)));

    /// <summary>Every value of every chain is the same number.</summary>
    public static bool IsConstant(IReadOnlyList<double[]> chains)
    {
        double first = chains[0][0];
        return chains.All(c => c.All(v => v == first));
    }
}
