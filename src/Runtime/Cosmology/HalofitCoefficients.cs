using static TorchSharp.torch;

namespace Ppl.Runtime.Cosmology;

/// <summary>
/// Takahashi et al. (2012) halofit coefficients at m scale factors, each [B, m]: everything in the fit that depends
/// on a but not on k, in the logarithmic form the evaluation uses (a_n, b_n, c_n f3 and ν_n as logs).
/// </summary>
internal sealed class HalofitCoefficients
{
    /// <summary>ln k_nl, the non-linear scale (σ(1/k_nl, a) = 1 with a Gaussian window).</summary>
    public required Tensor LogKNonLinear { get; init; }

    /// <summary>ln D(a)², to turn Δ²_lin(k, 1) into Δ²_lin(k, a).</summary>
    public required Tensor LogGrowthSquared { get; init; }

    /// <summary>Effective spectral index n_eff.</summary>
    public required Tensor NEff { get; init; }

    /// <summary>Spectral curvature C.</summary>
    public required Tensor Curvature { get; init; }

    public required Tensor LogA { get; init; }
    public required Tensor LogB { get; init; }
    public required Tensor LogCF3 { get; init; }
    public required Tensor ThreeMinusGamma { get; init; }
    public required Tensor Alpha { get; init; }
    public required Tensor Beta { get; init; }
    public required Tensor LogNu { get; init; }

    /// <summary>3 f1(Ω_m(a)).</summary>
    public required Tensor ThreeF1 { get; init; }

    /// <summary>f2(Ω_m(a)).</summary>
    public required Tensor F2 { get; init; }

    private IEnumerable<Tensor> All => new[] { LogKNonLinear, LogGrowthSquared, NEff, Curvature, LogA, LogB, LogCF3, ThreeMinusGamma, Alpha, Beta, LogNu, ThreeF1, F2 };

    public void MoveToOuterDisposeScope()
    {
        foreach (var t in All) t.MoveToOuterDisposeScope();
    }
}
