using Ppl.Runtime.Abstractions;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Models;

/// <summary>
/// A compiled model bound to its data: the unconstrained layout, the joint log density with gradients (explicit inference),
/// and the batched simulator with its score (implicit inference). Failures inside a model run surface as
/// <see cref="ModelRunException"/> carrying a located <see cref="ModelError"/>.
/// </summary>
public sealed class Model
{
    private readonly Dictionary<int, Tensor> _observed;

    private Model(IGeneratedModel generated, ModelOptions options, SiteLayout[] sites, LetLayout[] lets, Dictionary<int, Tensor> observed)
    {
        Generated = generated;
        RealType = options.RealType;
        Device = options.Device;
        Sites = sites;
        Lets = lets;
        _observed = observed;
        UnconstrainedSites = sites.Where(s => s.InUnconstrainedVector).OrderBy(s => s.Offset).ToArray();
        Dimension = UnconstrainedSites.Sum(s => s.Size);
        ParamDimension = sites.Where(s => s.Role == SiteRole.Param).Sum(s => s.Size);
        Enumeration = new EnumerationPlan(sites, Device);
    }

    /// <summary>The discrete latents the log density sums out, and how (one configuration per block of the batch).</summary>
    internal EnumerationPlan Enumeration { get; }

    public IGeneratedModel Generated { get; }

    public ModelDescription Description => Generated.Description;

    public ScalarType RealType { get; }

    public Device Device { get; }

    /// <summary>Every site in declaration order, with its shape and unconstrained slice.</summary>
    public IReadOnlyList<SiteLayout> Sites { get; }

    public IReadOnlyList<LetLayout> Lets { get; }

    /// <summary>The params, then the latents, each in declaration order: the sites of the unconstrained vector in its order.</summary>
    public IReadOnlyList<SiteLayout> UnconstrainedSites { get; }

    /// <summary>D: the length of the unconstrained vector (params first, then latents).</summary>
    public int Dimension { get; }

    /// <summary>Dθ: the params' part of the unconstrained vector, which comes first.</summary>
    public int ParamDimension { get; }

    public IEnumerable<SiteLayout> Params => Sites.Where(s => s.Role == SiteRole.Param);

    public IEnumerable<SiteLayout> Latents => Sites.Where(s => s.Role == SiteRole.Latent);

    public IEnumerable<SiteLayout> ObservedSites => Sites.Where(s => s.Role == SiteRole.Observed);

    /// <summary>Whether every observed site with a density has a value (needed for the log density).</summary>
    public IReadOnlyList<string> MissingObservations =>
        ObservedSites.Where(s => s.Description.HasDensity && !_observed.ContainsKey(s.Index)).Select(s => s.Name).ToList();

    /// <summary>Binds data (and observations, for inference) to a generated model. Inputs may name data declarations and
    /// observed sites; other names give a warning.</summary>
    public static ModelBinding Bind(IGeneratedModel generated, IReadOnlyDictionary<string, DataInput> inputs, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        var description = generated.Description;
        var binder = new DataBinder(description, inputs, options.RealType, options.Device);
        try
        {
            using (no_grad()) generated.Bind(binder);
        }
        catch (ModelRunException e)
        {
            binder.Error(e.Error.Code, e.Error.Message, e.Error.Location, e.Error.Hint);
        }
        catch (Exception e) when (ModelFailures.NeedsLocation(e))
        {
            // Generated code locates its own failures (ModelFailures.InBind); this is for a model that does not.
            var located = ModelFailures.InBind(e, SourceLocation.None, description);
            if (located is not ModelRunException run) throw located;
            binder.Error(run.Error.Code, run.Error.Message, run.Error.Location, run.Error.Hint);
        }
        if (binder.Errors.Any(e => !e.IsWarning)) return new ModelBinding(null, binder.Errors);

        // The unconstrained vector holds every param (in declaration order), then every latent, whatever order the model
        // declares them in: [.., ..ParamDimension] is always θ.
        var sites = new SiteLayout[description.Sites.Count];
        int offset = 0;
        foreach (var role in new[] { SiteRole.Param, SiteRole.Latent, SiteRole.Observed })
            for (int i = 0; i < sites.Length; i++)
            {
                var d = description.Sites[i];
                if (d.Role != role) continue;
                var shape = binder.SiteShapes[i] ?? throw new InvalidOperationException($"generated Bind did not declare the shape of site '{d.Name}'");
                int size = checked((int)shape.Aggregate(1L, (a, b) => a * b));
                bool inVector = role != SiteRole.Observed && d.EnumerationSize == 0;
                sites[i] = new SiteLayout(i, d, shape, inVector ? offset : -1, size);
                if (inVector) offset += size;
            }
        var lets = new LetLayout[description.Lets.Count];
        for (int i = 0; i < lets.Length; i++)
            lets[i] = new LetLayout(i, description.Lets[i], binder.LetShapes[i] ?? throw new InvalidOperationException($"generated Bind did not declare the shape of let '{description.Lets[i].Name}'"));

        var observed = new Dictionary<int, Tensor>();
        var known = new HashSet<string>(description.Data.Select(d => d.Name));
        foreach (var site in sites)
        {
            known.Add(site.Name);
            if (site.Role != SiteRole.Observed) continue;
            Tensor? value;
            if (binder.ObservedDataValues.TryGetValue(site.Index, out var fromData)) value = fromData;
            else if (inputs.TryGetValue(site.Name, out var input))
                value = binder.Convert(site.Name, site.Description.Element, site.Description.TypeText, site.Shape, input, site.Description.Location);
            else continue;
            if (value is not null) observed[site.Index] = value;
            if (value is not null && binder.ObservedChecks.TryGetValue(site.Index, out var c)
                && DataDomainChecks.Observation(site.Name, value, c.Distribution, c.Kind, c.Lower, c.Upper, site.Description.Location) is { } outside)
                binder.Error(outside.Code, outside.Message, outside.Location, outside.Hint);
        }
        foreach (var name in inputs.Keys.Where(n => !known.Contains(n)))
            binder.Warning(DiagnosticCatalogue.UnknownDataName, $"'{name}' ({inputs[name].Origin}) is not a data or observed variable of model {description.Name}; it is ignored",
                SourceLocation.None, Spelling.Suggest(name, known));
        if (binder.Errors.Any(e => !e.IsWarning)) return new ModelBinding(null, binder.Errors);
        return new ModelBinding(new Model(generated, options, sites, lets, observed), binder.Errors);
    }

    /// <summary>log p(θ, z, x) + log|det J| at unconstrained points [B, D] → [B]. Differentiable.</summary>
    public Tensor LogDensity(Tensor unconstrained)
    {
        RequireExplicit();
        using var scope = NewDisposeScope();
        var u = unconstrained.to(RealType, Device);
        long batch = u.shape[0];
        var ctx = new DensityContext(this, Enumeration.Repeat(u));
        Execute(ctx);
        var total = ctx.Sum(prior: true, latent: true, likelihood: true, jacobian: true);
        return Enumeration.SumOut(total, batch).MoveToOuterDisposeScope();
    }

    /// <summary>The log density [B] and its gradient [B, D] with respect to the unconstrained point.</summary>
    public (Tensor LogDensity, Tensor Gradient) LogDensityAndGradient(Tensor unconstrained)
    {
        using var scope = NewDisposeScope();
        var u = unconstrained.to(RealType, Device).detach().requires_grad_(true);
        Tensor lp;
        using (enable_grad())
        {
            lp = LogDensity(u);
            var grad = torch.autograd.grad(new[] { lp.sum() }, new[] { u })[0];
            return (lp.detach().MoveToOuterDisposeScope(), grad.MoveToOuterDisposeScope());
        }
    }

    /// <summary>Constrained values of the params and latents at unconstrained points [B, D], by name, [B, ...shape].</summary>
    /// <param name="unconstrained">The points, [B, D].</param>
    /// <param name="recordLets">Lets (by name, see <see cref="Lets"/>) whose values to return too, computed by the same
    /// forward run without gradients; a name that is not a recordable let is ignored.</param>
    public Dictionary<string, Tensor> Constrain(Tensor unconstrained, IReadOnlyCollection<string>? recordLets = null)
    {
        using var scope = NewDisposeScope();
        var u = unconstrained.to(RealType, Device);
        var record = recordLets is null || recordLets.Count == 0 ? null : Lets.Select(l => recordLets.Contains(l.Name)).ToArray();
        var ctx = new DensityContext(this, u, pushForwardOnly: true, recordLets: record);
        using (no_grad()) Execute(ctx);
        var result = new Dictionary<string, Tensor>();
        foreach (var (site, value) in ctx.Values) result[Sites[site].Name] = value.detach().MoveToOuterDisposeScope();
        foreach (var (let, value) in ctx.Lets) result[Lets[let].Name] = value.detach().MoveToOuterDisposeScope();
        return result;
    }

    /// <summary>
    /// For each discrete latent the log density sums out (<see cref="SiteLayout.IsEnumerated"/>), by name: the posterior
    /// probabilities of its values given the other variables and the data at unconstrained points [B, D],
    /// p(z_e = k | θ, z', x), as [B, ...shape, K] (NumPyro's <c>infer_discrete</c> marginals, Stan's generated quantities
    /// written by hand). Computed without gradients from the joint densities of the enumerated configurations; empty when
    /// nothing is enumerated.
    /// </summary>
    public Dictionary<string, Tensor> EnumeratedProbabilities(Tensor unconstrained)
    {
        RequireExplicit();
        using var scope = NewDisposeScope();
        var u = unconstrained.to(RealType, Device);
        var result = new Dictionary<string, Tensor>();
        if (Enumeration.Configurations == 1) return result;
        var ctx = new DensityContext(this, Enumeration.Repeat(u));
        using (no_grad())
        {
            Execute(ctx);
            var total = ctx.Sum(prior: true, latent: true, likelihood: true, jacobian: true);
            foreach (var (site, probabilities) in Enumeration.Probabilities(total, u.shape[0], Sites))
                result[Sites[site].Name] = probabilities.detach().MoveToOuterDisposeScope();
        }
        return result;
    }

    /// <summary>
    /// The prior density of the params' unconstrained values uθ [B, Dθ] (the params' elements in declaration order, as in
    /// <see cref="Simulation.UnconstrainedParams"/>): log p(θ(uθ)) + log|det ∂θ/∂uθ| → [B]. Differentiable. Needs no
    /// likelihood, so it exists for every model (NLE's posterior adds a learned likelihood to it).
    /// </summary>
    public Tensor PriorLogDensity(Tensor unconstrainedParams)
    {
        RequireParamColumns(unconstrainedParams);
        using var scope = NewDisposeScope();
        var ctx = new PriorContext(this, unconstrainedParams.to(RealType, Device));
        Execute(ctx, priorOnly: true);
        return (TensorArithmetic.Add(ctx.LogPrior, ctx.LogJacobian)).MoveToOuterDisposeScope();
    }

    /// <summary>The params' constrained values θ(uθ) by name, [B, ...shape], at unconstrained values uθ [B, Dθ].</summary>
    public Dictionary<string, Tensor> ConstrainParams(Tensor unconstrainedParams)
    {
        RequireParamColumns(unconstrainedParams);
        using var scope = NewDisposeScope();
        var ctx = new PriorContext(this, unconstrainedParams.to(RealType, Device));
        using (no_grad()) Execute(ctx, priorOnly: true);
        return ctx.ParamValues.ToDictionary(kv => Sites[kv.Key].Name, kv => kv.Value.detach().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <paramref name="count"/> draws of the params from their prior, mapped to the unconstrained space, [n, Dθ]: the
    /// same values as <see cref="Simulate"/>'s <see cref="Simulation.UnconstrainedParams"/> with the same seed (every
    /// random number is keyed by site and simulation index), but running only what the params' prior needs.
    /// </summary>
    public Tensor SimulateUnconstrainedParams(long count, ulong seed, long chunkSize = 1000)
    {
        RequireImplicit();
        var chunks = new List<Tensor>();
        for (long done = 0; done < count; done += chunkSize)
        {
            long b = Math.Min(chunkSize, count - done);
            using var scope = NewDisposeScope();
            var ctx = new SimulationContext(this, seed, done, b, new Dictionary<int, Tensor>(), done, Lets.Select(_ => false).ToArray());
            using (no_grad()) Execute(ctx, priorOnly: true);
            var replay = new ReplayContext(this, b, ctx.Values.ToDictionary(kv => kv.Key, kv => kv.Value.detach()));
            using (no_grad()) Execute(replay, priorOnly: true);
            var parts = Params.Select(p => replay.Unconstrained[p.Index].reshape(b, p.Size)).ToArray();
            chunks.Add((parts.Length == 0 ? zeros(new long[] { b, 0 }, RealType, Device) : cat(parts, 1)).to(CPU).MoveToOuterDisposeScope());
        }
        return chunks.Count == 0 ? zeros(new long[] { 0, ParamDimension }, RealType) : chunks.Count == 1 ? chunks[0] : cat(chunks.ToArray(), 0);
    }

    private void RequireParamColumns(Tensor unconstrainedParams)
    {
        if (unconstrainedParams.dim() != 2 || unconstrainedParams.shape[1] != ParamDimension)
            throw new ArgumentException($"Expected unconstrained params of shape [B, {ParamDimension}], got [{string.Join(", ", unconstrainedParams.shape)}].",
                nameof(unconstrainedParams));
    }

    /// <summary>The unconstrained points [B, D] of given constrained params and latents ([B, ...shape] each).</summary>
    public Tensor Unconstrain(IReadOnlyDictionary<string, Tensor> constrained)
    {
        using var scope = NewDisposeScope();
        long batch = constrained.Values.First().shape[0];
        var values = new Dictionary<int, Tensor>();
        foreach (var site in Sites)
            if (constrained.TryGetValue(site.Name, out var v)) values[site.Index] = v.to(RealType, Device);
        var ctx = new ReplayContext(this, batch, values);
        using (no_grad()) Execute(ctx);
        var parts = UnconstrainedSites.Select(s => ctx.Unconstrained[s.Index].reshape(batch, s.Size)).ToArray();
        return (parts.Length == 0 ? zeros(batch, 0, RealType, Device) : cat(parts, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>Draws simulations in chunks; simulation i depends only on (seed, i), not on the chunk size.</summary>
    public Simulation Simulate(SimulationRequest request)
    {
        RequireImplicit();
        if (request.Score) RequireScore();
        var conditioned = ConditioningTensors(request);
        var record = Lets.Select(l => request.RecordLets is null || request.RecordLets.Contains(l.Name)).ToArray();
        var chunks = new Dictionary<string, List<Tensor>>();
        var scoreChunks = new List<Tensor>();
        var unconstrainedChunks = new List<Tensor>();
        long done = 0;
        while (done < request.Count && !request.Cancellation.IsCancellationRequested)
        {
            long b = Math.Min(request.ChunkSize, request.Count - done);
            using var scope = NewDisposeScope();
            var ctx = new SimulationContext(this, request.Seed, request.FirstIndex + done, b, conditioned, done, record);
            using (no_grad()) Execute(ctx);
            foreach (var (site, value) in ctx.Values) Add(chunks, Sites[site].Name, value);
            foreach (var (let, value) in ctx.Lets) Add(chunks, Lets[let].Name, value);
            if (request.Score)
            {
                var chunkScore = request.ScoreSpace == ParamSpace.Constrained
                    ? ScoreOf(ctx.Values, b, request.ScoreKind)
                    : UnconstrainedScoreOf(ctx.Values, b, request.ScoreKind);
                scoreChunks.Add(chunkScore.to(CPU).MoveToOuterDisposeScope());
            }
            if (request.UnconstrainedParams) unconstrainedChunks.Add(UnconstrainedParamsOf(ctx.Values, b).to(CPU).MoveToOuterDisposeScope());
            foreach (var list in chunks.Values) list[^1] = list[^1].MoveToOuterDisposeScope();
            done += b;
            request.Progress?.Report(done);
        }
        var values = chunks.ToDictionary(kv => kv.Key, kv => kv.Value.Count == 1 ? kv.Value[0] : cat(kv.Value.ToArray(), 0));
        var score = scoreChunks.Count == 0 ? null : scoreChunks.Count == 1 ? scoreChunks[0] : cat(scoreChunks.ToArray(), 0);
        return new Simulation(done, values, Sites.Select(s => s.Name).ToList(), Lets.Where(l => record[l.Index]).Select(l => l.Name).ToList(),
            score, ParamColumnNames())
        {
            UnconstrainedParams = unconstrainedChunks.Count == 0 ? null : unconstrainedChunks.Count == 1 ? unconstrainedChunks[0] : cat(unconstrainedChunks.ToArray(), 0),
        };
    }

    /// <summary>Column names of the params' flattened elements, e.g. theta[0], theta[1], mu.</summary>
    public IReadOnlyList<string> ParamColumnNames() => ColumnNames(Params);

    /// <summary>Column names of all unconstrained elements (params, then latents).</summary>
    public IReadOnlyList<string> UnconstrainedColumnNames() => ColumnNames(UnconstrainedSites);

    internal Tensor? TryObservedValue(int site) => _observed.TryGetValue(site, out var v) ? v : null;

    internal Tensor ObservedValue(int site) =>
        _observed.TryGetValue(site, out var v)
            ? v
            : throw new ModelRunException(new ModelError(DiagnosticCatalogue.ObservationWithoutValue,
                $"observed '{Sites[site].Name}' has no value", Sites[site].Description.Location,
                $"give the observation in the data file (--data FILE) or with --set {Sites[site].Name}=@file.npy"));

    private Tensor ScoreOf(Dictionary<int, Tensor> simulated, long batch, ScoreKind kind)
    {
        var values = new Dictionary<int, Tensor>();
        var leaves = new List<Tensor>();
        foreach (var (site, value) in simulated)
        {
            if (Sites[site].Role == SiteRole.Param)
            {
                var leaf = value.detach().clone().requires_grad_(true);
                values[site] = leaf;
                leaves.Add(leaf);
            }
            else values[site] = value.detach();
        }
        using (enable_grad())
        {
            var ctx = new ReplayContext(this, batch, values);
            Execute(ctx);
            var lp = ctx.Sum(prior: kind == ScoreKind.Joint, latent: true, likelihood: true, jacobian: false);
            var paramSites = Params.ToList();
            var inputs = paramSites.Select(s => values[s.Index]).ToArray();
            var grads = torch.autograd.grad(new[] { lp.sum() }, inputs, allow_unused: true);
            var parts = new Tensor[paramSites.Count];
            for (int i = 0; i < parts.Length; i++)
                parts[i] = (grads[i] is null || grads[i].IsInvalid ? zeros_like(inputs[i]) : grads[i]).reshape(batch, paramSites[i].Size);
            return parts.Length == 0 ? zeros(new long[] { batch, 0 }, RealType, Device) : cat(parts, 1);
        }
    }

    /// <summary>The params of simulated values mapped through the inverse bijectors, [B, Dθ].</summary>
    private Tensor UnconstrainedParamsOf(Dictionary<int, Tensor> simulated, long batch)
    {
        var ctx = new ReplayContext(this, batch, simulated.ToDictionary(kv => kv.Key, kv => kv.Value.detach()));
        using (no_grad()) Execute(ctx);
        var parts = Params.Select(s => ctx.Unconstrained[s.Index].reshape(batch, s.Size)).ToArray();
        return parts.Length == 0 ? zeros(new long[] { batch, 0 }, RealType, Device) : cat(parts, 1);
    }

    /// <summary>The score with respect to the params' unconstrained values u: the latents and observations are fixed at
    /// their simulated values and θ = T(u) is read from u, so autograd applies the chain rule through the bijectors.</summary>
    private Tensor UnconstrainedScoreOf(Dictionary<int, Tensor> simulated, long batch, ScoreKind kind)
    {
        var u = UnconstrainedParamsOf(simulated, batch).detach();
        var full = zeros(new long[] { batch, Dimension }, RealType, Device);
        if (ParamDimension > 0) full[.., ..ParamDimension] = u;
        var leaf = full.requires_grad_(true);
        var fixedValues = simulated.Where(kv => Sites[kv.Key].Role != SiteRole.Param).ToDictionary(kv => kv.Key, kv => kv.Value.detach());
        using (enable_grad())
        {
            var ctx = new DensityContext(this, leaf, fixedValues);
            Execute(ctx);
            var lp = ctx.Sum(prior: kind == ScoreKind.Joint, latent: true, likelihood: true, jacobian: kind == ScoreKind.Joint);
            var grad = torch.autograd.grad(new[] { lp.sum() }, new[] { leaf })[0];
            return grad[.., ..ParamDimension];
        }
    }

    private Dictionary<int, Tensor> ConditioningTensors(SimulationRequest request)
    {
        var binder = new DataBinder(Description, request.Conditioning, RealType, Device);
        var result = new Dictionary<int, Tensor>();
        foreach (var (name, input) in request.Conditioning)
        {
            var site = Sites.FirstOrDefault(s => s.Name == name);
            if (site is null) continue; // data names are bound already
            bool perSimulation = input.Shape.Length == site.Shape.Length + 1 && input.Shape[0] == request.Count
                && input.Shape.Skip(1).SequenceEqual(site.Shape);
            if (!perSimulation && !input.Shape.SequenceEqual(site.Shape))
            {
                binder.Error(DiagnosticCatalogue.DataWrongShape, $"'{name}' is {site.Description.TypeText} (shape {site.ShapeText}) but {input.Origin} gives shape {DataBinder.ShapeText(input.Shape)} (the site's shape, or {request.Count} values with that shape, are accepted)", site.Description.Location);
                continue;
            }
            var value = binder.ConvertElements(name, site.Description.Element, input, site.Description.Location);
            if (value is not null) result[site.Index] = value;
        }
        if (binder.Errors.Count > 0) throw new ModelRunException(binder.Errors[0]);
        return result;
    }

    /// <summary>Runs the generated model with <paramref name="ctx"/>: the whole body, or with <paramref name="priorOnly"/>
    /// only what the params' prior needs (<see cref="IGeneratedModel.RunPrior"/>).</summary>
    private void Execute(IModelContext ctx, bool priorOnly = false)
    {
        try
        {
            if (priorOnly) Generated.RunPrior(ctx);
            else Generated.Run(ctx);
        }
        catch (Exception e) when (ModelFailures.NeedsLocation(e))
        {
            // Generated code locates its own failures (ModelFailures.InRun); this is for a model that does not.
            throw ModelFailures.InRun(e, SourceLocation.None, Description);
        }
    }

    private void RequireExplicit()
    {
        var caps = Description.Capabilities;
        if (!caps.Explicit)
            throw new ModelRunException(CapabilityErrors.NoLogDensity(Description));
    }

    private void RequireImplicit()
    {
        var caps = Description.Capabilities;
        if (!caps.Implicit)
            throw new ModelRunException(CapabilityErrors.CannotSimulate(Description));
    }

    private void RequireScore()
    {
        var caps = Description.Capabilities;
        if (!caps.Score)
            throw new ModelRunException(CapabilityErrors.NoSimulatorScore(Description));
    }

    private static void Add(Dictionary<string, List<Tensor>> chunks, string name, Tensor value)
    {
        if (!chunks.TryGetValue(name, out var list)) chunks[name] = list = new List<Tensor>();
        list.Add(value.detach().to(CPU).contiguous());
    }

    private static IReadOnlyList<string> ColumnNames(IEnumerable<SiteLayout> sites)
    {
        var names = new List<string>();
        foreach (var s in sites)
        {
            if (s.Shape.Length == 0)
            {
                names.Add(s.Name);
                continue;
            }
            var index = new long[s.Shape.Length];
            for (int k = 0; k < s.Size; k++)
            {
                names.Add($"{s.Name}[{string.Join(",", index)}]");
                for (int d = index.Length - 1; d >= 0; d--)
                {
                    if (++index[d] < s.Shape[d]) break;
                    index[d] = 0;
                }
            }
        }
        return names;
    }
}
