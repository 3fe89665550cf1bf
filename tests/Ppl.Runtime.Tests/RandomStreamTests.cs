using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests;

public class RandomStreamTests
{
    [Fact]
    public void Mix32MatchesTensorVersionThroughUniforms()
    {
        // The tensor hash must agree with the scalar reference implementation of the documented stream.
        var s = new RandomStream(seed: 12345, siteKey: RandomStream.SiteKey("theta"), firstIndex: 7, shape: new long[] { 3, 4 }, ScalarType.Float64, CPU);
        using var u = s.Uniform();
        const long mask = 0xFFFFFFFFL;
        uint key = RandomStream.Mix32((uint)(12345UL & mask) ^ RandomStream.Mix32((uint)(12345UL >> 32) ^ RandomStream.Mix32(RandomStream.SiteKey("theta") ^ RandomStream.Mix32(0u + 0x9E3779B9u))));
        for (int b = 0; b < 3; b++)
            for (int e = 0; e < 4; e++)
            {
                long i = 7 + b;
                uint h = RandomStream.Mix32((uint)(i & mask) ^ key);
                h = RandomStream.Mix32(h ^ 0x5851F42Du);
                uint full = RandomStream.Mix32(h ^ (uint)e);
                uint second = RandomStream.Mix32(full ^ 0x68E31DA4u);
                double expected = ((full >> 5) * 67108864.0 + (second >> 6) + 0.5) * Math.Pow(2, -53);
                Assert.Equal(expected, u[b, e].item<double>(), 15);
            }
    }

    [Fact]
    public void Float32UniformsStayInsideTheOpenInterval()
    {
        // The largest and smallest codes map to 1 - 2^-24 and 2^-24, both representable in float32.
        var s = new RandomStream(7, 3, 0, new long[] { 4000, 1000 }, ScalarType.Float32, CPU);
        using var u = s.Uniform();
        Assert.True(u.max().item<float>() < 1f);
        Assert.True(u.min().item<float>() > 0f);
        Assert.True(1f - MathF.Pow(2, -24) < 1f);
    }

    [Fact]
    public void SimulationIsIndependentOfBatchSize()
    {
        using var scope = NewDisposeScope();
        var big = new RandomStream(99, 5, 0, new long[] { 1000, 6 }, ScalarType.Float32, CPU);
        var one = new RandomStream(99, 5, 417, new long[] { 1, 6 }, ScalarType.Float32, CPU);
        // Exact by construction: uniforms are integer hashes of (seed, site, slot, index) scaled by a power of two.
        Assert.True(big.Uniform()[417].equal(one.Uniform()[0]).all().item<bool>());
        // Normals go through log, sqrt and cos, whose SIMD and scalar kernels may round the last bit differently for
        // another position in the tensor (and differently on AVX2 and AVX-512): a few float32 ulps (1e-6 relative,
        // absolute near zero) is all that may differ; another simulation's normals would differ at order one.
        var nBig = big.StandardNormal()[417].data<float>().ToArray();
        var nOne = one.StandardNormal()[0].data<float>().ToArray();
        double difference = nBig.Zip(nOne).Max(p => Math.Abs(p.First - p.Second) / (Math.Abs(p.Second) + 1.0));
        Assert.True(difference < 1e-6, $"simulation 417's normals changed with the batch size by {difference:E2}");
    }

    [Fact]
    public void UniformsAndNormalsHaveTheRightMoments()
    {
        // 10^6 draws: the standard error of a mean is 1e-3, of a variance ~1.4e-3; 5 sigma bounds.
        var s = new RandomStream(2024, 11, 0, new long[] { 1000, 1000 }, ScalarType.Float64, CPU);
        using var u = s.Uniform();
        Assert.InRange(u.mean().item<double>(), 0.5 - 0.0015, 0.5 + 0.0015);
        Assert.InRange(u.var().item<double>(), 1.0 / 12 - 0.0005, 1.0 / 12 + 0.0005);
        Assert.True(u.min().item<double>() > 0 && u.max().item<double>() < 1);
        using var n = s.StandardNormal();
        Assert.InRange(n.mean().item<double>(), -0.005, 0.005);
        Assert.InRange(n.var().item<double>(), 1 - 0.007, 1 + 0.007);
        // Consecutive slots are uncorrelated.
        using var a = s.Uniform();
        using var b = s.Uniform();
        var corr = ((TensorArithmetic.Sub(a, 0.5)) * (TensorArithmetic.Sub(b, 0.5))).mean().item<double>() * 12;
        Assert.InRange(corr, -0.005, 0.005);
    }
}
