using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>|X| with X ~ N(0, scale²); support x ≥ 0.</summary>
public sealed class HalfNormal : Distribution, IDistributionMoments
{
    private const double LogTwoOverPiHalf = -0.22579135264472743236; // ½·log(2/π)

    /// <param name="scale">Scale of the underlying normal, positive.</param>
    public HalfNormal(Tensor scale) => Scale = scale;

    /// <summary>Scale of the underlying normal.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Positive;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.ge(0.0);
        var safe = SupportMask.Substitute(value, inside, 0.0);
        var result = safe.div(Scale).square().mul(-0.5).sub(Scale.log()).add(LogTwoOverPiHalf);
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>scale·|ε| with ε from Box–Muller (two slots).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        return Scale.mul(stream.StandardNormal().abs()).MoveToOuterDisposeScope();
    }

    /// <summary>scale·√(2/π).</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Scale.mul(Math.Sqrt(2.0 / Math.PI)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>scale²·(1 − 2/π).</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return Scale.square().mul(1.0 - 2.0 / Math.PI).MoveToOuterDisposeScope();
        }
    }
}
