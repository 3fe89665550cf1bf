using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Bijectors;

/// <summary>x = lo + exp(u), for values on (lo, ∞). The bound broadcasts against the values (it may be batched).</summary>
public sealed class LowerBoundBijector : IBijector
{
    /// <param name="lower">The bound lo.</param>
    public LowerBoundBijector(Tensor lower) => Lower = lower;

    /// <summary>The bound lo.</summary>
    public Tensor Lower { get; }

    /// <summary>lo + exp(u), strictly above lo.</summary>
    public Tensor Forward(Tensor unconstrained)
    {
        using var scope = NewDisposeScope();
        return BoundClamp.Above(Lower.add(unconstrained.exp(), TensorArithmetic.One), Lower).MoveToOuterDisposeScope();
    }

    /// <summary>log(x − lo), with x first raised strictly above lo so that the bound itself maps to a finite u.</summary>
    public Tensor Inverse(Tensor constrained)
    {
        using var scope = NewDisposeScope();
        return BoundClamp.Above(constrained, Lower).sub(Lower).log().MoveToOuterDisposeScope();
    }

    /// <summary>log |dx/du| = u (broadcast against the bound).</summary>
    public Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained)
    {
        using var scope = NewDisposeScope();
        return unconstrained.add(zeros_like(Lower), TensorArithmetic.One).MoveToOuterDisposeScope();
    }
}
