namespace Ppl.Runtime.Cosmology;

/// <summary>How <see cref="LognormalShiftTable.Lookup(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, ShiftLookup)"/> reads the table.</summary>
public enum ShiftLookup
{
    /// <summary>
    /// What sbi_lens does, and what its published posteriors include: trilinear interpolation (clamped at the edges)
    /// at grid coordinate (v − min)/(max − min)·n − 0.5 on array axis j for the j-th of (Ω_m, σ_8, w_0), although the
    /// table's first axis holds σ_8 and its second Ω_m.
    /// </summary>
    Reference,

    /// <summary>Each parameter on the axis along which it varies, at node-aligned coordinate (v − v₀)/(v_{n−1} − v₀)·(n − 1).</summary>
    Corrected,
}
