using System.Text.Json;
using Ppl.Runtime.Cosmology;
using Ppl.Tests.Shared;

namespace Ppl.Cosmology.Tests;

/// <summary>The jax-cosmo (float32) reference numbers for the LSST Y10 set-up, read from reference/cosmology/jax_cosmo_lsst_y10.json.</summary>
public sealed class JaxCosmoReference
{
    /// <summary>The fiducial θ of the LSST Y10 log-normal model (science.md §1), with w_a = 0.</summary>
    public static readonly CosmologyValues Fiducial = new(0.2664, 0.0492, 0.6727, 0.9645, 0.831, -1.0);

    private static readonly Lazy<JaxCosmoReference> Cached = new(() => new JaxCosmoReference(ReferenceData.PathOf("cosmology", "jax_cosmo_lsst_y10.json")));

    public static JaxCosmoReference Load() => Cached.Value;

    private JaxCosmoReference(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        double[] Vector(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();
        ScaleFactors = Vector(root.GetProperty("a"));
        RadialComovingDistance = Vector(root.GetProperty("radial_comoving_distance_Mpc_over_h"));
        GrowthFactor = Vector(root.GetProperty("growth_factor"));
        K = Vector(root.GetProperty("k_h_per_Mpc"));
        LinearPowerA1 = Vector(root.GetProperty("pk_linear_a1.0"));
        HalofitPowerA1 = Vector(root.GetProperty("pk_halofit_a1.0"));
        LinearPowerA05 = Vector(root.GetProperty("pk_linear_a0.5"));
        HalofitPowerA05 = Vector(root.GetProperty("pk_halofit_a0.5"));
        GalaxiesPerArcmin2 = Vector(root.GetProperty("bin_gals_per_arcmin2"));
        BinEdges = root.GetProperty("bin_zbounds").EnumerateArray().Select(Vector).ToArray();
        Ell = Vector(root.GetProperty("ell"));
        Cl = root.GetProperty("cl_15pairs_upper_triangle_order").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(Vector).ToArray());
        FiducialShifts = Vector(root.GetProperty("shift_fiducial_as_sbi_lens"));
    }

    public double[] ScaleFactors { get; }
    public double[] RadialComovingDistance { get; }
    public double[] GrowthFactor { get; }
    public double[] K { get; }
    public double[] LinearPowerA1 { get; }
    public double[] HalofitPowerA1 { get; }
    public double[] LinearPowerA05 { get; }
    public double[] HalofitPowerA05 { get; }
    public double[] GalaxiesPerArcmin2 { get; }
    public double[][] BinEdges { get; }
    public double[] Ell { get; }

    /// <summary>C_ell per cosmology name ("fiducial", "low", "high"): [15 pairs][ells].</summary>
    public Dictionary<string, double[][]> Cl { get; }

    public double[] FiducialShifts { get; }
}
