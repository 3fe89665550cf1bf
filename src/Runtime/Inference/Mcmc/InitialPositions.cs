namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>Supplies initial unconstrained positions: attempt 0, 1, ... for chain <paramref name="chainId"/> until one has a
/// finite log density and gradient.</summary>
public delegate double[] InitialPositionSource(int chainId, int attempt);

/// <summary>Model-independent initial position sources.</summary>
public static class InitialPositions
{
    /// <summary>Stan's default: every coordinate uniform in (−radius, radius), a fresh draw per attempt, reproducible
    /// from (seed, chain id, attempt).</summary>
    public static InitialPositionSource Uniform(int dimension, ulong seed, double radius = 2.0) => (chainId, attempt) =>
    {
        var random = CounterRandom.ForChain(seed, chainId).Substream(ChainProgram.InitialisationTag).Substream((ulong)attempt);
        var x = new double[dimension];
        for (int i = 0; i < dimension; i++) x[i] = radius * (2 * random.Uniform((ulong)i) - 1);
        return x;
    };

    /// <summary>The same given position for every chain and attempt.</summary>
    public static InitialPositionSource Fixed(double[] position) => (_, _) => (double[])position.Clone();
}
