using Ppl.Runtime.Cosmology;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Cosmology.Tests;

/// <summary>A batch of three cosmologies gives the three single results: the batch axis never mixes cosmologies.</summary>
public class BatchTests
{
    private static readonly CosmologyValues[] Three = { ReferenceCosmologies.Fiducial, ReferenceCosmologies.Low, ReferenceCosmologies.High };

    // float32: the batched and single evaluations run the same element-wise kernels but reductions (matmul, sums) may
    // group differently, so agreement is to a few float32 ulps; 1e-5 relative leaves a wide margin.
    private const double Float32Tolerance = 1e-5;

    private static void AssertBatchMatchesSingles(Func<CosmologyParameters, Tensor> f)
    {
        using var scope = NewDisposeScope();
        var batched = f(CosmologyParameters.FromValues(Three));
        Assert.Equal(3, batched.shape[0]);
        for (int b = 0; b < 3; b++)
        {
            var single = f(CosmologyParameters.FromValues(new[] { Three[b] }))[0];
            var rel = ((batched[b] - single).abs() / single.abs().clamp_min(ConstantScalars.Of(1e-30))).max().item<float>();
            Assert.True(rel <= Float32Tolerance, $"cosmology {b}: relative difference {rel:E2}");
        }
    }

    [Fact]
    public void AngularClOfThreeCosmologiesEqualsThreeSingleEvaluations()
    {
        var tracer = WeakLensingTracer.LsstY10();
        var ell = tensor(new[] { 36.0, 100.0, 1000.0, 10000.0 });
        AssertBatchMatchesSingles(c => Limber.AngularCl(c, tracer, ell));
    }

    [Fact]
    public void BackgroundAndPowerOfThreeCosmologiesEqualThreeSingleEvaluations()
    {
        var a = tensor(new[] { 0.25f, 0.5f, 0.9f });
        var k = tensor(new[] { 0.01f, 0.3f, 3f });
        AssertBatchMatchesSingles(c => Background.RadialComovingDistance(c, a.narrow(0, 1, 2)));
        AssertBatchMatchesSingles(c => Growth.Factor(c, a));
        AssertBatchMatchesSingles(c => PowerSpectrum.Halofit(c, k, a));
        AssertBatchMatchesSingles(c => PowerSpectrum.Linear(c, k, 0.5));
    }

    [Fact]
    public void PerCosmologyArgumentsAreAccepted()
    {
        // [B, n] arguments pair row b with cosmology b.
        using var scope = NewDisposeScope();
        var c = CosmologyParameters.FromValues(Three, ScalarType.Float64);
        var a = tensor(new[] { 0.5, 0.6, 0.7 }, dtype: ScalarType.Float64).reshape(3, 1);
        var batched = Background.RadialComovingDistance(c, a);
        for (int b = 0; b < 3; b++)
        {
            var single = Background.RadialComovingDistance(CosmologyParameters.FromValues(new[] { Three[b] }, ScalarType.Float64), a[b]);
            Assert.Equal(single.item<double>(), batched[b, 0].item<double>(), 9);
        }
    }

    [Fact]
    public void ANonFiniteCosmologyGivesNaNSpectraAndLeavesTheOthersAlone()
    {
        // A sampler's trajectory can reach a non-finite parameter; the spectra must then be NaN (a numerical failure the
        // sampler rejects), not an indexing exception, and the other cosmologies of the batch must be unaffected.
        using var scope = NewDisposeScope();
        var tracer = WeakLensingTracer.LsstY10();
        var ell = tensor(new[] { 36.0, 100.0, 1000.0 });
        var values = new[] { Three[0], Three[0] with { OmegaC = double.NaN }, Three[0] with { Sigma8 = double.PositiveInfinity } };
        var cl = Limber.AngularCl(CosmologyParameters.FromValues(values), tracer, ell);
        var single = Limber.AngularCl(CosmologyParameters.FromValues(new[] { Three[0] }), tracer, ell)[0];
        Assert.True(cl[0].isfinite().all().item<bool>());
        Assert.True(TensorArithmetic.Sub(cl[0], single).abs().max().item<float>() <= 1e-5f * single.abs().max().item<float>());
        Assert.True(cl[1].isnan().all().item<bool>(), "a NaN Ω_c must give NaN spectra");
        Assert.False(cl[2].isfinite().all().item<bool>(), "an infinite σ_8 must not give finite spectra");
    }
}
