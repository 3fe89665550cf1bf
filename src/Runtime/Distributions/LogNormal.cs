using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The log-normal distribution: exp(X) with X ~ N(loc, scale²); support x &gt; 0.</summary>
public sealed class LogNormal : Distribution, IDistributionMoments
{
    /// <param name="loc">Mean of the logarithm.</param>
    /// <param name="scale">Standard deviation of the logarithm, positive.</param>
    public LogNormal(Tensor loc, Tensor scale)
    {
        Loc = loc;
        Scale = scale;
    }

    /// <summary>Mean of the logarithm.</summary>
    public Tensor Loc { get; }

    /// <summary>Standard deviation of the logarithm.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Positive;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.gt(ConstantScalars.Of(0.0));
        var logX = SupportMask.Substitute(value, inside, 1.0).log();
        var z = logX.sub(Loc).div(Scale);
        var result = StandardNormalMath.LogPdf(z).sub(Scale.log()).sub(logX);
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>exp(loc + scale·ε) with ε from Box–Muller (two slots).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        var epsilon = stream.StandardNormal();
        return Loc.add(Scale.mul(epsilon), TensorArithmetic.One).exp().MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Loc.add(TensorArithmetic.Square(Scale).mul(ConstantScalars.Of(0.5)), TensorArithmetic.One).exp().MoveToOuterDisposeScope();
        }
    }

    /// <summary>(exp(scale²) − 1)·exp(2 loc + scale²), with expm1 for small scales.</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            var s2 = TensorArithmetic.Square(Scale);
            return s2.expm1().mul(Loc.mul(ConstantScalars.Of(2.0)).add(s2, TensorArithmetic.One).exp()).MoveToOuterDisposeScope();
        }
    }
}
