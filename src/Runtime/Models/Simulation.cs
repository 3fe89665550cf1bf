using static TorchSharp.torch;

namespace Ppl.Runtime.Models;

/// <summary>Which gradient the simulator returns with each simulation.</summary>
public enum ScoreKind
{
    /// <summary>∇θ log p(x, z | θ): the latents' and observations' densities only.</summary>
    Likelihood,
    /// <summary>∇θ log p(θ, z, x): including the prior.</summary>
    Joint,
}

/// <summary>The space the params (and the score) are expressed in.</summary>
public enum ParamSpace
{
    /// <summary>The params as declared (θ).</summary>
    Constrained,
    /// <summary>The unconstrained space of the bijectors (u, with θ = T(u)), where HMC and the flows work.</summary>
    Unconstrained,
}

/// <summary>What to simulate. Conditioning values (params, latents, observed) have the site's shape, or a leading
/// dimension of <see cref="Count"/> giving one value per simulation.</summary>
public sealed record SimulationRequest(long Count, ulong Seed)
{
    /// <summary>Global index of the first simulation (so a run can be split across processes).</summary>
    public long FirstIndex { get; init; }

    public IReadOnlyDictionary<string, DataInput> Conditioning { get; init; } = new Dictionary<string, DataInput>();

    /// <summary>Names of the lets to record; null records every recordable let.</summary>
    public IReadOnlySet<string>? RecordLets { get; init; }

    /// <summary>Also compute the score with respect to the params (in constrained space).</summary>
    public bool Score { get; init; }

    public ScoreKind ScoreKind { get; init; } = ScoreKind.Likelihood;

    /// <summary>The space of the score: constrained θ, or the unconstrained u (then a Joint score also includes
    /// log |det J| of the params' bijectors, so it is the score of the density of u).</summary>
    public ParamSpace ScoreSpace { get; init; } = ParamSpace.Constrained;

    /// <summary>Also return the params mapped to the unconstrained space, [n, Dθ] (see <see cref="Simulation.UnconstrainedParams"/>).</summary>
    public bool UnconstrainedParams { get; init; }

    /// <summary>Simulations per model call; larger amortises per-operation overhead, smaller bounds memory.</summary>
    public long ChunkSize { get; init; } = 1000;

    public IProgress<long>? Progress { get; init; }

    public CancellationToken Cancellation { get; init; }
}

/// <summary>Simulated values on the CPU, batch first: params, latents, observed and recorded lets by name; the score as
/// [n, Dθ] with one column per element of the params (in layout order). <see cref="Completed"/> is smaller than requested
/// when the run was cancelled.</summary>
public sealed record Simulation(
    long Completed,
    IReadOnlyDictionary<string, Tensor> Values,
    IReadOnlyList<string> SiteNames,
    IReadOnlyList<string> LetNames,
    Tensor? Score,
    IReadOnlyList<string> ScoreColumns)
{
    /// <summary>The params in the unconstrained space, [n, Dθ], when requested.</summary>
    public Tensor? UnconstrainedParams { get; init; }
}
