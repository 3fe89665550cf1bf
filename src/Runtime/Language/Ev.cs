using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>A value as generated code passes it to the library: the tensor and whether its first dimension is the batch.</summary>
public readonly record struct Ev(Tensor Value, bool Batched)
{
    /// <summary>The number of the user's (event) dimensions.</summary>
    public int EventRank => (int)Value.dim() - (Batched ? 1 : 0);

    /// <summary>The tensor dimension of event axis <paramref name="axis"/> (non-negative, or negative from the end).</summary>
    public long Dim(long axis) => axis < 0 ? axis : axis + (Batched ? 1 : 0);

    public long[] Dims(long[] axes) => axes.Select(Dim).ToArray();
}

/// <summary>The result of `eigh`: eigenvalues (ascending) and eigenvectors (as columns).</summary>
public sealed record EighResult(Tensor Values, Tensor Vectors);
