using Ppl.Runtime.Cosmology;

namespace Ppl.Cosmology.Tests;

/// <summary>
/// The three cosmologies of the reference C_ell. The file names them but does not give them; "low" and "high" were
/// recovered by a Gauss–Newton least-squares fit of ln C_ell (all 15 pairs × 6 ells) over all six parameters
/// (Ω_c, Ω_b, h, n_s, σ_8, w_0), started at the fiducial θ, with our float64 Limber C_ell and finite-difference
/// Jacobians (reproduce with <c>dotnet run --project bench/Cosmology -- fit-reference</c>). Both fits converge in a few
/// iterations to round values with rms residual 3e-7 in ln C (max 8e-7) — float32 noise. A fit over (Ω_c, σ_8)
/// alone stalls at 7.6% ("low") and 3.2% ("high") rms residual, so all six parameters vary:
/// low = fiducial shifted down, high = shifted up, in every parameter.
/// </summary>
public static class ReferenceCosmologies
{
    public static readonly CosmologyValues Fiducial = JaxCosmoReference.Fiducial;

    public static readonly CosmologyValues Low = new(0.20, 0.045, 0.62, 0.92, 0.70, -1.3);

    public static readonly CosmologyValues High = new(0.33, 0.055, 0.72, 1.00, 0.95, -0.7);

    public static CosmologyValues ByName(string name) => name switch
    {
        "fiducial" => Fiducial,
        "low" => Low,
        "high" => High,
        _ => throw new ArgumentException("unknown reference cosmology " + name, nameof(name)),
    };
}
