using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>A fixed reordering of the features; volume preserving.</summary>
public sealed class PermutationTransform : FlowTransform
{
    // Plain arrays rather than tensor fields: module dtype conversion would turn index buffers into floats.
    private readonly long[] _order;
    private readonly long[] _inverseOrder;

    public PermutationTransform(long[] order) : base(nameof(PermutationTransform))
    {
        _order = order;
        _inverseOrder = new long[order.Length];
        for (int i = 0; i < order.Length; i++) _inverseOrder[order[i]] = i;
        RegisterComponents();
    }

    /// <summary>The order in which output feature i takes input feature order[i].</summary>
    public IReadOnlyList<long> Order => _order;

    public static PermutationTransform Reverse(int dimension) =>
        new(Enumerable.Range(0, dimension).Select(i => (long)(dimension - 1 - i)).ToArray());

    /// <summary>A random permutation drawn with a seeded Fisher–Yates shuffle.</summary>
    public static PermutationTransform Random(int dimension, int seed)
    {
        var order = Enumerable.Range(0, dimension).Select(i => (long)i).ToArray();
        var rng = new System.Random(seed);
        for (int i = dimension - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return new PermutationTransform(order);
    }

    public override (Tensor Output, Tensor LogAbsDet) Forward(Tensor x, Tensor context) =>
        (Select(x, _order), zeros(x.shape[0], dtype: x.dtype, device: x.device));

    public override Tensor Inverse(Tensor u, Tensor context) => Select(u, _inverseOrder);

    private static Tensor Select(Tensor x, long[] order)
    {
        using var index = tensor(order, device: x.device);
        return x.index_select(1, index);
    }
}
