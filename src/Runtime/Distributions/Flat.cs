using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The improper flat prior Stan gives a parameter declared without one: log density 0 on the support (the reals, or
/// the half-line or interval its optional bounds give) and −∞ outside. It has no normalising constant and cannot be
/// drawn from, so a model using it supports explicit inference only (the compiler says so); <see cref="Sample"/> is a bug
/// if it is ever reached.
/// </summary>
public sealed class Flat : Distribution
{
    /// <param name="lower">Lower bound, or null.</param>
    /// <param name="upper">Upper bound, or null.</param>
    public Flat(Tensor? lower, Tensor? upper)
    {
        Lower = lower;
        Upper = upper;
    }

    /// <summary>Lower bound, or null.</summary>
    public Tensor? Lower { get; }

    /// <summary>Upper bound, or null.</summary>
    public Tensor? Upper { get; }

    /// <inheritdoc/>
    public override Support Support => (Lower, Upper) switch
    {
        ({ } l, { } u) => Support.Interval(l, u),
        ({ } l, null) => Support.GreaterThan(l),
        (null, { } u) => Support.LessThan(u),
        _ => Support.Real,
    };

    /// <summary>0 inside the bounds, −∞ outside (the value enters times zero so the gradient is a defined zero).</summary>
    public override Tensor LogProb(Tensor value)
    {
        using var scope = NewDisposeScope();
        var inside = ones_like(value, ScalarType.Bool);
        if (Lower is { } l) inside = inside.logical_and(value.ge(l));
        if (Upper is { } u) inside = inside.logical_and(value.le(u));
        var safe = SupportMask.Substitute(value, inside, zeros_like(value));
        var result = safe.mul(ConstantScalars.Of(0.0));
        return SupportMask.Apply(result, inside).MoveToOuterDisposeScope();
    }

    /// <summary>Never called: the compiler refuses simulation of a model with a flat prior.</summary>
    public override Tensor Sample(RandomStream stream) =>
        throw new InvalidOperationException("An improper flat prior cannot be sampled; the compiler marks such models explicit-only.");
}
