using Ppl.Runtime.Bijectors;
using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>
/// Evaluates the joint log density at points of the unconstrained space: each param and latent is read from its slice of
/// [B, D], pushed through the bijector of its distribution's support (adding log|det J|), and scored; observed sites take
/// their data. Latents may instead be fixed (for the simulator's score in unconstrained θ). In push-forward mode nothing is
/// scored and observed sites without data read as zeros: only the constrained values are wanted.
/// </summary>
internal sealed class DensityContext : ContextBase
{
    private readonly Tensor _unconstrained;
    private readonly IReadOnlyDictionary<int, Tensor>? _fixedValues;
    private readonly bool _pushForwardOnly;
    private readonly bool[]? _recordLets;

    /// <param name="recordLets">Which lets to keep in <see cref="Lets"/> (by let index); null keeps none.</param>
    public DensityContext(Model model, Tensor unconstrained, IReadOnlyDictionary<int, Tensor>? fixedValues = null, bool pushForwardOnly = false,
        bool[]? recordLets = null)
        : base(model, unconstrained.shape[0])
    {
        _unconstrained = unconstrained;
        _fixedValues = fixedValues;
        _pushForwardOnly = pushForwardOnly;
        _recordLets = recordLets;
    }

    public Dictionary<int, Tensor> Values { get; } = new();

    /// <summary>The recorded lets' values, [B, ...shape].</summary>
    public Dictionary<int, Tensor> Lets { get; } = new();

    public override void Record(int let, Tensor value)
    {
        if (_recordLets is not null && _recordLets[let]) Lets[let] = ToBatch(value, Model.Lets[let].Shape);
    }

    public override Tensor Param(int site, Distribution prior) => FromUnconstrained(site, prior);

    public override Tensor Latent(int site, Distribution distribution)
    {
        var layout = Model.Sites[site];
        if (!layout.IsEnumerated || (_fixedValues is not null && _fixedValues.ContainsKey(site))) return FromUnconstrained(site, distribution);
        // Summed out: one configuration per block of rows (the push-forward has no use for its value).
        if (_pushForwardOnly) return zeros(EventShape(layout), ScalarType.Int64, Device);
        var value = Model.Enumeration.Values(site, BatchSize);
        Score(layout, distribution, value);
        return value;
    }

    private long[] EventShape(SiteLayout layout) => [BatchSize, .. layout.Shape];

    public override Tensor Observe(int site, Distribution likelihood)
    {
        var layout = Model.Sites[site];
        if (_pushForwardOnly)
            return ToBatch(Model.TryObservedValue(site) ?? zeros(layout.Shape, RealType, Device), layout.Shape);
        var value = _fixedValues is not null && _fixedValues.TryGetValue(site, out var fixedValue)
            ? fixedValue
            : Model.ObservedValue(site);
        Score(layout, likelihood, value);
        return ToBatch(value, layout.Shape);
    }

    public override void Factor(Tensor value, bool batched)
    {
        if (!_pushForwardOnly) AddFactor(value, batched);
    }

    public override Tensor ObserveExact(int site, Tensor value) => _pushForwardOnly
        ? ToBatch(value, Model.Sites[site].Shape)
        : throw new ModelRunException(CapabilityErrors.DeterministicObservation(Model.Sites[site].Name, Model.Sites[site].Description.Location));

    public override Tensor LatentStep(int site, long step, Distribution distribution)
    {
        var layout = StepLayout(site, step);
        if (_fixedValues is not null && _fixedValues.TryGetValue(site, out var fixedValue))
        {
            var given = StepOf(ToBatch(fixedValue, Model.Sites[site].Shape), Model.Sites[site].Shape, step);
            Score(layout, distribution, given);
            return given;
        }
        var u = Slice(_unconstrained, layout);
        var bijector = Bijector.For(distribution.Support);
        bool identity = bijector is IdentityBijector;
        var x = identity ? u : bijector.Forward(u);
        if (_pushForwardOnly) return x;
        if (!identity) AddJacobian(SumEvent(bijector.LogAbsDetJacobian(u, x), layout.Shape.Length));
        Score(layout, distribution, x);
        return x;
    }

    public override Tensor ObserveStep(int site, long step, Distribution likelihood)
    {
        var full = Model.Sites[site];
        var layout = StepLayout(site, step);
        if (_pushForwardOnly)
        {
            var data = Model.TryObservedValue(site);
            return ToBatch(data is null ? zeros(layout.Shape, RealType, Device) : StepOf(data, full.Shape, step), layout.Shape);
        }
        var value = _fixedValues is not null && _fixedValues.TryGetValue(site, out var fixedValue) ? fixedValue : Model.ObservedValue(site);
        var x = StepOf(value, full.Shape, step);
        Score(layout, likelihood, x);
        return ToBatch(x, layout.Shape);
    }

    public override Tensor StackSteps(int site, List<Tensor> steps)
    {
        var value = base.StackSteps(site, steps);
        if (Model.Sites[site].Role != Abstractions.SiteRole.Observed) Values[site] = value;
        return value;
    }

    private Tensor FromUnconstrained(int site, Distribution distribution)
    {
        var layout = Model.Sites[site];
        if (_fixedValues is not null && _fixedValues.TryGetValue(site, out var fixedValue))
        {
            Score(layout, distribution, fixedValue);
            return ToBatch(fixedValue, layout.Shape);
        }
        var u = Slice(_unconstrained, layout);
        var bijector = Bijector.For(distribution.Support);
        bool identity = bijector is IdentityBijector;
        var x = identity ? u : bijector.Forward(u);
        Values[site] = x;
        if (_pushForwardOnly) return x;
        if (!identity) AddJacobian(SumEvent(bijector.LogAbsDetJacobian(u, x), layout.Shape.Length));
        Score(layout, distribution, x);
        return x;
    }
}
