namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// A counter-based random number generator: every number is a pure function of a 64-bit key and an index, so a
/// chain's randomness depends only on (seed, chain id, purpose, iteration) — never on how many chains run beside it
/// or on the order in which they are advanced. Keys are derived with SplitMix64's finaliser, which is a bijective
/// avalanche mix of 64 bits; uniforms use its top 53 bits.
/// </summary>
public readonly record struct CounterRandom(ulong Key)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The stream of one chain of a run.</summary>
    public static CounterRandom ForChain(ulong seed, int chainId) => new(Mix64(Mix64(seed ^ 0x5DEECE66DUL) + (ulong)(uint)chainId * Golden + 1));

    /// <summary>An independent sub-stream, identified by a tag (a purpose, an iteration number, ...).</summary>
    public CounterRandom Substream(ulong tag) => new(Mix64(Key ^ Mix64(tag * Golden + 0x632BE59BD9B4E019UL)));

    /// <summary>A uniform in the open interval (0, 1).</summary>
    public double Uniform(ulong index) => ((Mix64(Key + (index + 1) * Golden) >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>Standard normals at indices 0..n-1 of this stream (Box–Muller on consecutive pairs of uniforms).</summary>
    public double[] StandardNormals(int n)
    {
        var result = new double[n];
        for (int i = 0; i < n; i += 2)
        {
            double r = Math.Sqrt(-2.0 * Math.Log(Uniform((ulong)i)));
            double angle = 2.0 * Math.PI * Uniform((ulong)i + 1);
            result[i] = r * Math.Cos(angle);
            if (i + 1 < n) result[i + 1] = r * Math.Sin(angle);
        }
        return result;
    }

    /// <summary>SplitMix64's output function (Stafford's mix 13).</summary>
    public static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
