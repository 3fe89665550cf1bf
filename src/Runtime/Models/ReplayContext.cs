using Ppl.Runtime.Bijectors;
using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>
/// Re-runs the model with every site's value given (constrained, [B, ...shape]) and accumulates the log densities; used
/// for the simulator's joint score and to map constrained values back to the unconstrained space.
/// </summary>
internal sealed class ReplayContext : ContextBase
{
    private readonly IReadOnlyDictionary<int, Tensor> _values;

    public ReplayContext(Model model, long batchSize, IReadOnlyDictionary<int, Tensor> values)
        : base(model, batchSize)
    {
        _values = values;
    }

    /// <summary>Unconstrained value of each param and latent, filled as the model runs.</summary>
    public Dictionary<int, Tensor> Unconstrained { get; } = new();

    public override Tensor Param(int site, Distribution prior) => Given(site, prior);

    public override Tensor Latent(int site, Distribution distribution) => Given(site, distribution);

    public override Tensor Observe(int site, Distribution likelihood)
    {
        var layout = Model.Sites[site];
        var value = _values.TryGetValue(site, out var v) ? v : Model.ObservedValue(site);
        Score(layout, likelihood, value);
        return ToBatch(value, layout.Shape);
    }

    public override void Factor(Tensor value, bool batched) => AddFactor(value, batched);

    public override Tensor ObserveExact(int site, Tensor value) =>
        _values.TryGetValue(site, out var v) ? v : ToBatch(value, Model.Sites[site].Shape);

    private readonly Dictionary<int, List<Tensor>> _unconstrainedSteps = new();

    public override Tensor LatentStep(int site, long step, Distribution distribution)
    {
        var layout = Model.Sites[site];
        if (!_values.TryGetValue(site, out var whole))
            throw new ModelRunException(new ModelError(DiagnosticCatalogue.ReplayValueMissing, $"no value given for '{layout.Name}'", layout.Description.Location));
        var value = StepOf(ToBatch(whole, layout.Shape), layout.Shape, step);
        Score(StepLayout(site, step), distribution, value);
        var real = layout.Description.IsDiscrete ? value.to_type(RealType) : value;
        if (!_unconstrainedSteps.TryGetValue(site, out var list)) _unconstrainedSteps[site] = list = new List<Tensor>();
        list.Add(Bijector.For(distribution.Support).Inverse(real));
        return value;
    }

    public override Tensor ObserveStep(int site, long step, Distribution likelihood)
    {
        var layout = Model.Sites[site];
        var value = StepOf(_values.TryGetValue(site, out var v) ? v : Model.ObservedValue(site), layout.Shape, step);
        var stepLayout = StepLayout(site, step);
        Score(stepLayout, likelihood, value);
        return ToBatch(value, stepLayout.Shape);
    }

    public override Tensor StackSteps(int site, List<Tensor> steps)
    {
        if (_unconstrainedSteps.Remove(site, out var list)) Unconstrained[site] = stack(list, 1);
        return base.StackSteps(site, steps);
    }

    private Tensor Given(int site, Distribution distribution)
    {
        var layout = Model.Sites[site];
        if (!_values.TryGetValue(site, out var value))
        {
            // A summed-out latent has no place in the unconstrained vector; mapping the others back needs no value of it.
            if (layout.IsEnumerated) return zeros([BatchSize, .. layout.Shape], ScalarType.Int64, Device);
            throw new ModelRunException(new ModelError(DiagnosticCatalogue.ReplayValueMissing, $"no value given for '{layout.Name}'", layout.Description.Location));
        }
        value = ToBatch(value, layout.Shape);
        Score(layout, distribution, value);
        // A discrete value is carried as a real in the unconstrained vector (implicit inference on discrete params).
        var real = layout.Description.IsDiscrete ? value.to_type(RealType) : value;
        Unconstrained[site] = Bijector.For(distribution.Support).Inverse(real);
        return value;
    }
}
