namespace Ppl.Runtime.Inference.Diagnostics;

/// <summary>
/// Nested R̂ (Margossian, Hoffman, Sountsov, Riou-Durand, Vehtari and Gelman 2024, "Nested R̂: assessing the convergence
/// of Markov chain Monte Carlo when running many short chains"), the diagnostic for many short chains grouped into K
/// superchains of M chains that each started from one point. With N draws per chain, chain means x̄_{mk}, superchain
/// means x̄_k (over all its draws) and their mean x̄:
/// B̂ = Σ_k (x̄_k − x̄)²/(K − 1) between superchains;
/// W̃_k = mean over m of the chains' sample variances (0 when N = 1) and B̃_k = Σ_m (x̄_{mk} − x̄_k)²/(M − 1) (0 when
/// M = 1) within superchain k; Ŵ = mean over k of (B̃_k + W̃_k); nR̂ = √(1 + B̂/Ŵ).
/// The paper suggests nR̂ below 1 + δ with δ ≈ 0.01 as the sign that the chains forgot where they started.
/// </summary>
public static class NestedRHat
{
    /// <summary>Nested R̂ of equal-length chains, superchain k being chains k·M … k·M + M − 1 (M = chains/K). NaN when
    /// K &lt; 2, the chains cannot be grouped evenly, a value is not finite or all values are equal.</summary>
    /// <param name="chains">[chain][draw] values, grouped by superchain in order.</param>
    /// <param name="superchains">K.</param>
    public static double Compute(IReadOnlyList<double[]> chains, int superchains)
    {
        int k = superchains;
        if (k < 2 || chains.Count == 0 || chains.Count % k != 0) return double.NaN;
        int m = chains.Count / k;
        int n = chains[0].Length;
        if (n == 0 || chains.Any(c => c.Length != n || c.Any(v => !double.IsFinite(v)))) return double.NaN;
        if (ConvergenceDiagnostics.IsConstant(chains)) return double.NaN;

        var chainMeans = chains.Select(c => c.Average()).ToArray();
        var superMeans = new double[k];
        double within = 0;
        for (int s = 0; s < k; s++)
        {
            var group = Enumerable.Range(s * m, m).ToArray();
            superMeans[s] = group.Average(i => chainMeans[i]); // equal lengths: the mean of all the superchain's draws
            double betweenChains = m == 1 ? 0 : group.Sum(i => (chainMeans[i] - superMeans[s]) * (chainMeans[i] - superMeans[s])) / (m - 1);
            double withinChains = n == 1 ? 0 : group.Average(i => ConvergenceDiagnostics.Variance(chains[i]));
            within += (betweenChains + withinChains) / k;
        }
        double overall = superMeans.Average();
        double between = superMeans.Sum(x => (x - overall) * (x - overall)) / (k - 1);
        return Math.Sqrt(1 + between / within);
    }
}
