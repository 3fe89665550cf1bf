using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// Training data for a neural estimator of a compiled model: θ in the model's unconstrained space u [n, Dθ] (the space
/// the flows model and the bijectors map back), x arranged by an <see cref="ObservationLayout"/> [n, ...], and, for
/// score-augmented NPE, the joint score ∇u log p(u, z, x) [n, Dθ] (the density of u, log|det J| included).
/// <see cref="NonFiniteRows"/> counts simulations with a NaN or infinity in any of them (training drops those).
/// All tensors are on the CPU.
/// </summary>
public sealed record TrainingSimulations(Tensor Theta, Tensor X, Tensor? Score, long NonFiniteRows)
{
    /// <summary>Number of simulations.</summary>
    public long Count => Theta.shape[0];
}

/// <summary>Draws training simulations from a bound model, or replays an archive written by <c>ppl simulate</c>.</summary>
public static class ModelSimulations
{
    /// <summary>
    /// Simulates <paramref name="count"/> draws (θ, z, x) ~ p(θ) p(z | θ) p(x | θ, z) with the model's counter-based
    /// streams (simulation i depends only on the seed and i). Model failures surface as <see cref="ModelRunException"/>.
    /// </summary>
    public static TrainingSimulations Draw(Model model, ObservationLayout layout, long count, ulong seed, bool score,
        long chunkSize = 1000, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        var simulation = model.Simulate(TrainingRequest(count, seed, score, chunkSize, progress, cancellation));
        var x = layout.Arrange(simulation.Values);
        // The layout was made from this model's observed sites, so the simulator's values always fit it.
        if (!x.IsSuccess) throw new InvalidOperationException("Simulated values do not fit the model's own layout: " + x.Error);
        return Assemble(simulation.UnconstrainedParams!, x.Value, simulation.Score);
    }

    /// <summary>
    /// Training data from stored simulations (arrays by site name, batch first, as <c>ppl simulate</c> writes them).
    /// Every param and observed site is needed; the params are mapped to the unconstrained space by replaying the model
    /// with the stored values (so bounds that depend on other variables are honoured), and x is taken as stored. The
    /// score is recomputed at the stored values (the archive's own "score" may be of another kind or space), which needs
    /// every latent too. <paramref name="limit"/> keeps only the first rows. Rows with a NaN or infinity are kept with
    /// NaN params (training drops them) and counted in <see cref="TrainingSimulations.NonFiniteRows"/>.
    /// </summary>
    public static SbiResult<TrainingSimulations> Replay(Model model, ObservationLayout layout, IReadOnlyDictionary<string, Tensor> arrays,
        bool score, long? limit = null, long chunkSize = 1000, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        var needed = model.Params.Concat(model.ObservedSites).Concat(score ? model.Latents : []).ToList();
        var missing = needed.Where(s => !arrays.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        if (missing.Count > 0)
        {
            string why = score && missing.Any(m => model.Latents.Any(l => l.Name == m))
                ? " (score-augmented training recomputes the joint score at the stored values, which needs the latents too)"
                : "";
            return SbiResult<TrainingSimulations>.Failure(SbiError.SimulationsIncomplete,
                $"The simulations lack {string.Join(", ", missing.Select(m => $"'{m}'"))}{why}; write them with `ppl simulate` from the same model.");
        }
        var sites = model.Sites.Where(s => arrays.ContainsKey(s.Name)).ToList();
        long rows = arrays[sites[0].Name].shape.Length == 0 ? 0 : arrays[sites[0].Name].shape[0];
        foreach (var site in sites)
        {
            var array = arrays[site.Name];
            if (array.dim() != site.Shape.Length + 1 || !array.shape.Skip(1).SequenceEqual(site.Shape))
                return SbiResult<TrainingSimulations>.Failure(SbiError.SimulationsIncomplete,
                    $"'{site.Name}' in the simulations has shape [{string.Join(", ", array.shape)}]; the model's {site.Name} is {site.ShapeText}, so [n, {string.Join(", ", site.Shape)}] is expected.");
            if (array.shape[0] != rows)
                return SbiResult<TrainingSimulations>.Failure(SbiError.SimulationsIncomplete,
                    $"The simulations disagree in length: '{sites[0].Name}' has {rows} rows but '{site.Name}' has {array.shape[0]}.");
        }
        long count = Math.Min(rows, limit ?? rows);
        if (count < 1)
            return SbiResult<TrainingSimulations>.Failure(SbiError.SimulationsIncomplete, "The simulations hold no rows.");

        // The model refuses non-finite conditioning values, so only finite rows are replayed; the others keep NaN
        // params (and score) and are counted and dropped like any non-finite simulation.
        using var rowScope = NewDisposeScope();
        var finite = ones(count, ScalarType.Bool);
        foreach (var site in sites) finite = finite.logical_and(RowFinite(arrays[site.Name].narrow(0, 0, count)));
        var keep = finite.nonzero().squeeze(1);
        long kept = keep.shape[0];
        var stored = model.ObservedSites.ToDictionary(s => s.Name, s => arrays[s.Name].narrow(0, 0, count));
        var x = layout.Arrange(stored);
        if (!x.IsSuccess) return x.Error;
        var theta = full(count, model.ParamDimension, ConstantScalars.Of(double.NaN), ScalarType.Float64);
        var scoreValues = score ? full(count, model.ParamDimension, ConstantScalars.Of(double.NaN), ScalarType.Float64) : null;
        if (kept > 0)
        {
            var conditioning = sites.ToDictionary(s => s.Name,
                s => new DataInput(arrays[s.Name].narrow(0, 0, count).index_select(0, keep).to_type(ScalarType.Float64), $"simulations[{s.Name}]"));
            var replay = model.Simulate(TrainingRequest(kept, 0, score, chunkSize, progress, cancellation) with { Conditioning = conditioning });
            if (replay.Completed < kept) keep = keep.narrow(0, 0, replay.Completed);
            theta.index_copy_(0, keep, replay.UnconstrainedParams!.narrow(0, 0, keep.shape[0]).to_type(ScalarType.Float64));
            scoreValues?.index_copy_(0, keep, replay.Score!.narrow(0, 0, keep.shape[0]).to_type(ScalarType.Float64));
        }
        var result = Assemble(theta, x.Value, scoreValues);
        theta.MoveToOuterDisposeScope();
        x.Value.MoveToOuterDisposeScope();
        scoreValues?.MoveToOuterDisposeScope();
        return SbiResult<TrainingSimulations>.Success(result);
    }

    private static TrainingSimulations Assemble(Tensor theta, Tensor x, Tensor? score)
    {
        long nonFinite;
        using (NewDisposeScope())
        {
            var finite = RowFinite(theta).logical_and(RowFinite(x));
            if (score is not null) finite = finite.logical_and(RowFinite(score));
            nonFinite = theta.shape[0] - finite.sum().item<long>();
        }
        return new TrainingSimulations(theta, x, score, nonFinite);
    }

    private static Tensor RowFinite(Tensor t) => t.isfinite().reshape(t.shape[0], -1).all(1);

    /// <summary>A simulation as training needs it: θ in the unconstrained space, the joint score there, no lets.</summary>
    private static SimulationRequest TrainingRequest(long count, ulong seed, bool score, long chunkSize, IProgress<long>? progress,
        CancellationToken cancellation) => new(count, seed)
        {
            RecordLets = new HashSet<string>(),
            Score = score,
            ScoreKind = ScoreKind.Joint,
            ScoreSpace = ParamSpace.Unconstrained,
            UnconstrainedParams = true,
            ChunkSize = chunkSize,
            Progress = progress,
            Cancellation = cancellation,
        };
}
