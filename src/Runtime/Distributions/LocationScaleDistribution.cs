using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// A distribution on the reals of the form loc + scale·Z with Z standard: log p(x) = log f((x − loc)/scale) − log scale,
/// and a draw is loc + scale·z with z drawn by the standard member of the family.
/// </summary>
public abstract class LocationScaleDistribution : Distribution
{
    /// <param name="loc">Location; batched [B, ...] or unbatched [...].</param>
    /// <param name="scale">Scale, positive.</param>
    protected LocationScaleDistribution(Tensor loc, Tensor scale)
    {
        Loc = loc;
        Scale = scale;
    }

    /// <summary>Location.</summary>
    public Tensor Loc { get; }

    /// <summary>Scale.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Real;

    /// <summary>log f(z) of the standard member.</summary>
    protected abstract Tensor StandardLogPdf(Tensor z);

    /// <summary>A draw z of the standard member, of shape <c>stream.Shape</c>.</summary>
    protected abstract Tensor StandardSample(RandomStream stream);

    /// <inheritdoc/>
    public sealed override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        return StandardLogPdf(value.sub(Loc).div(Scale)).sub(Scale.log()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public sealed override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        return Loc.add(Scale.mul(StandardSample(stream)), TensorArithmetic.One).MoveToOuterDisposeScope();
    }
}
