using static TorchSharp.torch;

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
        return unconstrained.sigmoid().clamp(info.tiny, 1.0 - info.eps / 2.0).MoveToOuterDisposeScope();
    }

    /// <summary>log x − log1p(−x), with x first clamped into the open interval.</summary>
    public Tensor Inverse(Tensor constrained)
    {
        using var scope = NewDisposeScope();
        var info = finfo(constrained.dtype);
        var x = constrained.clamp(info.tiny, 1.0 - info.eps / 2.0);
        return x.log().sub(x.neg().log1p()).MoveToOuterDisposeScope();
    }

    /// <summary>logsigmoid(u) + logsigmoid(−u).</summary>
    public Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained)
    {
        using var scope = NewDisposeScope();
        return nn.functional.logsigmoid(unconstrained).add(nn.functional.logsigmoid(unconstrained.neg())).MoveToOuterDisposeScope();
    }
}
