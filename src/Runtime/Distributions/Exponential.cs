using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The exponential distribution with the given rate; support x ≥ 0.</summary>
public sealed class Exponential : Distribution, IDistributionMoments
{
    /// <param name="rate">Rate (inverse mean), positive.</param>
    public Exponential(Tensor rate) => Rate = rate;

    /// <summary>Rate (inverse mean).</summary>
    public Tensor Rate { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Positive;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.ge(ConstantScalars.Of(0.0));
        var safe = SupportMask.Substitute(value, inside, 0.0);
        var result = Rate.log().sub(Rate.mul(safe));
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>Inverse CDF: −log(u)/rate (one slot; u and 1 − u have the same law).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        var u = StreamDraws.Uniform(stream);
        return u.log().neg().div(Rate).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Rate.reciprocal().MoveToOuterDisposeScope();
        }
    }

    /// <inheritdoc/>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return TensorArithmetic.Square(Rate).reciprocal().MoveToOuterDisposeScope();
        }
    }
}
