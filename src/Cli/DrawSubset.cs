using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// Seeded random subsets of draws. A classifier two-sample test is only comparable with 0.5 when both classes are
/// equally large, so `ppl c2st` and `ppl compare` cut both sets to the same size this way.
/// </summary>
public static class DrawSubset
{
    /// <summary>A seeded random subset of <paramref name="n"/> rows (the rows themselves when n is the row count).</summary>
    /// <param name="rows">The draws [m, d].</param>
    /// <param name="n">How many to keep (at most m).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="purpose">Names the stream, so that two sets cut with one seed get independent subsets.</param>
    public static Tensor Take(Tensor rows, long n, ulong seed, string purpose)
    {
        if (rows.shape[0] == n) return rows;
        var keys = new RandomStream(seed, RandomStream.SiteKey(purpose), 0, [rows.shape[0]], ScalarType.Float64, CPU).Uniform();
        var chosen = keys.argsort().narrow(0, 0, n);
        return rows.index_select(0, chosen);
    }
}
