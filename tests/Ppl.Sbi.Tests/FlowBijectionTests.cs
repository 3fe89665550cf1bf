using Ppl.Runtime.Flows;
using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Sbi.Tests;

public class FlowBijectionTests
{
    public static TheoryData<FlowKind> Kinds => TestData.Kinds();

    private static ConditionalFlow Build(FlowKind kind, int dimension, long[] contextShape, PermutationKind permutation = PermutationKind.Reverse)
    {
        var architecture = FlowArchitecture.Of(kind) with
        {
            Dimension = dimension,
            ContextShape = contextShape,
            Layers = 3,
            HiddenUnits = 16,
            Bins = 6,
            MixtureComponents = 4,
            Permutation = permutation,
        };
        var flow = new ConditionalFlow(architecture, seed: 7);
        TestData.Perturb(flow, 0.3, 11);
        return flow;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LogDetEqualsAutogradJacobian(FlowKind kind)
    {
        // Float64 throughout: the only differences are rounding, so 1e-8 is a wide margin.
        foreach (int d in new[] { 1, 3 })
        {
            using var scope = NewDisposeScope();
            using var flow = Build(kind, d, [2], d == 3 ? PermutationKind.Random : PermutationKind.Reverse).ConvertTo(ScalarType.Float64);
            // Non-trivial standardisation too.
            flow.TargetStandardizer.Set(full(1, d, ConstantScalars.Of(0.3), dtype: ScalarType.Float64), full(1, d, ConstantScalars.Of(1.7), dtype: ScalarType.Float64));
            var x = (TensorArithmetic.Mul(TestData.Normal(3, "x", 5, d), 2)).to(ScalarType.Float64).requires_grad_(true);
            var context = TestData.Normal(3, "c", 5, 2).to(ScalarType.Float64);
            var (u, logAbsDet) = flow.ToBase(x, context);
            var rows = new List<Tensor>();
            for (int i = 0; i < d; i++)
                rows.Add(autograd.grad([u.select(1, i).sum()], [x], retain_graph: true)[0]);
            var jacobian = stack(rows, 1); // [n, out, in]
            var (_, expected) = linalg.slogdet(jacobian);
            double error = (expected - logAbsDet).abs().max().item<double>();
            Assert.True(error < 1e-8, $"{kind}, d = {d}: log-det differs from autograd by {error}");
            Assert.True(logAbsDet.abs().max().item<double>() > 1e-3, "the perturbed flow should not be volume preserving");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InverseUndoesForward(FlowKind kind)
    {
        foreach (int d in new[] { 1, 2, 5 })
        {
            using var scope = NewDisposeScope();
            using var flow = Build(kind, d, [3]);
            // Points up to 4σ in each coordinate, beyond the spline's tail bound of 3 too.
            var x = TensorArithmetic.Mul(TestData.Normal(5, "x", 200, d), 2);
            var context = TestData.Normal(5, "c", 200, 3);
            var (u, _) = flow.ToBase(x, context);
            var back = flow.FromBase(u, context);
            double error = ((back - x).abs() / (TensorArithmetic.Add(1, x.abs()))).max().item<float>();
            // Float32 through 3 layers (~1e-6 relative each); the smooth flow's bisection stops at 1e-6 relative
            // per layer, amplified by at most the layers' Lipschitz constants (e^3 bound on scales).
            Assert.True(error < 2e-4, $"{kind}, d = {d}: inverse(forward(x)) differs from x by {error}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DensityIntegratesToOne(FlowKind kind)
    {
        using var scope = NewDisposeScope();
        using var flow = Build(kind, 2, [1]);
        // Midpoint rule on a 300×300 grid over [-9, 9]²: the perturbed flow's density is smooth on the 0.06 grid
        // scale and its mass outside the box is far below 1e-3 (scales are bounded by e^3 per layer but the
        // perturbation keeps them near 1).
        int m = 300;
        double lo = -9, h = 18.0 / m;
        using var keptScalar1 = m.ToScalar();
        var axis = TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Mul(arange(ConstantScalars.Of(0), keptScalar1, ConstantScalars.Of(1), dtype: ScalarType.Float64), h), lo), h / 2);
        var grid = stack(meshgrid([axis, axis], indexing: "ij").Select(t => t.reshape(-1)).ToArray(), 1).to(ScalarType.Float32);
        var context = full(grid.shape[0], 1, ConstantScalars.Of(0.5f));
        using var noGrad = no_grad();
        var mass = flow.LogProb(grid, context).exp().to(ScalarType.Float64).sum().item<double>() * h * h;
        Assert.InRange(mass, 0.99, 1.01);
    }

    [Fact]
    public void SplineIsIdentityOutsideTailBound()
    {
        var parameters = TestData.Normal(1, "p", 4, RationalQuadraticSpline.ParameterCount(5));
        var x = tensor(new float[] { -7f, -3.5f, 3.01f, 12f });
        var (y, logDerivative) = RationalQuadraticSpline.Forward(x, parameters, 5, 3.0);
        // Exact by construction: outside the tail bound the spline selects x itself and a log-derivative of 0.
        Assert.Equal(0.0, (y - x).abs().max().item<float>());
        Assert.Equal(0.0, logDerivative.abs().max().item<float>());
    }

    [Fact]
    public void SplineIsContinuousAtTheTailBound()
    {
        // Linear tails join with slope 1 at ±B: at 1e-10 inside, value and log-slope differ from the tail's by
        // O(1e-10 × curvature); curvature is at most ~1e3 here (narrowest bin 1e-3 of the range), so 1e-6 holds.
        var parameters = TestData.Normal(2, "p", 2, RationalQuadraticSpline.ParameterCount(4)).to(ScalarType.Float64);
        var x = tensor(new double[] { 2.0 - 1e-10, -2.0 + 1e-10 });
        var (y, logDerivative) = RationalQuadraticSpline.Forward(x, parameters, 4, 2.0);
        double valueGap = (y - x).abs().max().item<double>(), slopeGap = logDerivative.abs().max().item<double>();
        Assert.True(valueGap < 1e-6, $"value gap {valueGap}");
        Assert.True(slopeGap < 1e-6, $"log-slope gap {slopeGap}");
    }

    [Fact]
    public void SmoothFlowLogDensityHasSmoothSecondDerivatives()
    {
        // Along a line, d²/dt² log q computed by autograd twice agrees with a central difference of the first
        // derivative (float64, step 1e-4: O(h²) truncation ≈ 1e-8 times the fourth derivative).
        using var flow = Build(FlowKind.SmoothCoupling, 2, [1]).ConvertTo(ScalarType.Float64);
        var direction = tensor(new double[] { 0.6, -0.8 }).reshape(1, 2);
        var context = full(1, 1, ConstantScalars.Of(0.2), dtype: ScalarType.Float64);
        double FirstDerivative(double t)
        {
            var x = (TensorArithmetic.Add(TensorArithmetic.Mul(direction, t), 0.1)).detach();
            return (flow.LogProbGradient(x, context) * direction).sum().item<double>();
        }
        foreach (double t in new[] { -1.3, 0.0, 0.7, 2.1 })
        {
            var s = tensor(new[] { t }, dtype: ScalarType.Float64).requires_grad_(true);
            var x = TensorArithmetic.Add(direction * s, 0.1);
            var grad = autograd.grad([flow.LogProb(x, context).sum()], [x], retain_graph: true, create_graph: true)[0];
            var along = (grad * direction).sum();
            double second = autograd.grad([along], [s])[0].item<double>();
            double h = 1e-4;
            double numeric = (FirstDerivative(t + h) - FirstDerivative(t - h)) / (2 * h);
            Assert.True(Math.Abs(second - numeric) < 1e-5 * (1 + Math.Abs(numeric)), $"t = {t}: {second} vs {numeric}");
        }
    }

    [Fact]
    public void SamplingIsSeededAndBroadcastsOneContext()
    {
        using var flow = Build(FlowKind.RationalQuadraticSpline, 2, [3]);
        var context = TestData.Normal(9, "c", 1, 3);
        var a = flow.Sample(100, context, seed: 42);
        var b = flow.Sample(100, context, seed: 42);
        var c = flow.Sample(100, context, seed: 43);
        Assert.Equal(new long[] { 100, 2 }, a.shape);
        // Exact by construction: the same seed and context repeat the same computation.
        Assert.Equal(0.0, (a - b).abs().max().item<float>());
        Assert.True((a - c).abs().max().item<float>() > 0.1f);
        // One context per sample: row i of a batch with identical rows equals the broadcast result.
        var perRow = flow.Sample(100, context.expand(100, 3), seed: 42);
        Assert.True((perRow - a).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void UnconditionalOneDimensionalFlowsWork()
    {
        foreach (var kind in TestData.AllKinds)
        {
            using var scope = NewDisposeScope();
            using var flow = Build(kind, 1, []);
            var x = TestData.Normal(4, "x", 50, 1);
            var lp = flow.LogProb(x, null);
            Assert.Equal(new long[] { 50 }, lp.shape);
            Assert.True(lp.isfinite().all().item<bool>());
            var s = flow.Sample(10, null, 1);
            Assert.Equal(new long[] { 10, 1 }, s.shape);
        }
    }
}
