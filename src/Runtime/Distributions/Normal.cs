using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The normal distribution N(loc, scale²) on the reals.</summary>
public sealed class Normal : LocationScaleDistribution, IDistributionMoments
{
    /// <param name="loc">Mean; batched [B, ...] or unbatched [...].</param>
    /// <param name="scale">Standard deviation, positive.</param>
    public Normal(Tensor loc, Tensor scale) : base(loc, scale)
    {
    }

    /// <inheritdoc/>
    protected override Tensor StandardLogPdf(Tensor z) => StandardNormalMath.LogPdf(z);

    /// <summary>ε from Box–Muller (two slots).</summary>
    protected override Tensor StandardSample(RandomStream stream) => stream.StandardNormal();

    /// <inheritdoc/>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Loc.add(zeros_like(Scale), TensorArithmetic.One).MoveToOuterDisposeScope();
        }
    }

    /// <inheritdoc/>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return TensorArithmetic.Square(Scale).add(zeros_like(Loc), TensorArithmetic.One).MoveToOuterDisposeScope();
        }
    }
}
