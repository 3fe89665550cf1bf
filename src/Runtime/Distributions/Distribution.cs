using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// A probability distribution over tensors. Parameters are tensors that broadcast (NumPy rules) against the
/// value; a parameter that depends on a random variable carries the batch dimension first, one that does not
/// has only event dimensions. The generated code aligns ranks before constructing a distribution, so plain
/// right-aligned broadcasting is always correct here.
/// </summary>
public abstract class Distribution
{
    /// <summary>Number of trailing dimensions that form one draw (0 for scalar distributions, 1 for a multivariate normal).</summary>
    public virtual int EventRank => 0;

    /// <summary>The set the values live in; selects the bijector to the unconstrained space.</summary>
    public abstract Support Support { get; }

    /// <summary>Log density of <paramref name="value"/>, differentiable in the value and the parameters; its shape is the
    /// broadcast of the value's shape without the last <see cref="EventRank"/> dimensions and the parameters' batch shapes.
    /// Values outside the support give -inf.</summary>
    public abstract Tensor LogProb(Tensor value);

    /// <summary>A draw of shape <c>stream.Shape</c> (which includes the event dimensions), using only <paramref name="stream"/>
    /// for randomness; reparameterised (differentiable in the parameters) where <see cref="IsReparameterized"/>.</summary>
    public abstract Tensor Sample(RandomStream stream);

    /// <summary>Whether <see cref="Sample"/> is a differentiable function of the parameters.</summary>
    public virtual bool IsReparameterized => true;

    /// <summary>Name used in messages, e.g. "Normal".</summary>
    public virtual string Name => GetType().Name;
}
