using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// RealNVP affine coupling: u = x·exp(s) + t on the transformed half. The log-scale is soft-clamped,
/// s = 3·tanh(raw/3), so one layer cannot blow up early in training.
/// </summary>
public sealed class AffineCouplingTransform : CouplingTransform
{
    private const double ScaleBound = 3.0;

    public AffineCouplingTransform(FlowArchitecture architecture, long contextFeatures, SeededInitializer initializer)
        : base(nameof(AffineCouplingTransform), architecture, contextFeatures, 2, initializer)
    {
        RegisterComponents();
    }

    protected override (Tensor Output, Tensor LogDerivative) ForwardElementwise(Tensor x, Tensor parameters)
    {
        var (shift, logScale) = ShiftAndLogScale(parameters);
        return (TensorArithmetic.Add(x * logScale.exp(), shift), logScale);
    }

    protected override Tensor InverseElementwise(Tensor y, Tensor parameters)
    {
        var (shift, logScale) = ShiftAndLogScale(parameters);
        return (y - shift) * (-logScale).exp();
    }

    private static (Tensor Shift, Tensor LogScale) ShiftAndLogScale(Tensor parameters)
    {
        var shift = parameters.select(2, 0);
        var logScale = TensorArithmetic.Mul((TensorArithmetic.Div(parameters.select(2, 1), ScaleBound)).tanh(), ScaleBound);
        return (shift, logScale);
    }
}
