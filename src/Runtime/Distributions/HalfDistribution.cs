using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// |X| with X = scale·Z, Z a standard distribution symmetric about 0; support x ≥ 0:
/// log p(x) = log 2 + log f(x/scale) − log scale, and a draw is scale·|z|.
/// </summary>
public abstract class HalfDistribution : Distribution
{
    /// <param name="scale">Scale of the underlying distribution, positive.</param>
    protected HalfDistribution(Tensor scale) => Scale = scale;

    /// <summary>Scale of the underlying distribution.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Positive;

    /// <summary>log 2 + log f(z) of the standard member, for z ≥ 0.</summary>
    protected abstract Tensor FoldedStandardLogPdf(Tensor z);

    /// <summary>A draw |z| of the folded standard member, of shape <c>stream.Shape</c>.</summary>
    protected abstract Tensor FoldedStandardSample(RandomStream stream);

    /// <inheritdoc/>
    public sealed override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.ge(ConstantScalars.Of(0.0));
        var safe = SupportMask.Substitute(value, inside, 0.0);
        var result = FoldedStandardLogPdf(safe.div(Scale)).sub(Scale.log());
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public sealed override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        return Scale.mul(FoldedStandardSample(stream)).MoveToOuterDisposeScope();
    }
}
