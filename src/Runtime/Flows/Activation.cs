using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>Applies an <see cref="ActivationKind"/>; every kind used here is twice differentiable in libtorch.</summary>
public static class Activation
{
    public static Tensor Apply(ActivationKind kind, Tensor x) => kind switch
    {
        ActivationKind.Relu => nn.functional.relu(x),
        ActivationKind.Silu => nn.functional.silu(x),
        ActivationKind.Tanh => x.tanh(),
        ActivationKind.Elu => x.elu(ConstantScalars.Of(1.0), ConstantScalars.Of(1.0), ConstantScalars.Of(1.0)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether the activation has continuous derivatives (so gradients of log-densities are smooth).</summary>
    public static bool IsSmooth(ActivationKind kind) => kind is ActivationKind.Silu or ActivationKind.Tanh;
}
