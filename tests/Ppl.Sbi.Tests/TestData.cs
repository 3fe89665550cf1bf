using Ppl.Runtime.Flows;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>Seeded synthetic data sets and small helpers shared by the tests.</summary>
internal static class TestData
{
    public static Tensor Normal(ulong seed, string site, params long[] shape) =>
        new RandomStream(seed, RandomStream.SiteKey(site), 0, shape, ScalarType.Float32, CPU).StandardNormal();

    public static Tensor Uniform(ulong seed, string site, params long[] shape) =>
        new RandomStream(seed, RandomStream.SiteKey(site), 0, shape, ScalarType.Float32, CPU).Uniform();

    /// <summary>The classic two-moons density: two unit half circles, the second shifted by (1, −0.5) and flipped,
    /// with N(0, 0.1²) noise. Its entropy is about 0.95 nats (a curve of total length 2π blurred by σ = 0.1:
    /// log 2π + ½ log(2πe·0.01)); the best Gaussian fit has about 1.95.</summary>
    public static Tensor TwoMoons(long n, ulong seed)
    {
        using var scope = NewDisposeScope();
        var t = TensorArithmetic.Mul(Uniform(seed, "t", n), Math.PI);
        var upper = Uniform(seed, "which", n).lt(ConstantScalars.Of(0.5));
        var noise = TensorArithmetic.Mul(Normal(seed, "noise", n, 2), 0.1);
        var xUpper = stack([t.cos(), t.sin()], 1);
        var xLower = stack([TensorArithmetic.Sub(1, t.cos()), TensorArithmetic.Sub(0.5, t.sin())], 1);
        var x = TensorArithmetic.Add(where(upper.unsqueeze(1), xUpper, xLower), noise);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Adds seeded uniform noise of the given scale to every weight, so the flow is far from its
    /// identity initialisation (Jacobian and inverse checks must see non-trivial layers).</summary>
    public static void Perturb(ConditionalFlow flow, double scale, ulong seed)
    {
        using var noGrad = no_grad();
        uint k = 0;
        foreach (var p in flow.parameters())
        {
            using var u = new RandomStream(seed, k++, 0, p.numel() == 0 ? [1] : [p.numel()], ScalarType.Float64, CPU).Uniform();
            if (p.numel() == 0) continue;
            using var delta = (TensorArithmetic.Mul((TensorArithmetic.Sub(TensorArithmetic.Mul(u, 2), 1)), scale)).reshape(p.shape).to(p.dtype, p.device);
            p.add_(delta, TensorArithmetic.One);
        }
    }

    public static FlowKind[] AllKinds => [FlowKind.AffineCoupling, FlowKind.MaskedAutoregressive, FlowKind.RationalQuadraticSpline, FlowKind.SmoothCoupling];

    public static TheoryData<FlowKind> Kinds()
    {
        var data = new TheoryData<FlowKind>();
        foreach (var k in AllKinds) data.Add(k);
        return data;
    }
}
