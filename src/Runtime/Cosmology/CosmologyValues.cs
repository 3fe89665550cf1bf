namespace Ppl.Runtime.Cosmology;

/// <summary>One cosmology as plain numbers (flat wCDM with the Linder w0–wa dark energy).</summary>
/// <param name="OmegaC">Cold dark matter density fraction Ω_c.</param>
/// <param name="OmegaB">Baryon density fraction Ω_b.</param>
/// <param name="H">Dimensionless Hubble constant h = H0 / (100 km/s/Mpc).</param>
/// <param name="NS">Primordial spectral index n_s.</param>
/// <param name="Sigma8">Amplitude σ_8 of linear fluctuations in 8 Mpc/h spheres today.</param>
/// <param name="W0">Dark energy equation of state today, w0.</param>
/// <param name="WA">Its linear evolution, w(a) = w0 + wa (1 − a).</param>
public readonly record struct CosmologyValues(double OmegaC, double OmegaB, double H, double NS, double Sigma8, double W0, double WA = 0.0)
{
    /// <summary>jax-cosmo's <c>Planck15</c> defaults (Planck 2015 XIII, table 4, last column).</summary>
    public static CosmologyValues Planck15 => new(0.2589, 0.04860, 0.6774, 0.9667, 0.8159, -1.0, 0.0);

    /// <summary>Total matter density fraction Ω_m = Ω_c + Ω_b.</summary>
    public double OmegaM => OmegaC + OmegaB;
}
