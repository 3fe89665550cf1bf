namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Physical constants with the values jax-cosmo uses, so that our numbers agree with the published pipelines
/// to the precision of the reference data.
/// </summary>
public static class CosmologyConstants
{
    /// <summary>Speed of light in km/s.</summary>
    public const double SpeedOfLight = 299792.458;

    /// <summary>Hubble radius c/H0 in Mpc/h.</summary>
    public const double HubbleRadius = 2997.92458;

    /// <summary>Hubble constant in km/s/(Mpc/h).</summary>
    public const double H0 = 100.0;

    /// <summary>CMB temperature today in K (the Eisenstein–Hu fits take it as Θ = T/2.7 K).</summary>
    public const double CmbTemperature = 2.726;

    /// <summary>Square arcminutes in one steradian, (180·60/π)².</summary>
    public const double ArcminSquaredPerSteradian = 11818102.86004228;
}
