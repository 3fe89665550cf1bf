using TorchSharp;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The beta distribution on the open unit interval.</summary>
public sealed class Beta : Distribution, IDistributionMoments
{
    /// <param name="alpha">First shape (concentration on 1), positive.</param>
    /// <param name="beta">Second shape (concentration on 0), positive.</param>
    public Beta(Tensor alpha, Tensor beta)
    {
        Alpha = alpha;
        BetaShape = beta;
    }

    /// <summary>First shape α.</summary>
    public Tensor Alpha { get; }

    /// <summary>Second shape β.</summary>
    public Tensor BetaShape { get; }

    /// <inheritdoc/>
    public override Support Support => Support.UnitInterval;

    /// <summary>Draws carry no gradient: they come from the gamma rejection sampler.</summary>
    public override bool IsReparameterized => false;

    /// <summary>(α − 1) log x + (β − 1) log1p(−x) − log B(α, β).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.gt(ConstantScalars.Of(0.0)).logical_and(value.lt(ConstantScalars.Of(1.0)));
        var safe = SupportMask.Substitute(value, inside, 0.5);
        var logBeta = Alpha.lgamma().add(BetaShape.lgamma(), TensorArithmetic.One).sub(Alpha.add(BetaShape, TensorArithmetic.One).lgamma());
        var result = Alpha.sub(ConstantScalars.Of(1.0)).mul(safe.log())
            .add(BetaShape.sub(ConstantScalars.Of(1.0)).mul(safe.neg().log1p()), TensorArithmetic.One)
            .sub(logBeta);
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// X/(X + Y) with X ~ Gamma(α), Y ~ Gamma(β) (four slots each, X first), formed as sigmoid(log X − log Y) so
    /// that draws whose gammas both underflow stay defined; the result is kept strictly inside (0, 1).
    /// </summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logX = MarsagliaTsangSampler.SampleLog(Alpha, stream);
        var logY = MarsagliaTsangSampler.SampleLog(BetaShape, stream);
        var draw = logX.sub(logY).sigmoid();
        var info = finfo(draw.dtype);
        using var keptScalar18 = info.tiny.ToScalar();
        using var keptScalar19 = (1.0 - info.eps / 2.0).ToScalar();
        return draw.clamp(keptScalar18, keptScalar19).MoveToOuterDisposeScope();
    }

    /// <summary>α/(α + β).</summary>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Alpha.div(Alpha.add(BetaShape, TensorArithmetic.One)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>αβ/((α + β)²(α + β + 1)).</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            var total = Alpha.add(BetaShape, TensorArithmetic.One);
            return Alpha.mul(BetaShape).div(TensorArithmetic.Square(total).mul(total.add(ConstantScalars.Of(1.0), TensorArithmetic.One))).MoveToOuterDisposeScope();
        }
    }
}
