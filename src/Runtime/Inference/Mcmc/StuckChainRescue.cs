namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// For the many-chain samplers' warm-up: a chain started where the shared step size is far too large (a prior draw or an
/// optimisation end point in a remote, steep region) is rejected or diverges every iteration and never reaches the
/// posterior. Warm-up draws are discarded, so such a chain may be restarted anywhere: after
/// <see cref="StuckIterations"/> iterations in a row without moving it takes the current point of a chain drawn (from its
/// own counter-based stream) among those that moved in the last iteration.
/// </summary>
public sealed class StuckChainRescue(ulong seed, int[] chainIds, ulong tag)
{
    /// <summary>A chain that has not moved for this many iterations in a row is moved.</summary>
    public const int StuckIterations = 10;

    private readonly int[] _unmoved = new int[chainIds.Length];

    /// <summary>How many moves were made.</summary>
    public int Rescued { get; private set; }

    /// <summary>Records which chains moved in iteration <paramref name="iteration"/> and moves the stuck ones (in place).</summary>
    public void Apply<TPoint>(TPoint[] points, IReadOnlyList<bool> moved, int iteration)
    {
        var moving = new List<int>();
        for (int i = 0; i < points.Length; i++)
        {
            if (moved[i]) { _unmoved[i] = 0; moving.Add(i); }
            else _unmoved[i]++;
        }
        if (moving.Count == 0) return;
        for (int i = 0; i < points.Length; i++)
        {
            if (_unmoved[i] < StuckIterations) continue;
            var random = CounterRandom.ForChain(seed, chainIds[i]).Substream(tag).Substream((ulong)iteration);
            int donor = moving[Math.Min(moving.Count - 1, (int)(random.Uniform(0) * moving.Count))];
            points[i] = points[donor];
            _unmoved[i] = 0;
            Rescued++;
        }
    }
}
