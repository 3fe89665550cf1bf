using TorchSharp.Modules;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// Masked autoregressive affine layer (MAF): u_i = (x_i − μ_i(x_&lt;i, c))·exp(−s_i(x_&lt;i, c)), with μ and s from
/// one MADE network (Germain et al. 2015) whose masks enforce the ordering. Density evaluation is one pass;
/// sampling takes d passes. The context enters the first hidden layer unmasked. Hidden units get degrees
/// cycling through 1..d−1; with d = 1 every hidden unit has degree 0 and sees only the context.
/// </summary>
public sealed class MaskedAutoregressiveTransform : FlowTransform
{
    private const double ScaleBound = 3.0;
    private readonly ModuleList<MaskedLinear> masked = new();
    private readonly Linear? contextLayer;
    private readonly ActivationKind _activation;
    private readonly int _dimension;

    public MaskedAutoregressiveTransform(FlowArchitecture architecture, long contextFeatures, SeededInitializer initializer)
        : base(nameof(MaskedAutoregressiveTransform))
    {
        int d = architecture.Dimension;
        _dimension = d;
        _activation = architecture.Activation;
        var inputDegrees = Enumerable.Range(1, d).ToArray();
        var hiddenDegrees = Enumerable.Range(0, architecture.HiddenUnits).Select(k => d > 1 ? k % (d - 1) + 1 : 0).ToArray();

        var previous = inputDegrees;
        for (int layer = 0; layer < architecture.HiddenLayers; layer++)
        {
            var current = hiddenDegrees;
            // Hidden unit k may see input/hidden unit j when deg(k) ≥ deg(j).
            masked.Add(new MaskedLinear(Mask(current, previous, (o, i) => o >= i), initializer, zero: false));
            if (layer == 0 && contextFeatures > 0) contextLayer = initializer.Linear(contextFeatures, architecture.HiddenUnits);
            previous = current;
        }
        // Output i (shift and log-scale, so degrees repeat twice) may see hidden units of degree < i.
        var outputDegrees = inputDegrees.Concat(inputDegrees).ToArray();
        masked.Add(new MaskedLinear(Mask(outputDegrees, previous, (o, i) => o > i), initializer, zero: true));
        RegisterComponents();
    }

    public override (Tensor Output, Tensor LogAbsDet) Forward(Tensor x, Tensor context)
    {
        var (shift, logScale) = ShiftAndLogScale(x, context);
        return ((x - shift) * (-logScale).exp(), -logScale.sum(1));
    }

    public override Tensor Inverse(Tensor u, Tensor context)
    {
        // After pass i the first i+1 features (in autoregressive order) are exact.
        var x = zeros_like(u);
        for (int i = 0; i < _dimension; i++)
        {
            var (shift, logScale) = ShiftAndLogScale(x, context);
            x = TensorArithmetic.Add(u * logScale.exp(), shift);
        }
        return x;
    }

    private (Tensor Shift, Tensor LogScale) ShiftAndLogScale(Tensor x, Tensor context)
    {
        var h = masked[0].Forward(x);
        if (contextLayer is not null) h = TensorArithmetic.Add(h, contextLayer.forward(context));
        for (int i = 1; i < masked.Count; i++)
        {
            h = masked[i].Forward(Activation.Apply(_activation, h));
        }
        var shift = h.narrow(1, 0, _dimension);
        var logScale = TensorArithmetic.Mul((TensorArithmetic.Div(h.narrow(1, _dimension, _dimension), ScaleBound)).tanh(), ScaleBound);
        return (shift, logScale);
    }

    private static float[,] Mask(int[] outputDegrees, int[] inputDegrees, Func<int, int, bool> connected)
    {
        var mask = new float[outputDegrees.Length, inputDegrees.Length];
        for (int o = 0; o < outputDegrees.Length; o++)
            for (int i = 0; i < inputDegrees.Length; i++)
                mask[o, i] = connected(outputDegrees[o], inputDegrees[i]) ? 1f : 0f;
        return mask;
    }
}
