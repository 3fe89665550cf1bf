using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Counter-based random numbers for one random site of one batch of simulations.
/// Every number is a pure function of (seed, site key, draw slot, global simulation index, element index),
/// computed with integer tensor operations, so simulation i is identical whatever the batch size, on CPU
/// and GPU, and a batch can be split across processes. The stream documented in docs/architecture.md:
/// <c>h = mix(mix(mix(key(seed, site, slot) ^ lo32(i)) ^ hi32(i)) ^ e)</c> with e the row-major element index
/// inside the event, <c>mix</c> a 32-bit avalanche hash, and a uniform formed from the top bits of h (23 in float32, 53 from two hashes in float64).
/// </summary>
public sealed class RandomStream
{
    private const long Mask32 = 0xFFFFFFFFL;
    private readonly ulong _seed;
    private readonly uint _siteKey;
    private readonly long _firstIndex;
    private int _nextSlot;

    /// <param name="seed">The run's seed.</param>
    /// <param name="siteKey">A stable key for the site (see <see cref="SiteKey"/>).</param>
    /// <param name="firstIndex">Global index of the batch's first simulation.</param>
    /// <param name="shape">Full shape of one draw: [B, ...event].</param>
    /// <param name="dtype">Floating type of the uniforms and normals.</param>
    /// <param name="device">Device the tensors live on.</param>
    public RandomStream(ulong seed, uint siteKey, long firstIndex, long[] shape, ScalarType dtype, Device device)
    {
        if (shape.Length == 0) throw new ArgumentException("A random stream's shape starts with the batch size.", nameof(shape));
        _seed = seed;
        _siteKey = siteKey;
        _firstIndex = firstIndex;
        Shape = shape;
        DType = dtype;
        Device = device;
    }

    /// <summary>Full shape of every tensor this stream returns: [B, ...event].</summary>
    public long[] Shape { get; }

    public ScalarType DType { get; }

    public Device Device { get; }

    public long BatchSize => Shape[0];

    /// <summary>The stable 32-bit key of a site name (FNV-1a), so adding a site never changes another's numbers.</summary>
    public static uint SiteKey(string siteName)
    {
        uint h = 2166136261;
        foreach (char c in siteName)
        {
            h ^= c;
            h *= 16777619;
        }
        return h;
    }

    /// <summary>Uniforms in the open interval (0, 1), of shape <see cref="Shape"/>; each call uses a new slot.</summary>
    public Tensor Uniform() => UniformOfShape(Shape, _nextSlot++);

    /// <summary>Standard normals (Box–Muller on two fresh uniform slots), of shape <see cref="Shape"/>.</summary>
    public Tensor StandardNormal()
    {
        using var scope = NewDisposeScope();
        var u1 = Uniform();
        var u2 = Uniform();
        var r = (TensorArithmetic.Mul(-2.0, u1.log())).sqrt_();
        var result = r.mul_((TensorArithmetic.Mul(2.0 * Math.PI, u2)).cos_());
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Uniforms for an extra trailing axis of length <paramref name="k"/> (for samplers that need
    /// several numbers per element, such as rejection with a fixed number of proposals); one slot in all.</summary>
    public Tensor UniformWithTrailing(long k)
    {
        var shape = Shape.Append(k).ToArray();
        return UniformOfShape(shape, _nextSlot++);
    }

    /// <summary>A stream over [..<see cref="Shape"/>, k] for a sampler that draws k values per element (the components of
    /// a batched mixture). It takes one slot of this stream; its own slots are numbered from (slot + 1)·2^16, so they never
    /// repeat this stream's.</summary>
    public RandomStream WithTrailingAxis(long k)
    {
        int slot = _nextSlot++;
        return new RandomStream(_seed, _siteKey, _firstIndex, Shape.Append(k).ToArray(), DType, Device) { _nextSlot = (slot + 1) << 16 };
    }

    private Tensor UniformOfShape(long[] shape, int slot)
    {
        using var scope = NewDisposeScope();
        long batch = shape[0];
        long elements = 1;
        for (int i = 1; i < shape.Length; i++) elements *= shape[i];

        uint key = Mix32((uint)(_seed & Mask32) ^ Mix32((uint)(_seed >> 32) ^ Mix32(_siteKey ^ Mix32((uint)slot + 0x9E3779B9u))));

        // Per-simulation part: [B, 1, ..., 1]
        using var keptScalar61 = _firstIndex.ToScalar();
        using var keptScalar62 = (_firstIndex + batch).ToScalar();
        var sim = arange(keptScalar61, keptScalar62, ConstantScalars.Of(1), dtype: ScalarType.Int64, device: Device);
        var h = MixTensor(sim.bitwise_and(Mask32).bitwise_xor_(key));
        if (_firstIndex + batch > Mask32)
            h = MixTensor(h.bitwise_xor_(sim.bitwise_right_shift(32)));
        else
            h = MixTensor(h.bitwise_xor_(0x5851F42DL));
        var viewShape = new long[shape.Length];
        viewShape[0] = batch;
        for (int i = 1; i < shape.Length; i++) viewShape[i] = 1;
        h = h.view(viewShape);

        // Per-element part: [1, ...event]
        using var keptScalar56 = elements.ToScalar();
        var elem = arange(ConstantScalars.Of(0), keptScalar56, ConstantScalars.Of(1), dtype: ScalarType.Int64, device: Device);
        var eShape = (long[])shape.Clone();
        eShape[0] = 1;
        elem = elem.view(eShape);
        var full = MixTensor(h.bitwise_xor(elem.bitwise_and(Mask32)));
        if (elements > Mask32) full = MixTensor(full.bitwise_xor_(elem.bitwise_right_shift(32)));

        Tensor u;
        if (DType == ScalarType.Float64)
        {
            var second = MixTensor(full.bitwise_xor(0x68E31DA4L));
            var hi = full.bitwise_right_shift(5).to_type(ScalarType.Float64);   // 27 bits
            var lo = second.bitwise_right_shift(6).to_type(ScalarType.Float64); // 26 bits
            using var keptScalar57 = (Math.Pow(2, -53)).ToScalar();
            u = hi.mul_(ConstantScalars.Of(67108864.0)).add_(lo, TensorArithmetic.One).add_(ConstantScalars.Of(0.5), TensorArithmetic.One).mul_(keptScalar57);
        }
        else
        {
            // 23 bits: (k + 1/2)·2^-23 lies in [2^-24, 1 - 2^-24], all exactly representable in float32, so the
            // interval stays open after rounding (24 bits would round the top value to 1).
            using var keptScalar58 = ((float)Math.Pow(2, -23)).ToScalar();
            u = full.bitwise_right_shift(9).to_type(ScalarType.Float32).add_(ConstantScalars.Of(0.5f), TensorArithmetic.One).mul_(keptScalar58);
            if (DType != ScalarType.Float32) u = u.to_type(DType);
        }
        return u.MoveToOuterDisposeScope();
    }

    /// <summary>lowbias32 (C. Wellons), the same function as <see cref="MixTensor"/> on one number.</summary>
    public static uint Mix32(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352d;
        x ^= x >> 15;
        x *= 0x846ca68b;
        x ^= x >> 16;
        return x;
    }

    /// <summary>lowbias32 on int64 tensors holding 32-bit values. Products are split into 16-bit halves of the
    /// constant so no intermediate leaves the non-negative int64 range.</summary>
    private static Tensor MixTensor(Tensor x)
    {
        x = x.bitwise_xor(x.bitwise_right_shift(16));
        x = MulMod32(x, 0x7feb352d);
        x = x.bitwise_xor(x.bitwise_right_shift(15));
        x = MulMod32(x, 0x846ca68b);
        return x.bitwise_xor(x.bitwise_right_shift(16));
    }

    private static Tensor MulMod32(Tensor x, long c)
    {
        long cLo = c & 0xFFFF, cHi = (c >> 16) & 0xFFFF;
        using var keptScalar59 = cLo.ToScalar();
        var lo = x.mul(keptScalar59);                                               // < 2^48
        using var keptScalar60 = cHi.ToScalar();
        var hi = x.mul(keptScalar60).bitwise_and_(0xFFFF).bitwise_left_shift_(16);  // (x*cHi mod 2^16) << 16
        return lo.add_(hi, TensorArithmetic.One).bitwise_and_(Mask32);
    }
}
