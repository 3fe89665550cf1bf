using static TorchSharp.torch;

namespace Ppl.Runtime.Inference;

/// <summary>
/// A log density over an unconstrained space, evaluated for a batch of points at once. This is the only thing
/// the samplers see of a model: a compiled model is connected through an adapter that applies its bijectors,
/// adds the log-Jacobian and converts dtype and device.
/// </summary>
/// <remarks>
/// Rows are independent requests: row i of the result must depend only on row i of the input, whatever the
/// batch holds (this is what makes a batched run of several chains identical to running each chain alone).
/// The number of rows varies from call to call (only chains that still need a gradient send a row).
/// Non-finite values (NaN, ±∞) in the log density or the gradient are allowed; the samplers treat them as
/// a divergence, never as an error. The caller owns (and disposes) the returned tensors.
/// </remarks>
public interface ILogDensityFunction
{
    /// <summary>The number of unconstrained coordinates D.</summary>
    int Dimension { get; }

    /// <summary>Evaluates the log density and its gradient.</summary>
    /// <param name="positions">Points in the unconstrained space, [C, D], float64 on the CPU.</param>
    /// <returns>The log density [C] and its gradient [C, D], of any floating dtype and device.</returns>
    (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions);
}
