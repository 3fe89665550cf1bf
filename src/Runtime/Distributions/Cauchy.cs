using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The Cauchy distribution on the reals. Its mean and variance do not exist.</summary>
public sealed class Cauchy : Distribution
{
    private const double LogPi = 1.1447298858494001741;

    /// <param name="loc">Location (the median).</param>
    /// <param name="scale">Scale (half the interquartile range), positive.</param>
    public Cauchy(Tensor loc, Tensor scale)
    {
        Loc = loc;
        Scale = scale;
    }

    /// <summary>Location (the median).</summary>
    public Tensor Loc { get; }

    /// <summary>Scale.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Real;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var z = value.sub(Loc).div(Scale);
        var result = z.square().log1p().neg().sub(Scale.log()).sub(LogPi);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Inverse CDF: loc + scale·tan(π (u − ½)) (one slot).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        var u = StreamDraws.Uniform(stream);
        return Loc.add(Scale.mul(u.sub(0.5).mul(Math.PI).tan())).MoveToOuterDisposeScope();
    }
}
