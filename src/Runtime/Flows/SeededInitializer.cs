using Ppl.Runtime.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppl.Runtime.Flows;

/// <summary>
/// Initialises network weights from the counter-based <see cref="RandomStream"/> instead of libtorch's global
/// generator, so a flow built from a seed has the same weights whatever else runs in the process (tests and
/// trainers run concurrently) and on every device. Each tensor gets its own site key, numbered in order of creation.
/// </summary>
public sealed class SeededInitializer
{
    private readonly ulong _seed;
    private uint _next;

    public SeededInitializer(ulong seed) => _seed = seed;

    /// <summary>Uniform values in (-bound, bound) of the given shape (float32, CPU).</summary>
    public Tensor Uniform(long[] shape, double bound)
    {
        using var scope = NewDisposeScope();
        var stream = new RandomStream(_seed, RandomStream.SiteKey("init") ^ RandomStream.Mix32(_next++), 0,
            shape.Length == 0 ? [1] : shape, ScalarType.Float32, CPU);
        using var keptScalar43 = (2 * bound).ToScalar();
        using var keptScalar44 = bound.ToScalar();
        var u = stream.Uniform().mul_(keptScalar43).sub_(keptScalar44);
        if (shape.Length == 0) u = u.reshape(shape);
        return u.MoveToOuterDisposeScope();
    }

    /// <summary>A linear layer with PyTorch's default bounds (±1/√fan_in for weights and biases), or all zeros
    /// when <paramref name="zero"/> is set (used for last conditioner layers so a fresh flow is near the identity).</summary>
    public Linear Linear(long inputs, long outputs, bool zero = false)
    {
        var layer = nn.Linear(inputs, outputs);
        double bound = inputs > 0 ? 1.0 / Math.Sqrt(inputs) : 1.0;
        Fill(layer.weight!, zero ? null : Uniform([outputs, inputs], bound));
        Fill(layer.bias!, zero ? null : Uniform([outputs], bound));
        return layer;
    }

    /// <summary>A 1-D convolution with 'same' padding and PyTorch's default bounds (±1/√(in·k)).</summary>
    public Conv1d Conv1d(long inChannels, long outChannels, long kernelSize)
    {
        var layer = nn.Conv1d(inChannels, outChannels, kernelSize, padding: kernelSize / 2);
        double bound = 1.0 / Math.Sqrt(inChannels * kernelSize);
        Fill(layer.weight!, Uniform([outChannels, inChannels, kernelSize], bound));
        Fill(layer.bias!, Uniform([outChannels], bound));
        return layer;
    }

    /// <summary>A 2-D convolution with a square kernel, PyTorch's default bounds (±1/√(in·k²)) and optionally no bias
    /// (when a normalisation follows).</summary>
    public Conv2d Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, bool bias = true)
    {
        var layer = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: kernelSize / 2, bias: bias);
        double bound = 1.0 / Math.Sqrt(inChannels * kernelSize * kernelSize);
        Fill(layer.weight!, Uniform([outChannels, inChannels, kernelSize, kernelSize], bound));
        if (bias) Fill(layer.bias!, Uniform([outChannels], bound));
        return layer;
    }

    private static void Fill(Tensor target, Tensor? values)
    {
        using var noGrad = no_grad();
        if (values is null) target.zero_();
        else
        {
            target.copy_(values);
            values.Dispose();
        }
    }
}
