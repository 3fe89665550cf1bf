using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// What the discrete distributions share: values arrive as int64 (data, draws) or as reals holding whole numbers and are
/// read in the parameters' floating type; masks for "is a whole number in the support" and "the parameter is valid";
/// x·log y that is 0 at x = 0 whatever y (and has a finite gradient there); and the checks a sampler makes before
/// drawing, which turn invalid parameters into a located model error.
/// <para>
/// Invalid parameters (a negative rate, a probability outside [0, 1], a probability vector that does not sum to 1)
/// give a log-probability of −∞, as Stan rejects such a point; a draw with them stops the simulation with PPL0490.
/// Arguments that depend on data only are checked earlier, when the data are bound (PPL0411).
/// </para>
/// </summary>
internal static class DiscreteMath
{
    /// <summary>How far a probability vector's sum may be from 1: √ε of its floating type (3.5e-4 in float32,
    /// 1.5e-8 in float64), loose enough for vectors computed in that type, tight enough to catch a wrong vector.</summary>
    public static double SimplexTolerance(ScalarType dtype) => Math.Sqrt(finfo(dtype).eps);

    /// <summary>The floating type to compute in: the parameter's if it is floating, else float64.</summary>
    public static ScalarType RealTypeOf(Tensor parameter) =>
        parameter.dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16 ? parameter.dtype : ScalarType.Float64;

    /// <summary>The value in <paramref name="dtype"/> (int64 draws and data become reals holding whole numbers).</summary>
    public static Tensor AsReal(Tensor value, ScalarType dtype) => value.dtype == dtype ? value : value.to_type(dtype);

    /// <summary>Whether each element is a whole number ≥ 0.</summary>
    public static Tensor IsCount(Tensor k) => k.ge(ConstantScalars.Of(0.0)).logical_and(k.eq(k.floor()));

    /// <summary>x·log y, with 0 where x = 0 (also for y = 0), and −∞ where x &gt; 0 and y = 0 (an impossible value) with a
    /// zero gradient there, so no 0·∞ reaches a gradient.</summary>
    public static Tensor XLogY(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var used = x.ne(ConstantScalars.Of(0.0));
        var impossible = used.logical_and(y.eq(ConstantScalars.Of(0.0)));
        var safeY = where(used.logical_and(impossible.logical_not()), y, ones_like(y));
        var result = where(used, x.mul(safeY.log()), zeros_like(x.mul(safeY)));
        return result.masked_fill(impossible, ConstantScalars.Of(double.NegativeInfinity)).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="parameter"/> where <paramref name="valid"/>, else <paramref name="standIn"/>, so that
    /// invalid entries (later masked to −∞) produce no NaN in values or gradients.</summary>
    public static Tensor Safe(Tensor parameter, Tensor valid, double standIn) => SupportMask.Substitute(parameter, valid, standIn);

    /// <summary>Rows along the last axis that are probability vectors: entries in [0, 1], sum within tolerance of 1.
    /// The result has the row shape (the last axis removed).</summary>
    public static Tensor IsSimplex(Tensor probs)
    {
        using var scope = NewDisposeScope();
        var entries = probs.ge(ConstantScalars.Of(0.0)).logical_and(probs.le(ConstantScalars.Of(1.0))).all(-1);
        using var tolerance = SimplexTolerance(RealTypeOf(probs)).ToScalar();
        var sum = probs.sum(-1).sub(ConstantScalars.Of(1.0)).abs().le(tolerance);
        return entries.logical_and(sum).MoveToOuterDisposeScope();
    }

    /// <summary>Whether each element is a probability in [0, 1].</summary>
    public static Tensor IsProbability(Tensor p) => p.ge(ConstantScalars.Of(0.0)).logical_and(p.le(ConstantScalars.Of(1.0)));

    /// <summary>Stops a draw with invalid parameters: PPL0490 at the running statement, naming the first bad value.</summary>
    public static void RequireForSampling(Tensor valid, Tensor parameter, string distribution, string requirement)
    {
        using var scope = NewDisposeScope();
        if (valid.all().item<bool>()) return;
        var bad = valid.logical_not().broadcast_to(broadcast_shapes(valid.shape, parameter.shape).ToArray());
        var values = parameter.detach().broadcast_to(bad.shape).masked_select(bad).to_type(ScalarType.Float64).to(CPU);
        string first = values.numel() > 0
            ? values[0].item<double>().ToString("G6", System.Globalization.CultureInfo.InvariantCulture)
            : "invalid";
        throw new ModelDomainException($"{distribution}: {requirement}, but a value is {first}");
    }

    /// <summary>Uniforms in (0, 1) of the stream's shape as float64 (one slot).</summary>
    public static Tensor Uniform64(RandomStream stream)
    {
        using var scope = NewDisposeScope();
        return StreamDraws.Uniform(stream).to_type(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    /// <summary>Index of the category each uniform falls in: the number of cumulative weights below u·total (a draw of
    /// a categorical with the given non-negative weights along the last axis), as int64 of the uniforms' shape.</summary>
    public static Tensor InverseCdfIndex(Tensor weights, Tensor uniforms)
    {
        using var scope = NewDisposeScope();
        var cdf = weights.to_type(ScalarType.Float64).cumsum(-1);
        var total = cdf.narrow(-1, cdf.shape[^1] - 1, 1);
        var threshold = uniforms.unsqueeze(-1).mul(total);
        var index = cdf.lt(threshold).to_type(ScalarType.Int64).sum(-1);
        using var last = (weights.shape[^1] - 1).ToScalar();
        return index.clamp_max(last).MoveToOuterDisposeScope();
    }
}
