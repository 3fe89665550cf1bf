using static TorchSharp.torch;

namespace Ppl.Runtime.Bijectors;

/// <summary>The identity, for values on the whole real line.</summary>
public sealed class IdentityBijector : IBijector
{
    /// <summary>The one instance (the bijector has no state).</summary>
    public static IdentityBijector Instance { get; } = new();

    /// <inheritdoc/>
    public Tensor Forward(Tensor unconstrained) => unconstrained.alias();

    /// <inheritdoc/>
    public Tensor Inverse(Tensor constrained) => constrained.alias();

    /// <inheritdoc/>
    public Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained) => zeros_like(unconstrained);
}
