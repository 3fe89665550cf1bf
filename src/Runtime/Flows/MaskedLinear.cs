using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>A linear layer whose weight is multiplied by a fixed 0/1 mask (the building block of MADE).</summary>
public sealed class MaskedLinear : nn.Module
{
    private readonly TorchSharp.Modules.Parameter weight;
    private readonly TorchSharp.Modules.Parameter bias;
    private readonly Tensor mask;

    /// <param name="mask">[outputs, inputs] of zeros and ones.</param>
    /// <param name="initializer">Source of the initial weights.</param>
    /// <param name="zero">Start at zero (used for the output layer).</param>
    public MaskedLinear(float[,] mask, SeededInitializer initializer, bool zero) : base(nameof(MaskedLinear))
    {
        long outputs = mask.GetLength(0), inputs = mask.GetLength(1);
        this.mask = tensor(mask);
        double bound = 1.0 / Math.Sqrt(Math.Max(inputs, 1));
        using (no_grad())
        {
            weight = new TorchSharp.Modules.Parameter(zero ? zeros(outputs, inputs) : initializer.Uniform([outputs, inputs], bound));
            bias = new TorchSharp.Modules.Parameter(zero ? zeros(outputs) : initializer.Uniform([outputs], bound));
        }
        RegisterComponents();
    }

    public Tensor Forward(Tensor input) => nn.functional.linear(input, weight * mask, bias);
}
