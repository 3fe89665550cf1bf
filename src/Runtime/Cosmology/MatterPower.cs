using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// The linear and halofit matter power spectra of a batch of cosmologies, with the per-cosmology work (growth table,
/// σ_8 normalisation, σ²(R) table for the non-linear scale) done once at construction so that many (k, a) points can
/// be evaluated cheaply. Follows jax-cosmo: P_lin(k, a) = A k^{n_s} T_EH(k)² D(a)² with A fixed by σ_8, and the
/// Takahashi et al. (2012) halofit. Its tensors belong to the dispose scope active when it was built.
/// </summary>
internal sealed class MatterPower
{
    /// <summary>The σ_8 normalisation integral: jax-cosmo integrates over ln k on [−4, 3] (its bounds are log10(10⁻⁴)
    /// and log10(10³) but the integrand exponentiates them with e), Romberg of order 7.</summary>
    private static readonly QuadratureRule SigmaEightRule = QuadratureRule.Romberg(-4.0, 3.0, 7);

    /// <summary>ln k nodes of the halofit integrals: Simpson, 256 intervals over k ∈ [10⁻⁴, 10⁴] h/Mpc.</summary>
    private static readonly QuadratureRule HalofitRule = QuadratureRule.Simpson(Math.Log(1e-4), Math.Log(1e4), 256);

    /// <summary>ln R grid on which the non-linear scale is searched: 256 points on [10⁻⁴, 10] Mpc/h.</summary>
    private static readonly double[] LogRadii = QuadratureRule.Linspace(Math.Log(1e-4), Math.Log(1e1), 256);

    private const double TwoPiSquared = 2.0 * Math.PI * Math.PI;

    private readonly CosmologyParameters _c;
    private readonly Tensor _halofitK;          // [1, nk]
    private readonly Tensor _deltaSquaredToday; // [B, nk] Δ²_lin(k, a = 1) on the halofit k nodes
    private readonly Tensor _sigmaSquaredToday; // [B, nR] σ²(R, a = 1) with a Gaussian window

    public MatterPower(CosmologyParameters c)
    {
        _c = c;
        using var scope = NewDisposeScope();
        GrowthTable = Growth.Tabulate(c);

        var kSigma = tensor(SigmaEightRule.Nodes, dtype: c.DType, device: c.Device).exp().unsqueeze(0);
        var x = kSigma * 8.0;
        var window = 3.0 * (x.sin() - x * x.cos()) / x.pow(3);
        var primordial = kSigma.pow(c.Column(c.NS, 2)) * Transfer.EisensteinHuAligned(c, kSigma).square();
        var integrand = kSigma.pow(3) * window.square() * primordial;
        var weights = tensor(SigmaEightRule.Weights, dtype: c.DType, device: c.Device);
        var sigmaSquared8 = (integrand * weights).sum(1) / TwoPiSquared;
        Normalisation = c.Sigma8.square() / sigmaSquared8;

        _halofitK = tensor(HalofitRule.Nodes, dtype: c.DType, device: c.Device).exp().unsqueeze(0);
        _deltaSquaredToday = LinearAligned(_halofitK, null) * _halofitK.pow(3) / TwoPiSquared;
        // Gaussian-window variance as one matrix product: σ²(R_j) = Σ_m w_m Δ²(k_m) exp(−k_m² R_j²).
        var window2 = new double[HalofitRule.Nodes.Length * LogRadii.Length];
        for (int m = 0; m < HalofitRule.Nodes.Length; m++)
        {
            double k = Math.Exp(HalofitRule.Nodes[m]);
            for (int j = 0; j < LogRadii.Length; j++)
            {
                double kr = k * Math.Exp(LogRadii[j]);
                window2[m * LogRadii.Length + j] = HalofitRule.Weights[m] * Math.Exp(-kr * kr);
            }
        }
        var windowMatrix = tensor(window2, dtype: c.DType, device: c.Device).reshape(HalofitRule.Nodes.Length, LogRadii.Length);
        _sigmaSquaredToday = _deltaSquaredToday.matmul(windowMatrix);

        GrowthTable.MoveToOuterDisposeScope();
        Normalisation.MoveToOuterDisposeScope();
        _halofitK.MoveToOuterDisposeScope();
        _deltaSquaredToday.MoveToOuterDisposeScope();
        _sigmaSquaredToday.MoveToOuterDisposeScope();
    }

    /// <summary>The growth table used for D(a).</summary>
    public GrowthTable GrowthTable { get; }

    /// <summary>σ_8² / σ²(8 Mpc/h) of the unnormalised spectrum, [B].</summary>
    public Tensor Normalisation { get; }

    /// <summary>
    /// P_lin at k [B or 1, …] (h/Mpc) with D(a)² given as <paramref name="growthSquared"/> broadcastable to k
    /// (null means a = 1); returns [B, …] in (Mpc/h)³.
    /// </summary>
    public Tensor LinearAligned(Tensor k, Tensor? growthSquared)
    {
        using var scope = NewDisposeScope();
        long r = k.dim();
        var pk = _c.Column(Normalisation, r) * k.pow(_c.Column(_c.NS, r)) * Transfer.EisensteinHuAligned(_c, k).square();
        if (growthSquared is not null) pk = pk * growthSquared;
        return pk.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The halofit quantities at scale factors a [B or 1, m]: non-linear scale k_nl where σ(R = 1/k_nl, a) = 1 with a
    /// Gaussian window, effective index n_eff and curvature C, each [B, m]. The root is read off the tabulated σ²(R)
    /// the way jax-cosmo's nearest-neighbour interpolation does (see <see cref="RootOfUnitVariance"/>).
    /// </summary>
    public HalofitScales ScalesAt(Tensor a)
    {
        using var scope = NewDisposeScope();
        var growthSquared = GrowthTable.FactorAligned(a).square();         // [B, m]
        var sigmaSquared = growthSquared.unsqueeze(-1) * _sigmaSquaredToday.unsqueeze(1); // [B, m, nR]
        var logR = RootOfUnitVariance(sigmaSquared);
        var kNl = 1.0 / logR.exp().clamp_min(1e-6);                       // [B, m]

        var y = _halofitK.unsqueeze(0) / kNl.unsqueeze(-1);                // [B, m, nk]
        var y2 = y.square();
        var weights = tensor(HalofitRule.Weights, dtype: _c.DType, device: _c.Device);
        var res = (_deltaSquaredToday * weights).unsqueeze(1) * growthSquared.unsqueeze(-1) * (-y2).exp();
        var first = (2.0 * res * y2).sum(-1);
        var second = (4.0 * res * (y2 - y2.square())).sum(-1);
        var nEff = first - 3.0;
        var curvature = first.square() + second;
        var scales = new HalofitScales(kNl, nEff, curvature, growthSquared);
        scales.MoveToOuterDisposeScope();
        return scales;
    }

    /// <summary>
    /// Takahashi et al. (2012) halofit P_nl at k [B or 1, …, m] whose last axis matches the m scale factors
    /// <paramref name="a"/> [B or 1, m] the <paramref name="scales"/> were computed at. Returns [B, …, m].
    /// </summary>
    public Tensor HalofitAligned(Tensor k, Tensor a, HalofitScales scales)
    {
        using var scope = NewDisposeScope();
        long r = k.dim();
        // Per-scale-factor coefficients, viewed as [B, 1, …, 1, m].
        Tensor PerA(Tensor t) => t.reshape(AlignLast(t.shape[0], t.shape[^1], r));
        var n = scales.NEff;
        var cc = scales.Curvature;
        var omegaM = Background.OmegaMatterAligned(_c, a);
        var omegaDe = Background.OmegaDarkEnergyAligned(_c, a);
        var w = Background.WAligned(_c, a);
        var de = omegaDe * (1.0 + w);
        var n2 = n.square();
        var n3 = n2 * n;
        var n4 = n2.square();
        var an = PerA(Pow10(1.5222 + 2.8553 * n + 2.3706 * n2 + 0.9903 * n3 + 0.2250 * n4 - 0.6038 * cc + 0.1749 * de));
        var bn = PerA(Pow10(-0.5642 + 0.5864 * n + 0.5716 * n2 - 1.5474 * cc + 0.2279 * de));
        var cn = Pow10(0.3698 + 2.0404 * n + 0.8161 * n2 + 0.5869 * cc);
        var gamma = 0.1971 - 0.0843 * n + 0.8460 * cc;
        var alpha = PerA((6.0835 + 1.3373 * n - 0.1959 * n2 - 5.5274 * cc).abs());
        var beta = PerA(2.0379 - 0.7354 * n + 0.3157 * n2 + 1.2490 * n3 + 0.3980 * n4 - 0.1682 * cc);
        var nu = PerA(Pow10(5.2105 + 3.6902 * n));
        var f1 = PerA(3.0 * omegaM.pow(-0.0307));
        var f2 = PerA(omegaM.pow(-0.0585));
        var cf3 = PerA(cn * omegaM.pow(0.0743));
        var threeMinusGamma = PerA(3.0 - gamma);
        var kNl = PerA(scales.KNonLinear);

        var k3 = k.pow(3);
        var deltaLinear = LinearAligned(k, PerA(scales.GrowthSquared)) * k3 / TwoPiSquared;
        var y = k / kNl;
        var quasiLinear = deltaLinear * (1.0 + deltaLinear).pow(beta) / (1.0 + alpha * deltaLinear)
                          * (-(y / 4.0 + y.square() / 8.0)).exp();
        var haloPrime = an * y.pow(f1) / (1.0 + bn * y.pow(f2) + (cf3 * y).pow(threeMinusGamma));
        var halo = haloPrime / (1.0 + nu / y.square());
        return (TwoPiSquared / k3 * (quasiLinear + halo)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ln R at which σ²(R) = 1, for σ² [B, m, nR] tabulated on <see cref="LogRadii"/>. Reproduces jax-cosmo's
    /// <c>interp(1, σ², ln R)</c> on this decreasing table: take the nearest node i (clipped to 1 … nR−2), then the
    /// neighbour on the side given by sign(clip(1, σ²₁, σ²_{nR−2}) − σ²_i) (clip applied as min(max(·))), and
    /// extend the line through the two. Differentiable in σ² (the node choice is piecewise constant).
    /// </summary>
    internal Tensor RootOfUnitVariance(Tensor sigmaSquared)
    {
        using var scope = NewDisposeScope();
        long nR = LogRadii.Length;
        var index = (1.0 - sigmaSquared).square().argmin(-1, keepdim: true).clamp(1, nR - 2);
        var xi = sigmaSquared.gather(-1, index);
        var low = sigmaSquared.narrow(-1, 1, 1);
        var high = sigmaSquared.narrow(-1, nR - 2, 1);
        var clipped = torch.minimum(low.clamp_min(1.0), high);
        var side = where((clipped - xi).sign() < 0, -1L, 1L);
        var neighbour = index + side;
        var xn = sigmaSquared.gather(-1, neighbour);
        var logR = tensor(LogRadii, dtype: _c.DType, device: _c.Device);
        var fi = logR.take(index);
        var fn = logR.take(neighbour);
        var slope = (fn - fi) / (xn - xi);
        return (fi + slope * (1.0 - xi)).squeeze(-1).MoveToOuterDisposeScope();
    }

    private static Tensor Pow10(Tensor x) => (x * Math.Log(10.0)).exp();

    private static long[] AlignLast(long batch, long m, long rank)
    {
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        shape[0] = batch;
        shape[rank - 1] = m;
        return shape;
    }
}
