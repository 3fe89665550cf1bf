using Ppl.Runtime.Inference;
using Ppl.Runtime.Inference.Diagnostics;
using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// Posterior draws of a model's params: the unconstrained values u [n, Dθ] and their push-forward through the model's
/// bijectors, per param ([n, ...shape]) and as columns [n, K] named like <see cref="Model.ParamColumnNames"/>. Float64,
/// on the CPU.
/// </summary>
public sealed record PosteriorDraws(Tensor Unconstrained, IReadOnlyDictionary<string, Tensor> Params, Tensor Columns, IReadOnlyList<string> ColumnNames)
{
    /// <summary>Number of draws.</summary>
    public long Count => Unconstrained.shape[0];
}

/// <summary>Settings of NLE's posterior sampling by NUTS.</summary>
public sealed record NleSamplingOptions
{
    /// <summary>Chains, batched into one density call per step. Many short chains started by importance resampling
    /// spread over the modes of a multimodal posterior in proportion to their mass.</summary>
    public int Chains { get; init; } = 20;

    /// <summary>Warm-up iterations per chain (step size and diagonal metric adaptation).</summary>
    public int Warmup { get; init; } = 300;

    public int MaxTreeDepth { get; init; } = 10;

    /// <summary>Prior draws scored by the learned likelihood, from which the chains' starting points are resampled.</summary>
    public int InitialCandidates { get; init; } = 2000;

    public ulong Seed { get; init; }
}

/// <summary>NLE's posterior: the draws and the NUTS run that produced them.</summary>
/// <param name="Draws">The draws, interleaved across chains.</param>
/// <param name="Run">The sampler's run (per-chain draws, step sizes, timings).</param>
/// <param name="Divergences">Divergent transitions after warm-up, all chains together.</param>
/// <param name="MaxRHat">The largest rank-normalised split R̂ over the params' unconstrained coordinates (chains in
/// different modes of a multimodal posterior raise it by design).</param>
public sealed record NlePosteriorSample(PosteriorDraws Draws, SamplingRun Run, int Divergences, double MaxRHat);

/// <summary>
/// Sampling the posterior of a model's params from a trained estimator. NPE draws u ~ q(u | x_o) and pushes the
/// draws through the bijectors, so bounded priors are respected by construction (no rejection). NLE runs NUTS on
/// log q(x_o | u) + log p(u), with log p(u) = log p(θ(u)) + log|det ∂θ/∂u| from <see cref="Model.PriorLogDensity"/>.
/// </summary>
public static class ModelPosterior
{
    private const long ConstrainChunk = 20_000;

    /// <summary>Pushes unconstrained draws u [n, Dθ] through the model's bijectors.</summary>
    public static PosteriorDraws FromUnconstrained(Model model, Tensor unconstrained)
    {
        var u = unconstrained.detach().to(ScalarType.Float64, CPU);
        var perParam = model.Params.ToDictionary(p => p.Name, _ => new List<Tensor>());
        long n = u.shape[0];
        for (long start = 0; start < n; start += ConstrainChunk)
        {
            long size = Math.Min(ConstrainChunk, n - start);
            using var scope = NewDisposeScope();
            var values = model.ConstrainParams(u.narrow(0, start, size));
            foreach (var (name, value) in values)
                perParam[name].Add(value.to(ScalarType.Float64, CPU).MoveToOuterDisposeScope());
        }
        var merged = perParam.ToDictionary(kv => kv.Key, kv => kv.Value.Count == 1 ? kv.Value[0] : cat(kv.Value.ToArray(), 0));
        var columns = model.Params.Select(p => merged[p.Name].reshape(n, p.Size)).ToArray();
        return new PosteriorDraws(u, merged, columns.Length == 1 ? columns[0] : cat(columns, 1), model.ParamColumnNames());
    }

    /// <summary>NPE: <paramref name="count"/> draws from q(u | x_o), x_o [1, ...] arranged by the estimator's layout.</summary>
    public static PosteriorDraws SampleNpe(TrainedEstimator estimator, Model model, Tensor observation, long count, ulong seed)
    {
        if (estimator.Kind != EstimatorKind.Posterior) throw new ArgumentException("NPE sampling needs a posterior estimator.", nameof(estimator));
        using var scope = NewDisposeScope();
        var flow = estimator.Flow;
        var context = observation.to(flow.TargetStandardizer.Mean.dtype, flow.TargetStandardizer.Mean.device);
        var u = estimator.Sample(count, context, seed).to(ScalarType.Float64, CPU);
        var draws = FromUnconstrained(model, u);
        draws.Unconstrained.MoveToOuterDisposeScope();
        draws.Columns.MoveToOuterDisposeScope();
        foreach (var t in draws.Params.Values) t.MoveToOuterDisposeScope();
        return draws;
    }

    /// <summary>
    /// NLE: <paramref name="count"/> draws by NUTS on log q(x_o | u) + log p(u). The estimator's flow is converted to
    /// float64 in place (NUTS needs accurate gradients); the model should be bound in float64 too. Chains start at
    /// points resampled from prior draws in proportion to the learned likelihood of x_o.
    /// </summary>
    public static SbiResult<NlePosteriorSample> SampleNle(TrainedEstimator estimator, Model model, Tensor observation, long count,
        NleSamplingOptions options, IProgress<SamplingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (estimator.Kind != EstimatorKind.Likelihood) throw new ArgumentException("NLE sampling needs a likelihood estimator.", nameof(estimator));
        if (options.Chains < 1) return SbiResult<NlePosteriorSample>.Failure(SbiError.InvalidOption, "NLE sampling needs at least one chain.");
        var flow = estimator.Flow.ConvertTo(ScalarType.Float64);
        var device = flow.TargetStandardizer.Mean.device;
        using var xo = observation.detach().to(ScalarType.Float64, device).reshape(1, -1);
        int dimension = model.ParamDimension;

        Tensor LogDensity(Tensor u)
        {
            var x = xo.expand(u.shape[0], xo.shape[1]);
            return TensorArithmetic.Add(flow.LogProb(x, u), model.PriorLogDensity(u).to(ScalarType.Float64, device));
        }

        var starts = ResampledStarts(model, flow, xo, options);
        var fallback = InitialPositions.Uniform(dimension, options.Seed);
        InitialPositionSource initial = (chainId, attempt) =>
            attempt == 0 && chainId - 1 < starts.Count ? (double[])starts[chainId - 1].Clone() : fallback(chainId, attempt);
        var sampling = new SamplingOptions
        {
            Chains = options.Chains,
            NumWarmup = options.Warmup,
            NumSamples = (int)((count + options.Chains - 1) / options.Chains),
            MaxTreeDepth = options.MaxTreeDepth,
            Seed = options.Seed,
        };
        var density = new AutogradLogDensityFunction(dimension, LogDensity, ScalarType.Float64, device);
        var result = HamiltonianSampler.Sample(density, sampling, initial, progress, cancellationToken: cancellation);
        if (!result.IsSuccess)
            return SbiResult<NlePosteriorSample>.Failure(SbiError.PosteriorSamplingFailed, "NUTS on the learned likelihood could not run: " + result.Error!.Message);
        var run = result.Run!;

        // Interleave the chains so that any prefix of the draws has every chain in it.
        int perChain = run.Chains.Min(c => c.Samples.Count);
        if (perChain == 0)
            return SbiResult<NlePosteriorSample>.Failure(SbiError.PosteriorSamplingFailed,
                $"NUTS stopped ({run.StopReason}) before every chain had drawn a sample after warm-up.");
        long kept = Math.Min(count, (long)perChain * run.Chains.Count);
        var flat = new double[kept * dimension];
        long row = 0;
        for (int i = 0; i < perChain && row < kept; i++)
            foreach (var chain in run.Chains)
            {
                if (row >= kept) break;
                Array.Copy(chain.Samples[i].Position, 0, flat, row * dimension, dimension);
                row++;
            }
        using var u = tensor(flat, ScalarType.Float64).reshape(kept, dimension);
        var draws = FromUnconstrained(model, u);
        int divergences = run.Chains.Sum(c => c.Samples.Count(d => d.Divergent));
        double maxRHat = perChain < 4 ? double.NaN : Enumerable.Range(0, dimension)
            .Max(j => ConvergenceDiagnostics.RHat(run.Chains.Select(c => c.Samples.Select(d => d.Position[j]).ToArray()).ToList()));
        return SbiResult<NlePosteriorSample>.Success(new NlePosteriorSample(draws, run, divergences, maxRHat));
    }

    /// <summary>Sampling importance resampling: prior draws weighted by q(x_o | u), chosen without replacement with the
    /// Gumbel-top-k trick (seeded), one per chain.</summary>
    private static List<double[]> ResampledStarts(Model model, Flows.ConditionalFlow flow, Tensor xo, NleSamplingOptions options)
    {
        int candidates = Math.Max(options.InitialCandidates, options.Chains);
        using var scope = NewDisposeScope();
        // Only the params are drawn: the prior's slice of the model, not the forward model.
        var prior = model.SimulateUnconstrainedParams(candidates, options.Seed).to(ScalarType.Float64, xo.device);
        Tensor logWeight;
        using (no_grad())
            logWeight = flow.LogProb(xo.expand(candidates, xo.shape[1]), prior);
        var uniform = new RandomStream(options.Seed, RandomStream.SiteKey("nle.initialisation"), 0, [candidates], ScalarType.Float64, xo.device).Uniform();
        var gumbel = uniform.clamp(ConstantScalars.Of(1e-300), ConstantScalars.Of(1 - 1e-16)).log().neg().log().neg();
        var key = where(logWeight.isfinite().logical_and(prior.isfinite().all(1)), TensorArithmetic.Add(logWeight, gumbel), full_like(logWeight, ConstantScalars.Of(double.NegativeInfinity)));
        var order = key.argsort(descending: true).narrow(0, 0, Math.Min(options.Chains, candidates));
        var chosen = prior.index_select(0, order).cpu();
        var finiteKey = key.index_select(0, order).isfinite().cpu();
        var starts = new List<double[]>();
        for (int i = 0; i < chosen.shape[0]; i++)
        {
            if (!finiteKey[i].item<bool>()) break;
            starts.Add(chosen[i].data<double>().ToArray());
        }
        return starts;
    }
}
