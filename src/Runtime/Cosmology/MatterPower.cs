using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

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

    /// <summary>Gaussian-window matrix w_m exp(−k_m² R_j²) of σ²(R_j) = Σ_m w_m Δ²(k_m) exp(−k_m² R_j²), [nk, nR].</summary>
    private static readonly double[] GaussianWindow = BuildGaussianWindow();

    internal const double TwoPiSquared = 2.0 * Math.PI * Math.PI;
    private static readonly double Ln10 = Math.Log(10.0);

    private readonly CosmologyParameters _c;
    private readonly Tensor _negativeKSquared;    // [1, 1, nk]: −k_m²
    private readonly Tensor _weightedDeltaToday;  // [B, nk, 1]: w_m Δ²_lin(k_m, a = 1)
    private readonly Tensor _sigmaSquaredToday;   // [B, nR]: σ²(R_j, a = 1), decreasing in R

    public MatterPower(CosmologyParameters c)
    {
        _c = c;
        using var scope = NewDisposeScope();
        GrowthTable = Growth.Tabulate(c);

        var kSigma = tensor(SigmaEightRule.Nodes, dtype: c.DType, device: c.Device).exp().unsqueeze(0);
        var x = TensorArithmetic.Mul(kSigma, 8.0);
        var window = TensorArithmetic.Mul(3.0, (x.sin() - x * x.cos())) / x.pow(ConstantScalars.Of(3));
        var primordial = kSigma.pow(c.Column(c.NS, 2)) * TensorArithmetic.Square(Transfer.EisensteinHuAligned(c, kSigma));
        var integrand = kSigma.pow(ConstantScalars.Of(3)) * TensorArithmetic.Square(window) * primordial;
        var weights = tensor(SigmaEightRule.Weights, dtype: c.DType, device: c.Device);
        var sigmaSquared8 = TensorArithmetic.Div((integrand * weights).sum(1), TwoPiSquared);
        Normalisation = TensorArithmetic.Square(c.Sigma8) / sigmaSquared8;

        var halofitK = tensor(HalofitRule.Nodes, dtype: c.DType, device: c.Device).exp().unsqueeze(0);
        var deltaToday = TensorArithmetic.Div(LinearAligned(halofitK, null) * halofitK.pow(ConstantScalars.Of(3)), TwoPiSquared);        // [B, nk]
        var windowMatrix = tensor(GaussianWindow, dtype: c.DType, device: c.Device).reshape(HalofitRule.Nodes.Length, LogRadii.Length);
        _sigmaSquaredToday = deltaToday.matmul(windowMatrix);
        _weightedDeltaToday = (deltaToday * tensor(HalofitRule.Weights, dtype: c.DType, device: c.Device)).unsqueeze(-1);
        _negativeKSquared = -TensorArithmetic.Square(halofitK).unsqueeze(0);

        GrowthTable.MoveToOuterDisposeScope();
        Normalisation.MoveToOuterDisposeScope();
        _negativeKSquared.MoveToOuterDisposeScope();
        _weightedDeltaToday.MoveToOuterDisposeScope();
        _sigmaSquaredToday.MoveToOuterDisposeScope();
    }

    /// <summary>The growth table used for D(a).</summary>
    public GrowthTable GrowthTable { get; }

    /// <summary>σ_8² / σ²(8 Mpc/h) of the unnormalised spectrum, [B].</summary>
    public Tensor Normalisation { get; }

    /// <summary>
    /// P_lin at k [B or 1, …] (h/Mpc) with D(a)² given as <paramref name="growthSquared"/> broadcastable to k
    /// (null means a = 1); returns [B, …] in (Mpc/h)³. Evaluates Eisenstein–Hu at every k.
    /// </summary>
    public Tensor LinearAligned(Tensor k, Tensor? growthSquared)
    {
        using var scope = NewDisposeScope();
        long r = k.dim();
        var pk = _c.Column(Normalisation, r) * k.pow(_c.Column(_c.NS, r)) * TensorArithmetic.Square(Transfer.EisensteinHuAligned(_c, k));
        if (growthSquared is not null) pk = pk * growthSquared;
        return pk.MoveToOuterDisposeScope();
    }

    /// <summary>ln Δ²_lin(k, a = 1) tabulated on <see cref="LogPowerTable"/>'s ln k grid (Eisenstein–Hu at the nodes).</summary>
    public LogPowerTable TabulateLogDeltaSquared()
    {
        using var scope = NewDisposeScope();
        using var keptScalar12 = LogPowerTable.NodeCount.ToScalar();
        var logK = (TensorArithmetic.Add(TensorArithmetic.Mul(arange(ConstantScalars.Of(0), keptScalar12, ConstantScalars.Of(1), dtype: ScalarType.Float64), LogPowerTable.Step), LogPowerTable.LogKMin))
            .to(_c.DType, _c.Device).unsqueeze(0);
        var k = logK.exp();
        var transfer = Transfer.EisensteinHuAligned(_c, k);
        var values = TensorArithmetic.Sub(TensorArithmetic.Add(TensorArithmetic.Add(_c.Column(Normalisation, 2).log(), (TensorArithmetic.Add(_c.Column(_c.NS, 2), 3.0)) * logK), TensorArithmetic.Square(transfer).log()), Math.Log(TwoPiSquared));
        var table = new LogPowerTable(values.expand(_c.BatchSize, -1).contiguous());
        table.Values.MoveToOuterDisposeScope();
        return table;
    }

    /// <summary>
    /// The halofit coefficients at scale factors a [B or 1, m]. The non-linear scale is read off the tabulated σ²(R)
    /// as jax-cosmo's nearest-neighbour interpolation does (see <see cref="LogRootOfUnitVariance"/>); n_eff and C are
    /// its Simpson integrals on the same k nodes.
    /// </summary>
    public HalofitCoefficients CoefficientsAt(Tensor a)
    {
        using var scope = NewDisposeScope();
        var growthSquared = TensorArithmetic.Square(GrowthTable.FactorAligned(a));                     // [B, m]
        using var keptScalar8 = (Math.Log(1e-6)).ToScalar();
        var logKnl = -LogRootOfUnitVariance(growthSquared).clamp_min(keptScalar8);  // k_nl = 1 / max(R_nl, 1e-6)

        // With z = −y² = −k²/k_nl²: n_eff + 3 = −2 D² Σ w Δ² z e^z, C = (n_eff + 3)² − 4 D² Σ w Δ² (z + z²) e^z.
        var z = _negativeKSquared * (TensorArithmetic.Mul(-2.0, logKnl)).exp().unsqueeze(-1);        // [B, m, nk]
        var ze = z * z.exp();
        var first = TensorArithmetic.Mul(-2.0, growthSquared) * ze.matmul(_weightedDeltaToday).squeeze(-1);
        var second = TensorArithmetic.Mul(-4.0, growthSquared) * addcmul(ze, ze, z, ConstantScalars.Of(1.0)).matmul(_weightedDeltaToday).squeeze(-1);
        var n = TensorArithmetic.Sub(first, 3.0);
        var curvature = TensorArithmetic.Add(TensorArithmetic.Square(first), second);

        var omegaM = Background.OmegaMatterAligned(_c, a);
        var darkEnergy = Background.OmegaDarkEnergyAligned(_c, a) * (TensorArithmetic.Add(1.0, Background.WAligned(_c, a)));
        var n2 = TensorArithmetic.Square(n);
        var n3 = n2 * n;
        var n4 = TensorArithmetic.Square(n2);
        var logOmegaM = omegaM.log();
        var logCn = TensorArithmetic.Mul(Ln10, (TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Add(0.3698, TensorArithmetic.Mul(2.0404, n)), TensorArithmetic.Mul(0.8161, n2)), TensorArithmetic.Mul(0.5869, curvature))));
        var coefficients = new HalofitCoefficients
        {
            LogKNonLinear = logKnl,
            LogGrowthSquared = growthSquared.log(),
            NEff = n,
            Curvature = curvature,
            LogA = TensorArithmetic.Mul(Ln10, (TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Add(1.5222, TensorArithmetic.Mul(2.8553, n)), TensorArithmetic.Mul(2.3706, n2)), TensorArithmetic.Mul(0.9903, n3)), TensorArithmetic.Mul(0.2250, n4)) - TensorArithmetic.Mul(0.6038, curvature), TensorArithmetic.Mul(0.1749, darkEnergy)))),
            LogB = TensorArithmetic.Mul(Ln10, (TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Add(-0.5642, TensorArithmetic.Mul(0.5864, n)), TensorArithmetic.Mul(0.5716, n2)) - TensorArithmetic.Mul(1.5474, curvature), TensorArithmetic.Mul(0.2279, darkEnergy)))),
            LogCF3 = TensorArithmetic.Add(logCn, TensorArithmetic.Mul(0.0743, logOmegaM)),
            ThreeMinusGamma = TensorArithmetic.Sub(3.0, (TensorArithmetic.Add(TensorArithmetic.Sub(0.1971, TensorArithmetic.Mul(0.0843, n)), TensorArithmetic.Mul(0.8460, curvature)))),
            Alpha = (TensorArithmetic.Add(6.0835, TensorArithmetic.Mul(1.3373, n)) - TensorArithmetic.Mul(0.1959, n2) - TensorArithmetic.Mul(5.5274, curvature)).abs(),
            Beta = TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Sub(2.0379, TensorArithmetic.Mul(0.7354, n)), TensorArithmetic.Mul(0.3157, n2)), TensorArithmetic.Mul(1.2490, n3)), TensorArithmetic.Mul(0.3980, n4)) - TensorArithmetic.Mul(0.1682, curvature),
            LogNu = TensorArithmetic.Mul(Ln10, (TensorArithmetic.Add(5.2105, TensorArithmetic.Mul(3.6902, n)))),
            ThreeF1 = TensorArithmetic.Mul(3.0, (TensorArithmetic.Mul(-0.0307, logOmegaM)).exp()),
            F2 = (TensorArithmetic.Mul(-0.0585, logOmegaM)).exp(),
        };
        coefficients.MoveToOuterDisposeScope();
        return coefficients;
    }

    /// <summary>
    /// Halofit's non-linear Δ²_nl = k³ P_nl / 2π² from ln k and ln Δ²_lin(k, a) (both [B or 1, …, m], the last axis
    /// matching the m scale factors of <paramref name="h"/>); returns [B, …, m]. Written in logarithms so that each
    /// power of y costs one multiply-add and one exp.
    /// </summary>
    public static Tensor NonLinearDeltaSquared(Tensor logK, Tensor logDeltaLinear, HalofitCoefficients h)
    {
        using var scope = NewDisposeScope();
        long rank = Math.Max(logK.dim(), logDeltaLinear.dim());
        Tensor At(Tensor t) => AlignLast(t, rank);
        var logY = logK - At(h.LogKNonLinear);
        var y = logY.exp();
        var deltaLinear = logDeltaLinear.exp();
        // Δ_q = Δ_lin (1 + Δ_lin)^β / (1 + α Δ_lin) · exp(−y/4 − y²/8)
        var exponent = addcmul(logDeltaLinear, At(h.Beta), deltaLinear.log1p(), ConstantScalars.Of(1.0)) - addcmul(TensorArithmetic.Mul(0.25, y), y, y, ConstantScalars.Of(0.125));
        var quasiLinear = exponent.exp() / (TensorArithmetic.Add(At(h.Alpha) * deltaLinear, 1.0));
        // Δ_h = a y^{3 f1} / (1 + b y^{f2} + (c f3 y)^{3−γ}) / (1 + ν / y²)
        var numerator = addcmul(At(h.LogA), At(h.ThreeF1), logY, ConstantScalars.Of(1.0)).exp();
        var denominator = TensorArithmetic.Add(TensorArithmetic.Add(addcmul(At(h.LogB), At(h.F2), logY, ConstantScalars.Of(1.0)).exp(), addcmul(At(h.ThreeMinusGamma * h.LogCF3), At(h.ThreeMinusGamma), logY, ConstantScalars.Of(1.0)).exp()), 1.0);
        var halo = numerator / (denominator * (TensorArithmetic.Add(At(h.LogNu).add(logY, ConstantScalars.Of(-2.0)).exp(), 1.0)));
        return (TensorArithmetic.Add(quasiLinear, halo)).MoveToOuterDisposeScope();
    }

    /// <summary>Halofit P_nl at k [B or 1, …, m] paired with the m scale factors of <paramref name="h"/>, Eisenstein–Hu evaluated at each k.</summary>
    public Tensor HalofitAligned(Tensor k, HalofitCoefficients h)
    {
        using var scope = NewDisposeScope();
        var logK = k.log();
        var logDelta = TensorArithmetic.Add(TensorArithmetic.Sub(TensorArithmetic.Add(LinearAligned(k, null).log(), TensorArithmetic.Mul(3.0, logK)), Math.Log(TwoPiSquared)), AlignLast(h.LogGrowthSquared, k.dim()));
        return (TensorArithmetic.Mul(TwoPiSquared, (TensorArithmetic.Mul(-3.0, logK)).exp()) * NonLinearDeltaSquared(logK, logDelta, h)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ln R at which σ²(R, a) = D(a)² σ²(R, 1) = 1, for D² [B, m]. Reproduces jax-cosmo's <c>interp(1, σ², ln R)</c>
    /// on this decreasing table: the node i nearest to 1 (first on ties; found here by binary search on 1/D² rather
    /// than a scan), clipped to 1 … nR−2; its neighbour on the side sign(clip(1, σ²₁, σ²_{nR−2}) − σ²_i) (clip applied
    /// as min(max(·)), +1 for zero); and the line through the two evaluated at 1. Differentiable in σ² and D² (the node
    /// choice is piecewise constant).
    /// </summary>
    internal Tensor LogRootOfUnitVariance(Tensor growthSquared)
    {
        using var scope = NewDisposeScope();
        long nR = LogRadii.Length;
        var table = _sigmaSquaredToday;                                                  // [B, nR]
        var target = TensorArithmetic.Div(1.0, growthSquared);                                                // σ²(R, 1) where σ²(R, a) = 1
        var ascending = table.detach().flip(-1).contiguous();
        var position = searchsorted(ascending, target.detach().expand(table.shape[0], -1).contiguous());
        using var keptScalar9 = (nR - 1).ToScalar();
        var above = (TensorArithmetic.Sub(nR - 1, position)).clamp(ConstantScalars.Of(0), keptScalar9);                                // σ² ≥ target (smaller R)
        using var keptScalar10 = (nR - 1).ToScalar();
        var below = (TensorArithmetic.Sub(nR, position)).clamp(ConstantScalars.Of(0), keptScalar10);                                    // σ² < target
        var gapAbove = (table.gather(1, above) - target).abs();
        var gapBelow = (table.gather(1, below) - target).abs();
        using var keptScalar11 = (nR - 2).ToScalar();
        var index = where(gapAbove <= gapBelow, above, below).clamp(ConstantScalars.Of(1), keptScalar11);

        var xi = growthSquared * table.gather(1, index);
        var low = growthSquared * table.narrow(1, 1, 1);
        var high = growthSquared * table.narrow(1, nR - 2, 1);
        var clipped = torch.minimum(low.clamp_min(ConstantScalars.Of(1.0)), high);
        var neighbour = TensorArithmetic.Add(index, where(clipped - xi < ConstantScalars.Of(0), -1L, 1L));
        var xn = growthSquared * table.gather(1, neighbour);
        var logR = tensor(LogRadii, dtype: _c.DType, device: _c.Device);
        var fi = logR.take(index);
        var fn = logR.take(neighbour);
        return (TensorArithmetic.Add(fi, (fn - fi) / (xn - xi) * (TensorArithmetic.Sub(1.0, xi)))).MoveToOuterDisposeScope();
    }

    /// <summary>A [B or 1, m] tensor viewed as [B or 1, 1, …, 1, m] with <paramref name="rank"/> dimensions.</summary>
    internal static Tensor AlignLast(Tensor t, long rank)
    {
        if (rank == t.dim()) return t;
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        shape[0] = t.shape[0];
        shape[rank - 1] = t.shape[^1];
        return t.reshape(shape);
    }

    private static double[] BuildGaussianWindow()
    {
        int nk = HalofitRule.Nodes.Length, nR = LogRadii.Length;
        var w = new double[nk * nR];
        for (int m = 0; m < nk; m++)
        {
            double k = Math.Exp(HalofitRule.Nodes[m]);
            for (int j = 0; j < nR; j++)
            {
                double kr = k * Math.Exp(LogRadii[j]);
                w[m * nR + j] = HalofitRule.Weights[m] * Math.Exp(-kr * kr);
            }
        }
        return w;
    }
}
