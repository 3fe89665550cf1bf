using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Bijectors;

/// <summary>
/// x = lo + (hi − lo)·sigmoid(u), for values on (lo, hi). The bounds broadcast against the values (they may be
/// batched).
/// </summary>
public sealed class IntervalBijector : IBijector
{
    /// <param name="lower">The bound lo.</param>
    /// <param name="upper">The bound hi, above lo.</param>
    public IntervalBijector(Tensor lower, Tensor upper)
    {
        Lower = lower;
        Upper = upper;
    }

    /// <summary>The bound lo.</summary>
    public Tensor Lower { get; }

    /// <summary>The bound hi.</summary>
    public Tensor Upper { get; }

    /// <summary>
    /// For u ≤ 0, lo + (hi − lo)·sigmoid(u); for u &gt; 0, hi − (hi − lo)·sigmoid(−u), so each end is reached through a
    /// small sigmoid that keeps its relative precision; then kept strictly inside (lo, hi).
    /// </summary>
    public Tensor Forward(Tensor unconstrained)
    {
        using var scope = NewDisposeScope();
        var width = Upper.sub(Lower);
        var fromLower = Lower.add(width.mul(unconstrained.sigmoid()), TensorArithmetic.One);
        var fromUpper = Upper.sub(width.mul(unconstrained.neg().sigmoid()));
        var x = where(unconstrained.gt(ConstantScalars.Of(0.0)), fromUpper, fromLower);
        return BoundClamp.Below(BoundClamp.Above(x, Lower), Upper).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log(x − lo) − log(hi − x), with x first clamped into the open interval. Both differences are exact and nonzero
    /// for any x strictly inside, so no value inside maps to ±inf (unlike logit((x − lo)/(hi − lo)), whose ratio can
    /// round to 0 or 1).
    /// </summary>
    public Tensor Inverse(Tensor constrained)
    {
        using var scope = NewDisposeScope();
        var x = BoundClamp.Below(BoundClamp.Above(constrained, Lower), Upper);
        return x.sub(Lower).log().sub(Upper.sub(x).log()).MoveToOuterDisposeScope();
    }

    /// <summary>log(hi − lo) + logsigmoid(u) + logsigmoid(−u), exact for any finite u.</summary>
    public Tensor LogAbsDetJacobian(Tensor unconstrained, Tensor constrained)
    {
        using var scope = NewDisposeScope();
        var logWidth = Upper.sub(Lower).log();
        var result = logWidth.add(nn.functional.logsigmoid(unconstrained), TensorArithmetic.One).add(nn.functional.logsigmoid(unconstrained.neg()), TensorArithmetic.One);
        return result.MoveToOuterDisposeScope();
    }
}
