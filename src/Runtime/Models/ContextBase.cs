using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>What every context shares: the batch, log-probability accumulators of shape [B], and shape helpers.</summary>
internal abstract class ContextBase : IModelContext
{
    protected ContextBase(Model model, long batchSize)
    {
        Model = model;
        BatchSize = batchSize;
        LogPrior = zeros(batchSize, model.RealType, model.Device);
        LogLatent = zeros(batchSize, model.RealType, model.Device);
        LogLikelihood = zeros(batchSize, model.RealType, model.Device);
        LogJacobian = zeros(batchSize, model.RealType, model.Device);
    }

    protected Model Model { get; }

    public long BatchSize { get; }

    public ScalarType RealType => Model.RealType;

    public Device Device => Model.Device;

    /// <summary>Σ log p(θ) over params.</summary>
    public Tensor LogPrior { get; protected set; }

    /// <summary>Σ log p(z | ...) over latents.</summary>
    public Tensor LogLatent { get; protected set; }

    /// <summary>Σ log p(x | ...) over observed sites.</summary>
    public Tensor LogLikelihood { get; protected set; }

    /// <summary>Σ log |det J| of the bijectors from the unconstrained space.</summary>
    public Tensor LogJacobian { get; protected set; }

    public abstract Tensor Param(int site, Distribution prior);

    public abstract Tensor Latent(int site, Distribution distribution);

    public abstract Tensor Observe(int site, Distribution likelihood);

    public abstract Tensor ObserveExact(int site, Tensor value);

    public virtual void Record(int let, Tensor value)
    {
    }

    /// <summary>Adds the log density of a site's value to the accumulator of its role.</summary>
    protected void Score(SiteLayout site, Distribution distribution, Tensor value)
    {
        var lp = SumEvent(distribution.LogProb(value), site.Shape.Length - distribution.EventRank);
        switch (site.Role)
        {
            case SiteRole.Param: LogPrior = LogPrior + lp; break;
            case SiteRole.Latent: LogLatent = LogLatent + lp; break;
            default: LogLikelihood = LogLikelihood + lp; break;
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
        throw new ModelRunException(new ModelError("PPL0901",
            $"internal error: a log density of shape [{string.Join(", ", lp.shape)}] does not match the site rank {batchRank}", Model.Generated.CurrentLocation));
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
