using static TorchSharp.torch;

namespace Ppl.Runtime.Bijectors;

/// <summary>
/// A differentiable bijection from the unconstrained reals onto a support. All operations are elementwise
/// over the value's shape (every bijector here acts independently per element).
/// </summary>
public interface IBijector
{
    /// <summary>Unconstrained → constrained.</summary>
    Tensor Forward(Tensor unconstrained);

    /// <summary>Constrained → unconstrained.</summary>
    Tensor Inverse(Tensor constrained);

    /// <summary>log |d Forward / d u| elementwise, given both ends (either may be used, whichever is stabler).</summary>
    Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained);
}
