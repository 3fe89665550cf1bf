using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// Elementwise z-scoring z = (v − mean)/std with statistics fitted from training data and stored with the flow
/// (as buffers, so they are saved and moved with the weights). Starts as the identity.
/// </summary>
public sealed class Standardizer : nn.Module
{
    private readonly Tensor mean;
    private readonly Tensor std;

    /// <param name="eventShape">Shape of one value (without the batch dimension).</param>
    public Standardizer(long[] eventShape) : base(nameof(Standardizer))
    {
        var shape = new long[] { 1 }.Concat(eventShape).ToArray();
        mean = zeros(shape);
        std = ones(shape);
        RegisterComponents();
    }

    /// <summary>The fitted mean, [1, ...event].</summary>
    public Tensor Mean => mean;

    /// <summary>The fitted standard deviation, [1, ...event].</summary>
    public Tensor Std => std;

    /// <summary>Fits mean and standard deviation over the first dimension of <paramref name="data"/> [n, ...event].
    /// Features with (near) zero spread keep a unit scale so they pass through unchanged apart from centring.</summary>
    public void Fit(Tensor data)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var d = data.to(mean.dtype, mean.device);
        var m = d.mean([0], keepdim: true);
        var s = d.shape[0] > 1 ? d.std(0, keepdim: true) : ones_like(m);
        s = where(s.gt(ConstantScalars.Of(1e-12)), s, ones_like(s));
        mean.copy_(m);
        std.copy_(s);
    }

    /// <summary>Sets the statistics directly (both of shape [1, ...event]).</summary>
    public void Set(Tensor newMean, Tensor newStd)
    {
        using var noGrad = no_grad();
        mean.copy_(newMean);
        std.copy_(newStd);
    }

    public Tensor Forward(Tensor value) => (value - mean) / std;

    public Tensor Inverse(Tensor standardized) => TensorArithmetic.Add(standardized * std, mean);

    /// <summary>log|det ∂Forward/∂v| = −Σ log std (the same for every row).</summary>
    public Tensor LogAbsDet() => -std.log().sum();
}
