using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    public static Tensor Sum(Ev x, long[] axes, bool keepdims) => x.Value.sum(x.Dims(axes), keepdims);

    public static Tensor Mean(Ev x, long[] axes, bool keepdims) => x.Value.mean(x.Dims(axes), keepdims);

    public static Tensor Prod(Ev x, long[] axes, bool keepdims)
    {
        var v = x.Value;
        foreach (var d in x.Dims(axes).OrderByDescending(d => d)) v = v.prod(d, keepdims);
        return v;
    }

    /// <summary>Variance with NumPy's `ddof` (divides by n - ddof).</summary>
    public static Tensor Var(Ev x, long[] axes, bool keepdims, long ddof)
    {
        var dims = x.Dims(axes);
        long n = dims.Aggregate(1L, (a, d) => a * x.Value.shape[d]);
        var mean = x.Value.mean(dims, true);
        var centred = x.Value - mean;
        var ss = (x.Value.is_complex() ? (centred * centred.conj()).real : TensorArithmetic.Square(centred)).sum(dims, keepdims);
        return TensorArithmetic.Div(ss, (double)(n - ddof));
    }

    public static Tensor Std(Ev x, long[] axes, bool keepdims, long ddof) => Var(x, axes, keepdims, ddof).sqrt();

    public static Tensor Min(Ev x, long[] axes, bool keepdims) => x.Value.amin(x.Dims(axes), keepdims);

    public static Tensor Max(Ev x, long[] axes, bool keepdims) => x.Value.amax(x.Dims(axes), keepdims);

    /// <summary>log Σ exp over the axes, shifted by the maximum for stability (the shift carries no gradient).</summary>
    public static Tensor LogSumExp(Ev x, long[] axes, bool keepdims)
    {
        var dims = x.Dims(axes);
        var m = x.Value.amax(dims, true).detach();
        m = where(m.isfinite(), m, zeros_like(m));
        var result = TensorArithmetic.Add((x.Value - m).exp().sum(dims, true).log(), m);
        if (keepdims) return result;
        foreach (var d in dims.OrderByDescending(d => d)) result = result.squeeze(d);
        return result;
    }

    public static Tensor All(Ev x, long[] axes, bool keepdims)
    {
        var v = x.Value;
        foreach (var d in x.Dims(axes).OrderByDescending(d => d)) v = v.all(d, keepdims);
        return v;
    }

    public static Tensor Any(Ev x, long[] axes, bool keepdims)
    {
        var v = x.Value;
        foreach (var d in x.Dims(axes).OrderByDescending(d => d)) v = v.any(d, keepdims);
        return v;
    }

    public static Tensor ArgMin(Ev x, long axis) => x.Value.argmin(x.Dim(axis));

    public static Tensor ArgMax(Ev x, long axis) => x.Value.argmax(x.Dim(axis));

    public static Tensor CumSum(Ev x, long axis) => x.Value.cumsum(x.Dim(axis));

    public static Tensor CumProd(Ev x, long axis) => x.Value.cumprod(x.Dim(axis));
}
