using Ppl.Runtime.Bijectors;
using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>
/// Evaluates the params' prior at points of their unconstrained space [B, Dθ] (the first Dθ columns of the model's
/// unconstrained vector): each param is read from its columns, pushed through its support's bijector, and scored with
/// log|det J|.
/// Latents are pushed forward from u = 0 and observed sites read their data (or zeros) without being scored, so that
/// the model can run to completion; nothing but the params' prior and Jacobian is accumulated. This is the density
/// NLE's posterior needs: log p(u) = log p(θ(u)) + log|det ∂θ/∂u|, available even when the model has no likelihood.
/// </summary>
internal sealed class PriorContext : ContextBase
{
    private readonly Tensor _unconstrainedParams;

    public PriorContext(Model model, Tensor unconstrainedParams)
        : base(model, unconstrainedParams.shape[0])
    {
        _unconstrainedParams = unconstrainedParams;
    }

    /// <summary>The constrained value of each param, [B, ...shape].</summary>
    public Dictionary<int, Tensor> ParamValues { get; } = new();

    public override Tensor Param(int site, Distribution prior)
    {
        var layout = Model.Sites[site];
        var u = _unconstrainedParams.narrow(1, layout.Offset, layout.Size).reshape(EventShape(layout));
        var bijector = Bijector.For(prior.Support);
        // A discrete param is carried as a real; its value is the nearest integer.
        var x = layout.Description.IsDiscrete ? u.round().to_type(ScalarType.Int64) : bijector.Forward(u);
        ParamValues[site] = x;
        AddJacobian(SumEvent(bijector.LogAbsDetJacobian(u, x), layout.Shape.Length));
        Score(layout, prior, x);
        return x;
    }

    public override Tensor Latent(int site, Distribution distribution)
    {
        var layout = Model.Sites[site];
        if (layout.Description.IsDiscrete) return zeros(EventShape(layout), ScalarType.Int64, Device);
        return Bijector.For(distribution.Support).Forward(zeros(EventShape(layout), RealType, Device));
    }

    public override Tensor Observe(int site, Distribution likelihood)
    {
        var layout = Model.Sites[site];
        return ToBatch(Model.TryObservedValue(site) ?? zeros(layout.Shape, RealType, Device), layout.Shape);
    }

    public override Tensor ObserveExact(int site, Tensor value) => ToBatch(value, Model.Sites[site].Shape);

    public override Tensor LatentStep(int site, long step, Distribution distribution)
    {
        var layout = StepLayout(site, step);
        if (layout.Description.IsDiscrete) return zeros(EventShape(layout), ScalarType.Int64, Device);
        return Bijector.For(distribution.Support).Forward(zeros(EventShape(layout), RealType, Device));
    }

    public override Tensor ObserveStep(int site, long step, Distribution likelihood)
    {
        var layout = StepLayout(site, step);
        var data = Model.TryObservedValue(site);
        return ToBatch(data is null ? zeros(layout.Shape, RealType, Device) : StepOf(data, Model.Sites[site].Shape, step), layout.Shape);
    }

    private long[] EventShape(SiteLayout layout)
    {
        var full = new long[layout.Shape.Length + 1];
        full[0] = BatchSize;
        Array.Copy(layout.Shape, 0, full, 1, layout.Shape.Length);
        return full;
    }
}
