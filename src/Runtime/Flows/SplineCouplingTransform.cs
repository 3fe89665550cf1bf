using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>Coupling layer whose elementwise bijection is a <see cref="RationalQuadraticSpline"/> (neural spline flow).</summary>
public sealed class SplineCouplingTransform : CouplingTransform
{
    private readonly int _bins;
    private readonly double _bound;

    public SplineCouplingTransform(FlowArchitecture architecture, long contextFeatures, SeededInitializer initializer)
        : base(nameof(SplineCouplingTransform), architecture, contextFeatures,
            RationalQuadraticSpline.ParameterCount(architecture.Bins), initializer)
    {
        _bins = architecture.Bins;
        _bound = architecture.TailBound;
        RegisterComponents();
    }

    protected override (Tensor Output, Tensor LogDerivative) ForwardElementwise(Tensor x, Tensor parameters) =>
        RationalQuadraticSpline.Forward(x, parameters, _bins, _bound);

    protected override Tensor InverseElementwise(Tensor y, Tensor parameters) =>
        RationalQuadraticSpline.Inverse(y, parameters, _bins, _bound);
}
