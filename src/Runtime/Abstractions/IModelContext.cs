using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Abstractions;

/// <summary>
/// What a model run asks of the runtime at each random site; the implementation decides the semantics
/// (log-density evaluation, simulation, replay for the score). Site and let indices follow
/// <see cref="ModelDescription.Sites"/> and <see cref="ModelDescription.Lets"/>.
/// Every returned value has the batch dimension first: [B, ...event shape].
/// </summary>
public interface IModelContext
{
    long BatchSize { get; }

    /// <summary>The floating type of `real` values (float32 or float64).</summary>
    ScalarType RealType { get; }

    Device Device { get; }

    /// <summary>A `param` with its prior.</summary>
    Tensor Param(int site, Distribution prior);

    /// <summary>A `latent` with its distribution.</summary>
    Tensor Latent(int site, Distribution distribution);

    /// <summary>An `observe ... ~ distribution`.</summary>
    Tensor Observe(int site, Distribution likelihood);

    /// <summary>Step <paramref name="step"/> (0 at the loop's first step) of a `latent` declared in a loop body: the site's
    /// slice along its leading steps axis, [B, ...step shape].</summary>
    Tensor LatentStep(int site, long step, Distribution distribution);

    /// <summary>Step <paramref name="step"/> of an `observe ... ~` declared in a loop body.</summary>
    Tensor ObserveStep(int site, long step, Distribution likelihood);

    /// <summary>After the loop: a loop site's steps (each [B, ...step shape]) stacked into its value [B, steps, ...], which
    /// the context keeps as the site's value.</summary>
    Tensor StackSteps(int site, List<Tensor> steps);

    /// <summary>An `observe ... = value` (no density).</summary>
    Tensor ObserveExact(int site, Tensor value);

    /// <summary>A `factor e`: adds the sum of e over its event dimensions to the log density ([B, ...] when
    /// <paramref name="batched"/>, else the same for every row).</summary>
    void Factor(Tensor value, bool batched);

    /// <summary>A batched `let`, offered for recording.</summary>
    void Record(int let, Tensor value);
}
