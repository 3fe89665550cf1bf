using Ppl.Runtime.Distributions;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>
/// Ancestral sampling of one batch: each site is drawn from its distribution with a counter-based stream keyed by
/// (seed, site name, global simulation index), unless a value is given for it (conditioning).
/// </summary>
internal sealed class SimulationContext : ContextBase
{
    private readonly ulong _seed;
    private readonly long _firstIndex;
    private readonly IReadOnlyDictionary<int, Tensor> _conditioned;
    private readonly long _conditionedRow;
    private readonly bool[] _recordLets;

    public SimulationContext(Model model, ulong seed, long firstIndex, long batchSize,
        IReadOnlyDictionary<int, Tensor> conditioned, long conditionedRow, bool[] recordLets)
        : base(model, batchSize)
    {
        _seed = seed;
        _firstIndex = firstIndex;
        _conditioned = conditioned;
        _conditionedRow = conditionedRow;
        _recordLets = recordLets;
    }

    // Per-simulation conditioning values hold one row per simulation of the request; this batch starts at _conditionedRow.

    /// <summary>Every site's value, [B, ...shape].</summary>
    public Dictionary<int, Tensor> Values { get; } = new();

    /// <summary>Recorded lets, [B, ...shape].</summary>
    public Dictionary<int, Tensor> Lets { get; } = new();

    public override Tensor Param(int site, Distribution prior) => Draw(site, prior);

    public override Tensor Latent(int site, Distribution distribution) => Draw(site, distribution);

    public override Tensor Observe(int site, Distribution likelihood) => Draw(site, likelihood);

    public override Tensor ObserveExact(int site, Tensor value)
    {
        var layout = Model.Sites[site];
        var v = ToBatch(value, layout.Shape);
        Values[site] = v;
        return v;
    }

    public override void Record(int let, Tensor value)
    {
        if (_recordLets[let]) Lets[let] = ToBatch(value, Model.Lets[let].Shape);
    }

    public override Tensor LatentStep(int site, long step, Distribution distribution) => DrawStep(site, step, distribution);

    public override Tensor ObserveStep(int site, long step, Distribution likelihood) => DrawStep(site, step, likelihood);

    public override Tensor StackSteps(int site, List<Tensor> steps)
    {
        var value = base.StackSteps(site, steps);
        Values[site] = value;
        return value;
    }

    /// <summary>The random stream of step t of a loop site is keyed by the name <c>site[t]</c>, so each step's numbers are
    /// a pure function of (seed, site, step, simulation index, element), like any site's.</summary>
    private Tensor DrawStep(int site, long step, Distribution distribution)
    {
        var layout = Model.Sites[site];
        if (_conditioned.TryGetValue(site, out var given))
        {
            var rows = given.dim() == layout.Shape.Length + 1 ? given.narrow(0, _conditionedRow, BatchSize) : ToBatch(given, layout.Shape);
            return rows.select(1, step);
        }
        long[] shape = [BatchSize, .. layout.Shape[1..]];
        var stream = new RandomStream(_seed, RandomStream.SiteKey($"{layout.Name}[{step}]"), _firstIndex, shape, RealType, Device);
        return distribution.Sample(stream);
    }

    private Tensor Draw(int site, Distribution distribution)
    {
        var layout = Model.Sites[site];
        Tensor value;
        if (_conditioned.TryGetValue(site, out var given))
        {
            value = given.dim() == layout.Shape.Length + 1 ? given.narrow(0, _conditionedRow, BatchSize) : ToBatch(given, layout.Shape);
        }
        else
        {
            var shape = new long[layout.Shape.Length + 1];
            shape[0] = BatchSize;
            Array.Copy(layout.Shape, 0, shape, 1, layout.Shape.Length);
            var stream = new RandomStream(_seed, RandomStream.SiteKey(layout.Name), _firstIndex, shape, RealType, Device);
            value = distribution.Sample(stream);
        }
        Values[site] = value;
        return value;
    }
}
