using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>
/// One bijective layer of a conditional flow. <see cref="Forward"/> goes from data towards the base
/// distribution (the direction needed for log-densities); <see cref="Inverse"/> goes back (for sampling).
/// The context passed in is the embedded context [n, e] (or an [n, 0] tensor when the flow has none).
/// </summary>
public abstract class FlowTransform : nn.Module
{
    protected FlowTransform(string name) : base(name) { }

    /// <summary>Maps x [n, d] to u [n, d] and returns log|det ∂u/∂x| per row, [n].</summary>
    public abstract (Tensor Output, Tensor LogAbsDet) Forward(Tensor x, Tensor context);

    /// <summary>Maps u [n, d] back to x [n, d].</summary>
    public abstract Tensor Inverse(Tensor u, Tensor context);
}
