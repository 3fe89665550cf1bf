using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>Coupling layer whose elementwise bijection is a <see cref="SigmoidMixtureBijection"/>; with smooth
/// conditioner activations its log-density is smooth in the data, as score matching needs.</summary>
public sealed class SmoothCouplingTransform : CouplingTransform
{
    private readonly int _components;

    public SmoothCouplingTransform(FlowArchitecture architecture, long contextFeatures, SeededInitializer initializer)
        : base(nameof(SmoothCouplingTransform), architecture, contextFeatures,
            SigmoidMixtureBijection.ParameterCount(architecture.MixtureComponents), initializer)
    {
        _components = architecture.MixtureComponents;
        RegisterComponents();
    }

    protected override (Tensor Output, Tensor LogDerivative) ForwardElementwise(Tensor x, Tensor parameters) =>
        SigmoidMixtureBijection.Forward(x, parameters, _components);

    protected override Tensor InverseElementwise(Tensor y, Tensor parameters) =>
        SigmoidMixtureBijection.Inverse(y, parameters, _components);
}
