using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Bijectors;

/// <summary>x = hi − exp(u), for values on (−∞, hi). The bound broadcasts against the values (it may be batched).</summary>
public sealed class UpperBoundBijector : IBijector
{
    /// <param name="upper">The bound hi.</param>
    public UpperBoundBijector(Tensor upper) => Upper = upper;

    /// <summary>The bound hi.</summary>
    public Tensor Upper { get; }

    /// <summary>hi − exp(u), strictly below hi.</summary>
    public Tensor Forward(Tensor unconstrained)
    {
        using var scope = NewDisposeScope();
        return BoundClamp.Below(Upper.sub(unconstrained.exp()), Upper).MoveToOuterDisposeScope();
    }

    /// <summary>log(hi − x), with x first lowered strictly below hi so that the bound itself maps to a finite u.</summary>
    public Tensor Inverse(Tensor constrained)
    {
        using var scope = NewDisposeScope();
        return Upper.sub(BoundClamp.Below(constrained, Upper)).log().MoveToOuterDisposeScope();
    }

    /// <summary>log |dx/du| = u (broadcast against the bound).</summary>
    public Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained)
    {
        using var scope = NewDisposeScope();
        return unconstrained.add(zeros_like(Upper), TensorArithmetic.One).MoveToOuterDisposeScope();
    }
}
