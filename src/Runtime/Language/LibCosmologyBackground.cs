using Ppl.Runtime.Cosmology;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>
/// The background builtins of a `wcdm` cosmology at redshifts z: `hubble_e`, `hubble`, `comoving_distance`,
/// `angular_diameter_distance`, `luminosity_distance`, `distance_modulus` and `growth_factor`. Each reads the cosmology
/// library (<see cref="Background"/>, <see cref="Growth"/>) at a = 1/(1 + z) and returns z's shape, with the batch axis first
/// when the cosmology or z is batched; distances are in Mpc (the library's Mpc/h divided by h).
/// </summary>
public static partial class Lib
{
    /// <summary>`hubble_e(cosmo, z)`: E(z) = H(z)/H0.</summary>
    public static Tensor HubbleE(CosmologyObject cosmo, Ev z) =>
        AtRedshifts(cosmo, z, "hubble_e", (c, a) => Background.ESquaredAligned(c, a).sqrt());

    /// <summary>`hubble(cosmo, z)`: H(z) = 100 h E(z) in km/s/Mpc.</summary>
    public static Tensor Hubble(CosmologyObject cosmo, Ev z) =>
        AtRedshifts(cosmo, z, "hubble", (c, a) =>
            TensorArithmetic.Mul(100.0, c.Column(c.H, a.dim()) * Background.ESquaredAligned(c, a).sqrt()));

    /// <summary>`comoving_distance(cosmo, z)`: χ(z) in Mpc.</summary>
    public static Tensor ComovingDistance(CosmologyObject cosmo, Ev z) =>
        AtRedshifts(cosmo, z, "comoving_distance", (c, a) => ChiMpc(c, a));

    /// <summary>`angular_diameter_distance(cosmo, z)`: d_A = a χ(z) in Mpc (flat).</summary>
    public static Tensor AngularDiameterDistance(CosmologyObject cosmo, Ev z) =>
        AtRedshifts(cosmo, z, "angular_diameter_distance", (c, a) => a * ChiMpc(c, a));

    /// <summary>`luminosity_distance(cosmo, z)`: d_L = χ(z) / a in Mpc (flat).</summary>
    public static Tensor LuminosityDistance(CosmologyObject cosmo, Ev z) =>
        AtRedshifts(cosmo, z, "luminosity_distance", (c, a) => ChiMpc(c, a) / a);

    /// <summary>`distance_modulus(cosmo, z)`: μ = 5 log10(d_L / 10 pc) = 5 log10(d_L / Mpc) + 25.</summary>
    public static Tensor DistanceModulus(CosmologyObject cosmo, Ev z) =>
        AtRedshifts(cosmo, z, "distance_modulus", (c, a) =>
            TensorArithmetic.Add(TensorArithmetic.Mul(5.0, (ChiMpc(c, a) / a).log10()), 25.0));

    /// <summary>`growth_factor(cosmo, z)`: the linear growth factor D(z), D = 1 at z = 0.</summary>
    public static Tensor GrowthFactor(CosmologyObject cosmo, Ev z) =>
        AtRedshifts(cosmo, z, "growth_factor", (c, a) => Growth.Tabulate(c).FactorAligned(a));

    /// <summary>χ in Mpc at scale factors a [B or 1, m]: the library's table (Mpc/h) divided by h.</summary>
    private static Tensor ChiMpc(CosmologyParameters c, Tensor a) =>
        Background.TabulateDistance(c).Interpolate(a) / c.Column(c.H, a.dim());

    /// <summary>
    /// Evaluates <paramref name="f"/> at a = 1/(1 + z) laid out as [B or 1, m] (m the number of z's event elements) against the
    /// cosmology's [B or 1] parameters, and gives the result z's event shape after the batch axis (dropped when neither the
    /// cosmology nor z is batched). z ≤ −1 or NaN has no scale factor: a domain failure naming the builtin.
    /// </summary>
    private static Tensor AtRedshifts(CosmologyObject cosmo, Ev z, string name, Func<CosmologyParameters, Tensor, Tensor> f)
    {
        using var scope = NewDisposeScope();
        var c = cosmo.Parameters;
        var redshifts = z.Value.to(c.DType, c.Device);
        using (no_grad())
        {
            var bad = redshifts.le(ConstantScalars.Of(-1.0)).logical_or(redshifts.isnan());
            if (bad.any().item<bool>())
            {
                double first = redshifts.masked_select(bad)[0].to_type(ScalarType.Float64).item<double>();
                throw new ModelDomainException($"{name}: every redshift z must be greater than -1 (a = 1/(1 + z) > 0), but one is {first}");
            }
        }
        var eventShape = redshifts.shape.Skip(z.Batched ? 1 : 0).ToArray();
        long m = eventShape.Aggregate(1L, (x, y) => x * y);
        var rows = redshifts.reshape(z.Batched ? redshifts.shape[0] : 1, m);
        var a = TensorArithmetic.Div(1.0, TensorArithmetic.Add(rows, 1.0));
        var result = f(c, a); // [B or 1, m]
        bool batched = cosmo.Batched || z.Batched;
        var shape = batched ? new[] { result.shape[0] }.Concat(eventShape).ToArray() : eventShape;
        return result.reshape(shape).MoveToOuterDisposeScope();
    }
}
