using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Background expansion of a flat wCDM universe without radiation (jax-cosmo's conventions):
/// E²(a) = Ω_m a⁻³ + Ω_de e^{f(a)}, f(a) = −3(1 + w0 + wa) ln a + 3 wa (a − 1).
/// Scale-factor arguments are [n] (shared by the batch) or [B, n]; results are [B, n].
/// Distances are in Mpc/h.
/// </summary>
public static class Background
{
    /// <summary>Scale factors of the distance table: 256 points evenly spaced in log a on [10⁻³, 1], as jax-cosmo tabulates.</summary>
    public static readonly double[] DistanceTableScaleFactors = LogSpace(-3.0, 0.0, 256);

    /// <summary>Dark energy equation of state w(a) = w0 + wa (1 − a).</summary>
    public static Tensor W(CosmologyParameters c, Tensor a) => WAligned(c, c.Batched(a, nameof(a)));

    /// <summary>E²(a) = H²(a) / H0².</summary>
    public static Tensor ESquared(CosmologyParameters c, Tensor a) => ESquaredAligned(c, c.Batched(a, nameof(a)));

    /// <summary>E(a) = H(a) / H0.</summary>
    public static Tensor E(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        return ESquared(c, a).sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>Matter density parameter at a, Ω_m a⁻³ / E²(a).</summary>
    public static Tensor OmegaMatterAt(CosmologyParameters c, Tensor a) => OmegaMatterAligned(c, c.Batched(a, nameof(a)));

    /// <summary>Dark energy density parameter at a, Ω_de e^{f(a)} / E²(a).</summary>
    public static Tensor OmegaDarkEnergyAt(CosmologyParameters c, Tensor a) => OmegaDarkEnergyAligned(c, c.Batched(a, nameof(a)));

    /// <summary>dχ/da = R_H / (a² E(a)) in Mpc/h.</summary>
    public static Tensor DChiDa(CosmologyParameters c, Tensor a) => DChiDaAligned(c, c.Batched(a, nameof(a)));

    /// <summary>Radial comoving distance χ(a) = R_H ∫_a^1 da' / (a'² E(a')), read from the tabulated integral.</summary>
    public static Tensor RadialComovingDistance(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        return TabulateDistance(c).RadialComovingDistance(a).MoveToOuterDisposeScope();
    }

    /// <summary>Transverse comoving distance; equal to the radial one in a flat universe.</summary>
    public static Tensor TransverseComovingDistance(CosmologyParameters c, Tensor a) => RadialComovingDistance(c, a);

    /// <summary>Angular-diameter distance d_A = a f_k(a).</summary>
    public static Tensor AngularDiameterDistance(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        var aa = c.Batched(a, nameof(a));
        return (aa * TabulateDistance(c).Interpolate(aa)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Tabulates χ at <see cref="DistanceTableScaleFactors"/> the way jax-cosmo does: classical RK4 in ln a from a = 10⁻³,
    /// which for an integrand independent of χ is Simpson's rule on each step, then χ(a) = I(1) − I(a).
    /// </summary>
    public static DistanceTable TabulateDistance(CosmologyParameters c)
    {
        using var scope = NewDisposeScope();
        var nodes = DistanceTableScaleFactors;
        int n = nodes.Length;
        var lnA = nodes.Select(x => Math.Log(x)).ToArray();
        var mids = new double[n - 1];
        var steps = new double[n - 1];
        for (int i = 0; i < n - 1; i++)
        {
            steps[i] = lnA[i + 1] - lnA[i];
            mids[i] = Math.Exp(lnA[i] + steps[i] / 2.0);
        }
        var points = tensor(nodes.Concat(mids).ToArray(), dtype: c.DType, device: c.Device).unsqueeze(0);
        // dχ/dln a = a dχ/da = R_H / (a E(a))
        var integrand = TensorArithmetic.Div(CosmologyConstants.HubbleRadius, (points * ESquaredAligned(c, points).sqrt()));
        var atNodes = integrand.narrow(1, 0, n);
        var atMids = integrand.narrow(1, n, n - 1);
        var h = tensor(steps, dtype: c.DType, device: c.Device);
        var segments = TensorArithmetic.Div(h, 6.0) * (TensorArithmetic.Add(TensorArithmetic.Add(atNodes.narrow(1, 0, n - 1), TensorArithmetic.Mul(4.0, atMids)), atNodes.narrow(1, 1, n - 1)));
        var cumulative = cat(new[] { zeros(c.BatchSize, 1, dtype: c.DType, device: c.Device), segments.cumsum(1) }, 1);
        var chi = cumulative.narrow(1, n - 1, 1) - cumulative;
        var table = new DistanceTable(tensor(nodes, dtype: c.DType, device: c.Device), chi);
        table.MoveToOuterDisposeScope();
        return table;
    }

    internal static Tensor WAligned(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        long r = a.dim();
        return (TensorArithmetic.Add(c.Column(c.W0, r), (TensorArithmetic.Sub(1.0, a)) * c.Column(c.WA, r))).MoveToOuterDisposeScope();
    }

    /// <summary>The dark energy density evolution f(a), ρ_de(a) = ρ_de(1) e^{f(a)}.</summary>
    internal static Tensor DarkEnergyExponentAligned(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        long r = a.dim();
        var w0 = c.Column(c.W0, r);
        var wa = c.Column(c.WA, r);
        return (TensorArithmetic.Add(TensorArithmetic.Mul(-3.0, (TensorArithmetic.Add(TensorArithmetic.Add(1.0, w0), wa))) * a.log(), TensorArithmetic.Mul(3.0, wa) * (TensorArithmetic.Sub(a, 1.0)))).MoveToOuterDisposeScope();
    }

    internal static Tensor ESquaredAligned(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        long r = a.dim();
        var omegaM = c.Column(c.OmegaM, r);
        var matter = omegaM * a.pow(ConstantScalars.Of(-3.0));
        var darkEnergy = (TensorArithmetic.Sub(1.0, omegaM)) * DarkEnergyExponentAligned(c, a).exp();
        return (TensorArithmetic.Add(matter, darkEnergy)).MoveToOuterDisposeScope();
    }

    internal static Tensor OmegaMatterAligned(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        return (c.Column(c.OmegaM, a.dim()) * a.pow(ConstantScalars.Of(-3.0)) / ESquaredAligned(c, a)).MoveToOuterDisposeScope();
    }

    internal static Tensor OmegaDarkEnergyAligned(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        var omegaDe = TensorArithmetic.Sub(1.0, c.Column(c.OmegaM, a.dim()));
        return (omegaDe * DarkEnergyExponentAligned(c, a).exp() / ESquaredAligned(c, a)).MoveToOuterDisposeScope();
    }

    internal static Tensor DChiDaAligned(CosmologyParameters c, Tensor a)
    {
        using var scope = NewDisposeScope();
        return (TensorArithmetic.Div(CosmologyConstants.HubbleRadius, (TensorArithmetic.Square(a) * ESquaredAligned(c, a).sqrt()))).MoveToOuterDisposeScope();
    }

    /// <summary>n points evenly spaced in log10 between 10^start and 10^stop, as numpy.logspace.</summary>
    internal static double[] LogSpace(double start, double stop, int n) =>
        QuadratureRule.Linspace(start, stop, n).Select(e => Math.Pow(10.0, e)).ToArray();
}
