using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Bijectors;

/// <summary>x = sigmoid(u), for values on (0, 1); the interval bijector with fixed bounds, without bound tensors.</summary>
public sealed class UnitIntervalBijector : IBijector
{
    /// <summary>The one instance (the bijector has no state).</summary>
    public static UnitIntervalBijector Instance { get; } = new();

    /// <summary>sigmoid(u), kept strictly inside (0, 1): at or above the smallest normal number and at most 1 − ε/2.</summary>
    public Tensor Forward(Tensor unconstrained)
    {
        using var scope = NewDisposeScope();
        var info = finfo(unconstrained.dtype);
        using var keptScalar1 = info.tiny.ToScalar();
        using var keptScalar2 = (1.0 - info.eps / 2.0).ToScalar();
        return unconstrained.sigmoid().clamp(keptScalar1, keptScalar2).MoveToOuterDisposeScope();
    }

    /// <summary>log x − log1p(−x), with x first clamped into the open interval.</summary>
    public Tensor Inverse(Tensor constrained)
    {
        using var scope = NewDisposeScope();
        var info = finfo(constrained.dtype);
        using var keptScalar3 = info.tiny.ToScalar();
        using var keptScalar4 = (1.0 - info.eps / 2.0).ToScalar();
        var x = constrained.clamp(keptScalar3, keptScalar4);
        return x.log().sub(x.neg().log1p()).MoveToOuterDisposeScope();
    }

    /// <summary>logsigmoid(u) + logsigmoid(−u).</summary>
    public Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained)
    {
        using var scope = NewDisposeScope();
        return nn.functional.logsigmoid(unconstrained).add(nn.functional.logsigmoid(unconstrained.neg()), TensorArithmetic.One).MoveToOuterDisposeScope();
    }
}
