using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The normal distribution N(loc, scale²) on the reals.</summary>
public sealed class Normal : Distribution, IDistributionMoments
{
    /// <param name="loc">Mean; batched [B, ...] or unbatched [...].</param>
    /// <param name="scale">Standard deviation, positive.</param>
    public Normal(Tensor loc, Tensor scale)
    {
        Loc = loc;
        Scale = scale;
    }

    /// <summary>The mean.</summary>
    public Tensor Loc { get; }

    /// <summary>The standard deviation.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Real;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var z = value.sub(Loc).div(Scale);
        var result = StandardNormalMath.LogPdf(z).sub(Scale.log());
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>loc + scale·ε with ε from Box–Muller (two slots).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        var epsilon = stream.StandardNormal();
        return Loc.add(Scale.mul(epsilon)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Loc.add(zeros_like(Scale)).MoveToOuterDisposeScope();
        }
    }

    /// <inheritdoc/>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return Scale.square().add(zeros_like(Loc)).MoveToOuterDisposeScope();
        }
    }
}
