using System.Globalization;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Inference;

/// <summary>Where the initial values that are not given come from.</summary>
public enum InitialValueSource
{
    /// <summary>A draw from the prior (conditioned on the given values), pushed to the unconstrained space.</summary>
    Prior,
    /// <summary>Stan's default: every unconstrained coordinate uniform in (−radius, radius).</summary>
    Uniform,
}

/// <summary>
/// Initial positions of a model's chains in the unconstrained space: given constrained values for some params and
/// latents (the same for every chain, or one per chain along a leading chain axis), the rest from the prior or
/// Stan's uniform(−2, 2). Attempt k of chain c is a pure function of (seed, c, k), so retries after a non-finite
/// density draw new fallback values while the given ones stay fixed.
/// </summary>
public sealed class ModelInitialisation
{
    /// <summary>A sub-stream tag for prior draws, distinct from the sampler's own purposes.</summary>
    private const ulong PriorDrawTag = 0x1A17;

    /// <summary>A sub-stream tag for the prior draws that set a starting metric.</summary>
    private const ulong PriorVarianceTag = 0x1A18;

    private readonly Model _model;
    private readonly ulong _seed;
    private readonly int _firstChainId;
    private readonly InitialValueSource _fallback;
    private readonly double _radius;
    private readonly List<(SiteLayout Site, DataInput Input, bool PerChain)> _given;
    private readonly Dictionary<(int Chain, int Attempt), ModelError> _supportFailures = new();

    private ModelInitialisation(Model model, ulong seed, int firstChainId, InitialValueSource fallback, double radius,
        List<(SiteLayout, DataInput, bool)> given)
    {
        _model = model;
        _seed = seed;
        _firstChainId = firstChainId;
        _fallback = fallback;
        _radius = radius;
        _given = given;
    }

    /// <summary>The names of the sites with given values, in model order.</summary>
    public IReadOnlyList<string> GivenNames => _given.Select(g => g.Site.Name).ToArray();

    /// <summary>
    /// Validates the given values against the model: each must name a param or latent (other names give a warning and
    /// are ignored), hold finite reals, and have the site's shape or [chains, ...shape].
    /// </summary>
    /// <param name="model">The bound model.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="chains">The number of chains (the length of a per-chain leading axis).</param>
    /// <param name="firstChainId">The id of the first chain (row 0 of per-chain values).</param>
    /// <param name="given">Constrained values by site name (float64 or int64 CPU tensors).</param>
    /// <param name="fallback">Where the values not given come from.</param>
    /// <param name="radius">The half-width of the uniform fallback.</param>
    /// <returns>The initialisation and any warnings, or the errors.</returns>
    public static (ModelInitialisation? Initialisation, IReadOnlyList<ModelError> Diagnostics) Create(Model model, ulong seed, int chains,
        int firstChainId, IReadOnlyDictionary<string, DataInput> given, InitialValueSource fallback = InitialValueSource.Prior, double radius = 2.0)
    {
        var diagnostics = new List<ModelError>();
        // A model that cannot be simulated (an improper flat prior) starts where Stan does: uniformly in the
        // unconstrained space.
        if (!model.Description.Capabilities.Implicit) fallback = InitialValueSource.Uniform;
        var accepted = new List<(SiteLayout, DataInput, bool)>();
        var sampled = model.Sites.Where(s => s.InUnconstrainedVector).ToArray();
        foreach (var (name, input) in given)
        {
            var site = sampled.FirstOrDefault(s => s.Name == name);
            if (site is null)
            {
                string what = model.Sites.Any(s => s.Name == name) ? $"observed '{name}'" : $"'{name}'";
                diagnostics.Add(new ModelError(DiagnosticCatalogue.UnknownDataName,
                    $"{what} ({input.Origin}) is not a param or latent of model {model.Description.Name}; its initial value is ignored",
                    SourceLocation.None, Spelling.Suggest(name, sampled.Select(s => s.Name)), IsWarning: true));
                continue;
            }
            var location = site.Description.Location;
            if (input.IsBool)
            {
                diagnostics.Add(new ModelError(DiagnosticCatalogue.DataWrongShape, $"the initial value of '{name}' ({input.Origin}) holds booleans; '{name}' is {site.Description.TypeText}", location));
                continue;
            }
            bool perChain = input.Shape.Length == site.Shape.Length + 1 && input.Shape[0] == chains && input.Shape.Skip(1).SequenceEqual(site.Shape);
            if (!perChain && !input.Shape.SequenceEqual(site.Shape))
            {
                diagnostics.Add(new ModelError(DiagnosticCatalogue.DataWrongShape,
                    $"the initial value of '{name}' ({input.Origin}) has shape {ShapeText(input.Shape)} but '{name}' is {site.Description.TypeText} (shape {ShapeText(site.Shape)})",
                    location, $"give shape {ShapeText(site.Shape)}, or {ShapeText(new long[] { chains }.Concat(site.Shape).ToArray())} for one value per chain"));
                continue;
            }
            using (var values = input.Value.to_type(ScalarType.Float64))
            {
                var flat = values.reshape(-1).data<double>().ToArray();
                int bad = Array.FindIndex(flat, v => !double.IsFinite(v));
                if (bad >= 0)
                {
                    diagnostics.Add(new ModelError(DiagnosticCatalogue.DataNotFinite,
                        $"the initial value of '{name}' ({input.Origin}) is not finite at index {IndexText(bad, input.Shape)} ({flat[bad].ToString(CultureInfo.InvariantCulture)})", location));
                    continue;
                }
            }
            accepted.Add((site, new DataInput(input.Value.to_type(ScalarType.Float64), input.Origin), perChain));
        }
        if (diagnostics.Any(d => !d.IsWarning)) return (null, diagnostics);
        accepted.Sort((a, b) => a.Item1.Index.CompareTo(b.Item1.Index));
        return (new ModelInitialisation(model, seed, firstChainId, fallback, radius, accepted), diagnostics);
    }

    /// <summary>The source the sampler draws initial positions from.</summary>
    public InitialPositionSource Source => Position;

    /// <summary>
    /// Checks that the given values lie inside their supports at the first attempt of every chain; the errors are
    /// located at the site declarations. Call before sampling, so that a bad initial value is an error, not 100
    /// failed attempts.
    /// </summary>
    public IReadOnlyList<ModelError> CheckSupports(int chains)
    {
        if (_given.Count == 0) return Array.Empty<ModelError>();
        var errors = new List<ModelError>();
        for (int k = 0; k < chains; k++)
        {
            Position(_firstChainId + k, 0);
            if (_supportFailures.TryGetValue((_firstChainId + k, 0), out var error) && !errors.Contains(error)) errors.Add(error);
        }
        return errors;
    }

    /// <summary>Attempt <paramref name="attempt"/> of chain <paramref name="chainId"/>: an unconstrained point of length D,
    /// all NaN when a given value is outside its support (the sampler then reports the attempt as failed).</summary>
    public double[] Position(int chainId, int attempt)
    {
        int row = chainId - _firstChainId;
        if (_given.Count == 0 && _fallback == InitialValueSource.Uniform)
            return InitialPositions.Uniform(_model.Dimension, _seed, _radius)(chainId, attempt);

        try
        {
            return GivenOrDrawn(chainId, attempt, row);
        }
        catch (ModelRunException e) when (e.Error.Code == DiagnosticCatalogue.NumericalFailure.Code)
        {
            // A prior draw the model cannot run with (a matrix that is not positive definite, say) is a failed attempt.
            LastFailure = e.Error;
            return Enumerable.Repeat(double.NaN, _model.Dimension).ToArray();
        }
    }

    /// <summary>
    /// The variance of each unconstrained coordinate over <paramref name="draws"/> draws of the prior (one batched
    /// simulation, seeded by the run's seed), each capped at <paramref name="cap"/>: a starting metric that is the unit
    /// metric narrowed where the prior is narrower than the cap (params with informative priors), so that warm-up's
    /// first trajectories are not all spent on the tightest coordinate. Null when a draw is not finite.
    /// </summary>
    public double[]? PriorVariance(int draws, double cap = 1.0)
    {
        if (!_model.Description.Capabilities.Implicit) return null; // an improper prior has no draws

        // In chunks, so that a large model (N = 256 lensing maps) never holds more than a few simulations at once.
        const int Chunk = 20;
        var root = CounterRandom.ForChain(_seed, 0).Substream(PriorVarianceTag);
        var sum = new double[_model.Dimension];          // of v − shift, shift = the first draw (no cancellation)
        var sumSquares = new double[_model.Dimension];
        double[]? shift = null;
        int done = 0;
        for (int chunk = 0; done < draws; chunk++)
        {
            int n = Math.Min(Chunk, draws - done);
            using var scope = NewDisposeScope();
            var simulation = _model.Simulate(new SimulationRequest(n, root.Substream((ulong)chunk).Key) { RecordLets = new HashSet<string>() });
            var values = _model.Sites.Where(s => s.InUnconstrainedVector).ToDictionary(s => s.Name, s => simulation.Values[s.Name]);
            var u = _model.Unconstrain(values).to(ScalarType.Float64, CPU).contiguous();
            var flat = u.data<double>().ToArray();
            shift ??= flat[..sum.Length];
            for (int row = 0; row < n; row++)
                for (int i = 0; i < sum.Length; i++)
                {
                    double v = flat[row * sum.Length + i] - shift[i];
                    if (!double.IsFinite(v)) return null;
                    sum[i] += v;
                    sumSquares[i] += v * v;
                }
            done += n;
        }
        var variance = new double[sum.Length];
        for (int i = 0; i < variance.Length; i++)
        {
            double mean = sum[i] / done;
            double v = done > 1 ? Math.Max(0, (sumSquares[i] - done * mean * mean) / (done - 1)) : 0;
            variance[i] = v > 0 ? Math.Min(v, cap) : cap;
        }
        return variance;
    }

    /// <summary>The latest numerical failure of the model while drawing an initial position.</summary>
    public ModelError? LastFailure { get; private set; }

    private double[] GivenOrDrawn(int chainId, int attempt, int row)
    {
        using var scope = NewDisposeScope();
        var given = _given.ToDictionary(g => g.Site.Name, g => g.PerChain ? g.Input.Value[row] : g.Input.Value);
        var values = _fallback == InitialValueSource.Prior ? PriorDraw(chainId, attempt, given) : UniformDraw(chainId, attempt);
        foreach (var (name, value) in given) values[name] = value.unsqueeze(0);
        var unconstrained = _model.Unconstrain(values);
        if (_given.Count == 0) return unconstrained.to(ScalarType.Float64, CPU).reshape(-1).data<double>().ToArray();

        var back = _model.Constrain(unconstrained);
        foreach (var (site, input, _) in _given)
        {
            var expected = given[site.Name];
            var actual = back[site.Name][0].to(ScalarType.Float64, CPU);
            // The bijectors clamp values outside the support onto its boundary, so a value that does not survive the
            // round trip was outside (or on the boundary of an open support). Inside, the round trip loses only
            // rounding: a few float32 ulps per unit of |u|.
            double tolerance = _model.RealType == ScalarType.Float64 ? 1e-9 : 1e-4;
            var off = (actual - expected).abs().gt(TensorArithmetic.Mul(expected.abs(), tolerance)).reshape(-1);
            if (!off.any().item<bool>()) continue;
            long bad = off.nonzero()[0, 0].item<long>();
            double value = expected.reshape(-1)[bad].item<double>();
            _supportFailures[(chainId, attempt)] = new ModelError(DiagnosticCatalogue.ValueOutOfRange,
                $"the initial value of '{site.Name}' ({input.Origin}) is outside its support {site.Description.SupportText}: " +
                $"{value.ToString(CultureInfo.InvariantCulture)} at index {IndexText(bad, site.Shape)}",
                site.Description.Location, "give a value strictly inside the support, or leave it out to start from the prior");
            return Enumerable.Repeat(double.NaN, _model.Dimension).ToArray();
        }
        return unconstrained.to(ScalarType.Float64, CPU).reshape(-1).data<double>().ToArray();
    }

    /// <summary>Every param and latent drawn from the prior, conditioned on the given values: [1, ...shape] each.</summary>
    private Dictionary<string, Tensor> PriorDraw(int chainId, int attempt, Dictionary<string, Tensor> given)
    {
        ulong key = CounterRandom.ForChain(_seed, chainId).Substream(PriorDrawTag).Substream((ulong)attempt).Key;
        var conditioning = given.ToDictionary(kv => kv.Key, kv => new DataInput(kv.Value, "initial value"));
        var simulation = _model.Simulate(new SimulationRequest(1, key) { Conditioning = conditioning, RecordLets = new HashSet<string>() });
        return _model.Sites.Where(s => s.InUnconstrainedVector).ToDictionary(s => s.Name, s => simulation.Values[s.Name]);
    }

    /// <summary>Every param and latent from a uniform draw in the unconstrained space, mapped to constrained values.</summary>
    private Dictionary<string, Tensor> UniformDraw(int chainId, int attempt)
    {
        var u = InitialPositions.Uniform(_model.Dimension, _seed, _radius)(chainId, attempt);
        return _model.Constrain(tensor(u, new long[] { 1, u.Length }, ScalarType.Float64));
    }

    private static string ShapeText(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string IndexText(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return ShapeText(index);
    }
}
