using static TorchSharp.torch;

namespace Ppl.Runtime.Cosmology;

/// <summary>Halofit's per-scale-factor quantities, each [B, m].</summary>
internal sealed class HalofitScales
{
    public HalofitScales(Tensor kNonLinear, Tensor nEff, Tensor curvature, Tensor growthSquared)
    {
        KNonLinear = kNonLinear;
        NEff = nEff;
        Curvature = curvature;
        GrowthSquared = growthSquared;
    }

    public Tensor KNonLinear { get; }
    public Tensor NEff { get; }
    public Tensor Curvature { get; }
    public Tensor GrowthSquared { get; }

    public void MoveToOuterDisposeScope()
    {
        KNonLinear.MoveToOuterDisposeScope();
        NEff.MoveToOuterDisposeScope();
        Curvature.MoveToOuterDisposeScope();
        GrowthSquared.MoveToOuterDisposeScope();
    }
}
