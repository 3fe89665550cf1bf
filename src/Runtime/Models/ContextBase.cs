using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Distributions;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Models;

/// <summary>What every context shares: the batch, log-probability accumulators of shape [B], and shape helpers.</summary>
internal abstract class ContextBase : IModelContext
{
    protected ContextBase(Model model, long batchSize)
    {
        Model = model;
        BatchSize = batchSize;
    }

    // Terms are kept and summed once: each accumulation step would otherwise cost a tensor operation (and its backward),
    // which dominates small models.
    private readonly List<Tensor> _prior = new();
    private readonly List<Tensor> _latent = new();
    private readonly List<Tensor> _likelihood = new();
    private readonly List<Tensor> _jacobian = new();

    protected Model Model { get; }

    public long BatchSize { get; }

    public ScalarType RealType => Model.RealType;

    public Device Device => Model.Device;

    /// <summary>Σ log p(θ) over params.</summary>
    public Tensor LogPrior => Total(_prior);

    /// <summary>Σ log p(z | ...) over latents.</summary>
    public Tensor LogLatent => Total(_latent);

    /// <summary>Σ log p(x | ...) over observed sites.</summary>
    public Tensor LogLikelihood => Total(_likelihood);

    /// <summary>Σ log |det J| of the bijectors from the unconstrained space.</summary>
    public Tensor LogJacobian => Total(_jacobian);

    /// <summary>The sum of the chosen parts, [B], in one reduction.</summary>
    public Tensor Sum(bool prior, bool latent, bool likelihood, bool jacobian)
    {
        var terms = new List<Tensor>();
        if (prior) terms.AddRange(_prior);
        if (latent) terms.AddRange(_latent);
        if (likelihood) terms.AddRange(_likelihood);
        if (jacobian) terms.AddRange(_jacobian);
        return Total(terms);
    }

    protected void AddJacobian(Tensor logDet) => _jacobian.Add(logDet);

    private Tensor Total(List<Tensor> terms) =>
        terms.Count == 0 ? zeros(BatchSize, Model.RealType, Model.Device) : terms.Aggregate((a, b) => TensorArithmetic.Add(a, b));

    public abstract Tensor Param(int site, Distribution prior);

    public abstract Tensor Latent(int site, Distribution distribution);

    public abstract Tensor Observe(int site, Distribution likelihood);

    public abstract Tensor ObserveExact(int site, Tensor value);

    public abstract Tensor LatentStep(int site, long step, Distribution distribution);

    public abstract Tensor ObserveStep(int site, long step, Distribution likelihood);

    /// <summary>The steps stacked along the axis after the batch; contexts that keep site values override it.</summary>
    public virtual Tensor StackSteps(int site, List<Tensor> steps) => stack(steps, 1);

    /// <summary>A loop site's step: its shape without the leading steps axis, and its slice of the unconstrained vector
    /// (the site's values are laid out step after step, each a contiguous block).</summary>
    protected SiteLayout StepLayout(int site, long step)
    {
        var layout = Model.Sites[site];
        var shape = layout.Shape[1..];
        int size = (int)shape.Aggregate(1L, (a, b) => a * b);
        return layout with { Shape = shape, Offset = layout.Offset + (int)step * size, Size = size };
    }

    /// <summary>Step <paramref name="step"/> of a loop site's whole value, batched ([B, steps, ...]) or not ([steps, ...]).</summary>
    protected static Tensor StepOf(Tensor value, long[] siteShape, long step) =>
        value.dim() == siteShape.Length + 1 ? value.select(1, step) : value.select(0, step);

    public virtual void Record(int let, Tensor value)
    {
    }

    /// <summary>Ignored by default: only the density and replay contexts score. Simulation never meets a factor (the
    /// compiler marks such a model explicit-only).</summary>
    public virtual void Factor(Tensor value, bool batched)
    {
    }

    /// <summary>Adds a factor's sum over its event dimensions to the likelihood accumulator.</summary>
    protected void AddFactor(Tensor value, bool batched) =>
        _likelihood.Add(SumEvent(value, batched ? (int)value.dim() - 1 : (int)value.dim()));

    /// <summary>Adds the log density of a site's value to the accumulator of its role.</summary>
    protected void Score(SiteLayout site, Distribution distribution, Tensor value)
    {
        var lp = SumEvent(distribution.LogProb(value), site.Shape.Length - distribution.EventRank);
        switch (site.Role)
        {
            case SiteRole.Param: _prior.Add(lp); break;
            case SiteRole.Latent: _latent.Add(lp); break;
            default: _likelihood.Add(lp); break;
        }
    }

    /// <summary>Reduces an elementwise log density to [B]. <paramref name="batchRank"/> is the number of dimensions the
    /// density has per batch element (the site's rank minus the distribution's event rank); a density without the batch
    /// dimension (all inputs unbatched) is summed whole and repeated over the batch.</summary>
    protected Tensor SumEvent(Tensor lp, int batchRank)
    {
        if (lp.dim() == batchRank + 1)
            return batchRank == 0 ? lp : lp.flatten(1).sum(1);
        if (lp.dim() == batchRank)
            return lp.sum().expand(BatchSize);
        throw new ModelRunException(new ModelError(DiagnosticCatalogue.InternalCompilerError,
            $"internal error: a log density of shape [{string.Join(", ", lp.shape)}] does not match the site rank {batchRank}", SourceLocation.None));
    }

    /// <summary>Gives a value the full [B, ...shape] form: values without the batch dimension are broadcast (a view).</summary>
    protected Tensor ToBatch(Tensor value, long[] shape)
    {
        if (value.dim() == shape.Length + 1 && value.shape[0] == BatchSize) return value;
        var full = new long[shape.Length + 1];
        full[0] = BatchSize;
        Array.Copy(shape, 0, full, 1, shape.Length);
        return value.expand(full);
    }

    /// <summary>The site's slice of an unconstrained matrix [B, D], viewed as [B, ...shape].</summary>
    protected static Tensor Slice(Tensor unconstrained, SiteLayout site)
    {
        var full = new long[site.Shape.Length + 1];
        full[0] = unconstrained.shape[0];
        Array.Copy(site.Shape, 0, full, 1, site.Shape.Length);
        return unconstrained.narrow(1, site.Offset, site.Size).reshape(full);
    }
}
