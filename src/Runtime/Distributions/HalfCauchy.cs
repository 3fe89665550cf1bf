using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>|X| with X ~ Cauchy(0, scale); support x ≥ 0. Its mean and variance are infinite.</summary>
public sealed class HalfCauchy : Distribution
{
    private const double LogTwoOverPi = -0.45158270528945486473; // log(2/π)

    /// <param name="scale">Scale, positive.</param>
    public HalfCauchy(Tensor scale) => Scale = scale;

    /// <summary>Scale (also the median).</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Positive;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.ge(0.0);
        var safe = SupportMask.Substitute(value, inside, 0.0);
        var result = safe.div(Scale).square().log1p().neg().sub(Scale.log()).add(LogTwoOverPi);
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>Inverse CDF: scale·tan(π u / 2) (one slot).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        var u = StreamDraws.Uniform(stream);
        return Scale.mul(u.mul(Math.PI / 2.0).tan()).MoveToOuterDisposeScope();
    }
}
