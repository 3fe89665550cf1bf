using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// The seeded source of a training run's validation split and batch orders: a sequence of permutations determined by the
/// seed alone (Fisher–Yates over a <see cref="Random"/> seeded from the 64-bit seed).
/// </summary>
public sealed class SeededShuffle
{
    private readonly Random _random;

    public SeededShuffle(ulong seed) =>
        _random = new Random(unchecked((int)RandomStream.Mix32((uint)seed ^ RandomStream.Mix32((uint)(seed >> 32)))));

    /// <summary>The next permutation of 0 … n − 1.</summary>
    public long[] Permutation(long n)
    {
        var items = new long[n];
        for (long i = 0; i < n; i++) items[i] = i;
        for (long i = n - 1; i > 0; i--)
        {
            long j = _random.Next((int)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }
}
