using TorchSharp;
using static TorchSharp.torch;

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
        var steps = num == 1 ? zeros(1, real, device) : arange(num, real, device) / (double)(num - 1);
        var a = start.Batched ? start.Value.unsqueeze(-1) : start.Value;
        var b = stop.Batched ? stop.Value.unsqueeze(-1) : stop.Value;
        var result = a + (b - a) * steps;
        if (num > 1 && !start.Batched && !stop.Batched) result[num - 1] = b.to_type(real);
        return result;
    }

    public static Tensor Arange(long start, long? stop, ScalarType real, Device device)
    {
        ElementLimit.Require(stop is null ? Math.Max(start, 0) : Math.Max(checked(stop.Value - start), 0), "arange");
        return stop is null ? arange(start, ScalarType.Int64, device) : arange(start, stop.Value, ScalarType.Int64, device);
    }

    /// <summary>NumPy's fftfreq: [0, 1, …, n/2-1, -n/2, …, -1] / (n d) for even n.</summary>
    public static Tensor FftFreq(long n, Ev? d, ScalarType real, Device device)
    {
        ElementLimit.Require(n, "fftfreq");
        var k = arange(n, ScalarType.Int64, device);
        var shifted = where(k.lt((n + 1) / 2), k, k - n).to_type(real);
        return d is null ? shifted / (double)n : shifted / (d.Value.Value * (double)n);
    }
}
