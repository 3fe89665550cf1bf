namespace Ppl.Runtime.Plotting;

/// <summary>The draws of several Markov chains for trace and rank plots.</summary>
/// <param name="Names">The parameter names (columns).</param>
/// <param name="Values">The draws, [chain][draw][parameter]; chains may differ in length.</param>
public sealed record ChainDraws(IReadOnlyList<string> Names, double[][][] Values)
{
    /// <summary>Number of chains.</summary>
    public int Chains => Values.Length;

    /// <summary>The draws of parameter <paramref name="parameter"/> in chain <paramref name="chain"/>.</summary>
    public double[] Column(int chain, int parameter) => Values[chain].Select(row => row[parameter]).ToArray();
}
