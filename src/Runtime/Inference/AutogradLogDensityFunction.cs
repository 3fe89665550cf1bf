using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Inference;

/// <summary>
/// An <see cref="ILogDensityFunction"/> whose gradient comes from autograd: the caller supplies only the batched
/// log density, [C, D] → [C]. Rows must not interact, so the gradient of the summed log density is every row's own
/// gradient in one backward pass.
/// </summary>
public sealed class AutogradLogDensityFunction : ILogDensityFunction
{
    private readonly Func<Tensor, Tensor> _logDensity;
    private readonly ScalarType _dtype;
    private readonly Device _device;

    /// <param name="dimension">The number of unconstrained coordinates.</param>
    /// <param name="logDensity">The batched log density, [C, D] → [C].</param>
    /// <param name="dtype">The floating type the density is computed in (positions are converted to it).</param>
    /// <param name="device">The device the density is computed on; null for the CPU.</param>
    public AutogradLogDensityFunction(int dimension, Func<Tensor, Tensor> logDensity, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), "A log density needs at least one coordinate.");
        Dimension = dimension;
        _logDensity = logDensity;
        _dtype = dtype;
        _device = device ?? CPU;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions)
    {
        using var scope = NewDisposeScope();
        using var gradMode = enable_grad();
        var x = positions.to(_dtype, _device).detach().requires_grad_(true);
        var logDensity = _logDensity(x);
        // The upstream gradient of a sum is 1 for every row, so one backward pass gives each row its own gradient
        // (a NaN in one row stays in that row).
        var gradient = torch.autograd.grad(new[] { logDensity.sum() }, new[] { x }, allow_unused: true)[0];
        if (gradient is null || gradient.IsInvalid) gradient = zeros_like(x);
        var result = (logDensity.detach(), gradient.detach());
        result.Item1.MoveToOuterDisposeScope();
        result.Item2.MoveToOuterDisposeScope();
        return result;
    }
}
