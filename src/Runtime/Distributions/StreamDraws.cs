using TorchSharp;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The draws the samplers take from a <see cref="RandomStream"/>. Uniforms are clamped into the open interval
/// representable in their type: in float32 the stream's top code (2^24 − ½)·2^-24 rounds to exactly 1, which would
/// turn an inverse CDF into ±inf (log(1 − u), tan(π/2)).
/// </summary>
internal static class StreamDraws
{
    /// <summary>Uniforms of shape <c>stream.Shape</c> strictly inside (0, 1); one slot.</summary>
    public static Tensor Uniform(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        return OpenUnit(stream.Uniform()).MoveToOuterDisposeScope();
    }

    /// <summary>Uniforms of shape <c>[..stream.Shape, k]</c> strictly inside (0, 1); one slot.</summary>
    public static Tensor UniformWithTrailing(RandomStream stream, long k)
    {
        using var scope = NewDisposeScope();
        return OpenUnit(stream.UniformWithTrailing(k)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Standard normals of shape <c>[..stream.Shape, k]</c>, k even, by Box–Muller on two trailing-uniform slots of
    /// length k/2: each pair of uniforms gives the independent pair r·cos θ and r·sin θ, so k normals cost k uniforms.
    /// </summary>
    public static Tensor StandardNormalWithTrailing(RandomStream stream, long k)
    {
        if (k % 2 != 0) throw new ArgumentException("Normals come in Box–Muller pairs; ask for an even number.", nameof(k));
        using var scope = NewDisposeScope();
        var u1 = UniformWithTrailing(stream, k / 2);
        var u2 = UniformWithTrailing(stream, k / 2);
        var radius = u1.log().mul(ConstantScalars.Of(-2.0)).sqrt();
        var angle = u2.mul(ConstantScalars.Of(2.0 * Math.PI));
        return cat([radius.mul(angle.cos()), radius.mul(angle.sin())], -1).MoveToOuterDisposeScope();
    }

    private static Tensor OpenUnit(Tensor u)
    {
        var info = finfo(u.dtype);
        using var keptScalar32 = info.tiny.ToScalar();
        using var keptScalar33 = (1.0 - info.eps / 2.0).ToScalar();
        return u.clamp(keptScalar32, keptScalar33);
    }
}
