using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>
/// The language's `cosmology` value (made by `wcdm`): a batch of B flat wCDM cosmologies when any parameter depends on a
/// random variable, or a single one computed from data (held as a batch of one). Its fields are the parameters, [B] when
/// batched and scalars otherwise, so that generated code can use them like any other value.
/// </summary>
public sealed class CosmologyObject
{
    /// <param name="parameters">The cosmologies; B = 1 for an unbatched one.</param>
    /// <param name="batched">Whether the value carries the model's batch dimension.</param>
    public CosmologyObject(CosmologyParameters parameters, bool batched)
    {
        if (!batched && parameters.BatchSize != 1)
            throw new ArgumentException("An unbatched cosmology holds exactly one set of parameters.", nameof(parameters));
        Parameters = parameters;
        Batched = batched;
    }

    /// <summary>The cosmologies as the cosmology library takes them ([B] tensors).</summary>
    public CosmologyParameters Parameters { get; }

    /// <summary>Whether results carry the batch dimension first.</summary>
    public bool Batched { get; }

    /// <summary>Ω_c.</summary>
    public Tensor OmegaC => Field(Parameters.OmegaC);

    /// <summary>Ω_b.</summary>
    public Tensor OmegaB => Field(Parameters.OmegaB);

    /// <summary>Ω_m = Ω_c + Ω_b.</summary>
    public Tensor OmegaM => Field(Parameters.OmegaM);

    /// <summary>h.</summary>
    public Tensor H => Field(Parameters.H);

    /// <summary>n_s.</summary>
    public Tensor NS => Field(Parameters.NS);

    /// <summary>σ_8.</summary>
    public Tensor Sigma8 => Field(Parameters.Sigma8);

    /// <summary>w_0.</summary>
    public Tensor W0 => Field(Parameters.W0);

    /// <summary>w_a.</summary>
    public Tensor WA => Field(Parameters.WA);

    /// <summary>A result of the library, [B, ...]: kept as is when batched, its batch axis of one dropped otherwise.</summary>
    internal Tensor Result(Tensor batchFirst) => Batched ? batchFirst : batchFirst.squeeze(0);

    private Tensor Field(Tensor parameter) => Result(parameter);
}
