using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The continuous uniform distribution on [low, high].</summary>
public sealed class Uniform : Distribution, IDistributionMoments
{
    /// <param name="low">Lower end.</param>
    /// <param name="high">Upper end, above <paramref name="low"/>.</param>
    public Uniform(Tensor low, Tensor high)
    {
        Low = low;
        High = high;
    }

    /// <summary>Lower end.</summary>
    public Tensor Low { get; }

    /// <summary>Upper end.</summary>
    public Tensor High { get; }

    /// <inheritdoc/>
    public override Support Support => Support.Interval(Low, High);

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = value.ge(Low).logical_and(value.le(High));
        // The value enters (times zero) so that the result's graph reaches it: a gradient with respect to the value
        // is then a defined zero rather than absent.
        var standIn = Low.add(High, TensorArithmetic.One).mul(ConstantScalars.Of(0.5));
        var safe = SupportMask.Substitute(value, inside, standIn);
        var result = High.sub(Low).log().neg().add(safe.mul(ConstantScalars.Of(0.0)), TensorArithmetic.One);
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>low + (high − low)·u (one slot).</summary>
    public override Tensor Sample(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        var u = StreamDraws.Uniform(stream);
        return Low.add(High.sub(Low).mul(u), TensorArithmetic.One).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Mean
    {
        get
        {
            using var scope = NewDisposeScope();
            return Low.add(High, TensorArithmetic.One).mul(ConstantScalars.Of(0.5)).MoveToOuterDisposeScope();
        }
    }

    /// <inheritdoc/>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return TensorArithmetic.Square(High.sub(Low)).div(ConstantScalars.Of(12.0)).MoveToOuterDisposeScope();
        }
    }
}
