using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Compression;

/// <summary>
/// Fresh observation noise from the model itself: the model is simulated again conditioned on every stored param and
/// latent of the chosen simulations, so the noiseless part of the map (e.g. a convergence map computed from θ and the
/// latent field) is the stored one and only the observe statements draw new values. No noise model is written by hand:
/// whatever the observe statement says (Normal, Poisson, masks) is what is redrawn. Each call uses its own stream, keyed
/// by the seed and the draw number.
/// </summary>
public sealed class ObservationRedraw
{
    private readonly Model _model;
    private readonly string _site;
    private readonly IReadOnlyDictionary<string, Tensor> _stored;

    /// <param name="model">The model the simulations came from.</param>
    /// <param name="site">The observed site to redraw.</param>
    /// <param name="stored">Every param and latent, [n, ...shape] by name (CPU).</param>
    /// <param name="seed">Seeds the redrawn noise.</param>
    private ObservationRedraw(Model model, string site, IReadOnlyDictionary<string, Tensor> stored, ulong seed)
    {
        _model = model;
        _site = site;
        _stored = stored;
        Seed = seed;
    }

    public ulong Seed { get; }

    /// <summary>Sites the redraw conditions on: the model's params and latents.</summary>
    public static IReadOnlyList<SiteLayout> ConditioningSites(Model model) =>
        model.Sites.Where(s => s.Role is SiteRole.Param or SiteRole.Latent).ToList();

    /// <summary>A redraw of <paramref name="site"/>, or the names of the params and latents <paramref name="stored"/> lacks.</summary>
    public static (ObservationRedraw? Redraw, IReadOnlyList<string> Missing) Create(Model model, string site,
        IReadOnlyDictionary<string, Tensor> stored, ulong seed)
    {
        var missing = ConditioningSites(model).Where(s => !stored.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        if (missing.Count > 0) return (null, missing);
        var kept = ConditioningSites(model).ToDictionary(s => s.Name, s => stored[s.Name]);
        return (new ObservationRedraw(model, site, kept, seed), missing);
    }

    /// <summary>
    /// The observed site redrawn for the stored simulations <paramref name="rows"/> [b] (CPU, int64), as [b, ...site]
    /// on the CPU in the model's real type. <paramref name="draw"/> numbers the call (batches of one epoch and of
    /// different epochs get different noise).
    /// </summary>
    public Tensor Draw(Tensor rows, ulong draw)
    {
        using var scope = NewDisposeScope();
        long b = rows.shape[0];
        var conditioning = _stored.ToDictionary(kv => kv.Key,
            kv => new DataInput(kv.Value.index_select(0, rows), $"stored {kv.Key}"));
        ulong seed = Seed ^ ((ulong)RandomStream.Mix32((uint)draw) << 32 | RandomStream.Mix32((uint)(draw >> 32) ^ 0x5bd1e995u));
        var simulation = _model.Simulate(new SimulationRequest(b, seed)
        {
            Conditioning = conditioning,
            RecordLets = new HashSet<string>(),
            ChunkSize = Math.Max(1, b),
        });
        return simulation.Values[_site].MoveToOuterDisposeScope();
    }
}
