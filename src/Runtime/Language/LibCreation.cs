using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    public static Tensor Zeros(long[] sizes, ScalarType real, Device device)
    {
        ElementLimit.Require(sizes, "zeros");
        return zeros(sizes, real, device);
    }

    public static Tensor Ones(long[] sizes, ScalarType real, Device device)
    {
        ElementLimit.Require(sizes, "ones");
        return ones(sizes, real, device);
    }

    public static Tensor Full(Ev value, long[] sizes)
    {
        ElementLimit.Require(sizes, "the filled value");
        if (!value.Batched) return value.Value.expand(sizes).contiguous();
        var shape = new[] { value.Value.shape[0] }.Concat(sizes).ToArray();
        return Align(value.Value, sizes.Length).expand(shape).contiguous();
    }

    public static Tensor Eye(long n, ScalarType real, Device device)
    {
        ElementLimit.Require(new[] { n, n }, "eye");
        return eye(n, dtype: real, device: device);
    }

    /// <summary>num points from start to stop inclusive; start and stop may be batched scalars.</summary>
    public static Tensor Linspace(Ev start, Ev stop, long num, ScalarType real, Device device)
    {
        ElementLimit.Require(num, "linspace");
        using var keptScalar45 = num.ToScalar();
        var steps = num == 1 ? zeros(1, real, device) : TensorArithmetic.Div(arange(ConstantScalars.Of(0), keptScalar45, ConstantScalars.Of(1), real, device), (double)(num - 1));
        var a = start.Batched ? start.Value.unsqueeze(-1) : start.Value;
        var b = stop.Batched ? stop.Value.unsqueeze(-1) : stop.Value;
        var result = TensorArithmetic.Add(a, (b - a) * steps);
        if (num > 1 && !start.Batched && !stop.Batched) result[num - 1] = b.to_type(real);
        return result;
    }

    /// <summary>`arange(start, stop)`: int64 whatever the model's real type, which the creation builtins' calling
    /// convention passes (hence the discarded parameter).</summary>
    public static Tensor Arange(long start, long? stop, ScalarType _, Device device)
    {
        ElementLimit.Require(stop is null ? Math.Max(start, 0) : Math.Max(checked(stop.Value - start), 0), "arange");
        using var first = (stop is null ? 0 : start).ToScalar();
        using var end = (stop ?? start).ToScalar();
        return arange(first, end, ConstantScalars.Of(1), ScalarType.Int64, device);
    }

    /// <summary>NumPy's fftfreq: [0, 1, …, n/2-1, -n/2, …, -1] / (n d) for even n.</summary>
    public static Tensor FftFreq(long n, Ev? d, ScalarType real, Device device)
    {
        ElementLimit.Require(n, "fftfreq");
        using var keptScalar46 = n.ToScalar();
        var k = arange(ConstantScalars.Of(0), keptScalar46, ConstantScalars.Of(1), ScalarType.Int64, device);
        using var keptScalar47 = ((n + 1) / 2).ToScalar();
        var shifted = where(k.lt(keptScalar47), k, TensorArithmetic.Sub(k, n)).to_type(real);
        return d is null ? TensorArithmetic.Div(shifted, (double)n) : shifted / (TensorArithmetic.Mul(d.Value.Value, (double)n));
    }
}
