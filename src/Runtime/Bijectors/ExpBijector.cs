using static TorchSharp.torch;

namespace Ppl.Runtime.Bijectors;

/// <summary>x = exp(u), for values on (0, ∞).</summary>
public sealed class ExpBijector : IBijector
{
    /// <summary>The one instance (the bijector has no state).</summary>
    public static ExpBijector Instance { get; } = new();

    /// <summary>exp(u), kept at or above the smallest positive normal number (exp underflows to 0 below u ≈ −87 in
    /// float32).</summary>
    public Tensor Forward(Tensor unconstrained)
    {
        using var scope = NewDisposeScope();
        return BoundClamp.Positive(unconstrained.exp()).MoveToOuterDisposeScope();
    }

    /// <summary>log x, with x first raised to the smallest positive normal number so that 0 maps to a finite u.</summary>
    public Tensor Inverse(Tensor constrained)
    {
        using var scope = NewDisposeScope();
        return BoundClamp.Positive(constrained).log().MoveToOuterDisposeScope();
    }

    /// <summary>log |dx/du| = u.</summary>
    public Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained) => unconstrained.alias();
}
