using TorchSharp;
using Ppl.Runtime.Bijectors;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Tests.Distributions;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Bijectors;

public class BijectorTests
{
    /// <summary>Supports with scalar bounds, and an interval whose bounds are batched [B, 1] and differ per row.</summary>
    public static TheoryData<string> Supports => new() { "real", "positive", "greater_than", "less_than", "interval", "unit", "batched_interval", "batched_greater_than" };

    private const int B = 3;

    private static Support Make(string name, ScalarType dtype) => name switch
    {
        "real" => Support.Real,
        "positive" => Support.Positive,
        "greater_than" => Support.GreaterThan(tensor(1.5, dtype: dtype)),
        "less_than" => Support.LessThan(tensor(-2.0, dtype: dtype)),
        "interval" => Support.Interval(tensor(-1.0, dtype: dtype), tensor(3.0, dtype: dtype)),
        "unit" => Support.UnitInterval,
        "batched_interval" => Support.Interval(tensor(new[] { -1.0, 0.0, 1000.0 }, dtype: dtype).reshape(B, 1),
            tensor(new[] { 1.0, 1e-3, 1000.5 }, dtype: dtype).reshape(B, 1)),
        "batched_greater_than" => Support.GreaterThan(tensor(new[] { -5.0, 0.0, 100.0 }, dtype: dtype).reshape(B, 1)),
        _ => throw new ArgumentException(name),
    };

    private static (double Lower, double Upper) Bounds(Support support, int row)
    {
        double Read(Tensor? t) => t is null ? double.NaN : t.numel() == 1 ? t.to_type(ScalarType.Float64).item<double>() : t[row, 0].to_type(ScalarType.Float64).item<double>();
        return support.Kind switch
        {
            SupportKind.Real => (double.NegativeInfinity, double.PositiveInfinity),
            SupportKind.Positive => (0, double.PositiveInfinity),
            SupportKind.UnitInterval => (0, 1),
            SupportKind.GreaterThan => (Read(support.Lower), double.PositiveInfinity),
            SupportKind.LessThan => (double.NegativeInfinity, Read(support.Upper)),
            _ => (Read(support.Lower), Read(support.Upper)),
        };
    }

    private static Tensor Grid(double limit, int count, ScalarType dtype) =>
        linspace(-limit, limit, count, dtype: ScalarType.Float64).to_type(dtype).unsqueeze(0).expand(B, count).contiguous();

    /// <summary>
    /// inverse(forward(u)) = u up to the conditioning of the map: x is stored to a relative ε, which determines u only to
    /// ε·|x|/|dx/du| (large near a bound far from zero: x = 1000 + 0.5·sigmoid(u)), plus ε·|u| from the logarithm.
    /// The allowance is four times that sum, with |dx/du| from the log-determinant (checked on its own below).
    /// </summary>
    [Theory]
    [MemberData(nameof(Supports))]
    public void InverseUndoesForward(string name)
    {
        using var scope = NewDisposeScope();
        foreach (var (dtype, limit) in new[] { (ScalarType.Float64, 15.0), (ScalarType.Float32, 5.0) })
        {
            var support = Make(name, dtype);
            var bijector = Bijector.For(support);
            var u = Grid(limit, 41, dtype);
            var x = bijector.Forward(u);
            var back = bijector.Inverse(x);
            Assert.Equal(u.shape, back.shape);
            double eps = finfo(dtype).eps;
            var slope = bijector.LogAbsDetJacobian(u, x).to_type(ScalarType.Float64).exp();
            var x64 = x.to_type(ScalarType.Float64);
            var u64 = u.to_type(ScalarType.Float64);
            using var tolerance = (4 * eps).ToScalar();
            var allowed = u64.abs().add(ConstantScalars.Of(1), TensorArithmetic.One).add(x64.abs().div(slope), TensorArithmetic.One).mul(tolerance);
            var excess = back.to_type(ScalarType.Float64).sub(u64).abs().sub(allowed).max().item<double>();
            Assert.True(excess <= 0, $"{name} {dtype}: round-trip error exceeds its allowance by {excess}");
        }
    }

    [Theory]
    [MemberData(nameof(Supports))]
    public void ForwardUndoesInverse(string name)
    {
        using var scope = NewDisposeScope();
        var support = Make(name, ScalarType.Float64);
        var bijector = Bijector.For(support);
        var x = new double[B * 5];
        for (int b = 0; b < B; b++)
        {
            var (lo, hi) = Bounds(support, b);
            double[] fractions = [1e-6, 0.1, 0.5, 0.9, 1 - 1e-6];
            for (int k = 0; k < 5; k++)
            {
                x[b * 5 + k] = (double.IsInfinity(lo), double.IsInfinity(hi)) switch
                {
                    (true, true) => -50 + 100 * fractions[k],
                    (false, true) => lo + 1e-3 * Math.Pow(1e7, fractions[k]),
                    (true, false) => hi - 1e-3 * Math.Pow(1e7, fractions[k]),
                    _ => lo + (hi - lo) * fractions[k],
                };
            }
        }
        var constrained = tensor(x).reshape(B, 5);
        var unconstrained = bijector.Inverse(constrained);
        Assert.All(unconstrained.data<double>().ToArray(), v => Assert.True(double.IsFinite(v)));
        var again = bijector.Forward(unconstrained).data<double>().ToArray();
        for (int i = 0; i < x.Length; i++)
            // Relative to the value's magnitude and its distance to the nearer end (what the unconstrained u resolves).
            Assert.True(Math.Abs(again[i] - x[i]) <= 1e-9 * (1 + Math.Abs(x[i])), $"{name}: {x[i]} came back as {again[i]}");
    }

    [Theory]
    [MemberData(nameof(Supports))]
    public void LogDetEqualsTheLogOfTheAutogradDerivative(string name)
    {
        using var scope = NewDisposeScope();
        var support = Make(name, ScalarType.Float64);
        var bijector = Bijector.For(support);
        var u = Grid(12, 49, ScalarType.Float64).requires_grad_(true);
        var x = bijector.Forward(u);
        // Elementwise maps: the gradient of Σ forward(u) is the diagonal Jacobian.
        var derivative = autograd.grad([x.sum()], [u])[0];
        var expected = derivative.abs().log();
        var logDet = bijector.LogAbsDetJacobian(u, x);
        Assert.Equal(x.shape, logDet.shape);
        // Both are float64 evaluations of the same derivative; differences come from rounding only.
        Assert.True(logDet.detach().allclose(expected, rtol: 1e-10, atol: 1e-10), $"{name}: {logDet.sub(expected).abs().max().item<double>()}");
    }

    [Theory]
    [MemberData(nameof(Supports))]
    public void BoundsHoldForLargeUnconstrainedValuesInFloat32(string name)
    {
        using var scope = NewDisposeScope();
        var support = Make(name, ScalarType.Float32);
        var bijector = Bijector.For(support);
        var u = tensor(new[] { -30f, -20f, 0f, 20f, 30f }).unsqueeze(0).expand(B, 5).contiguous();
        var x = bijector.Forward(u);
        var values = x.to_type(ScalarType.Float64).data<double>().ToArray();
        for (int b = 0; b < B; b++)
        {
            var (lo, hi) = Bounds(support, b);
            for (int k = 0; k < 5; k++)
            {
                double v = values[b * 5 + k];
                Assert.True(!double.IsNaN(v) && v > lo && v < hi, $"{name} row {b}: forward({u[b, k].item<float>()}) = {v} not inside ({lo}, {hi})");
            }
        }
        var logDet = bijector.LogAbsDetJacobian(u, x).data<float>().ToArray();
        Assert.All(logDet, v => Assert.True(float.IsFinite(v)));
        // And back: the inverse of every value (even one pushed onto the edge) is finite.
        Assert.All(bijector.Inverse(x).data<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Supports))]
    public void InverseOfTheBoundsThemselvesIsFinite(string name)
    {
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var support = Make(name, dtype);
            var bijector = Bijector.For(support);
            var ends = new List<double>();
            var (lo, hi) = Bounds(support, 0);
            if (!double.IsInfinity(lo)) ends.Add(lo);
            if (!double.IsInfinity(hi)) ends.Add(hi);
            if (ends.Count == 0) continue;
            var x = tensor(ends.ToArray(), dtype: ScalarType.Float64).to_type(dtype).unsqueeze(0).expand(B, ends.Count).contiguous();
            if (name.StartsWith("batched")) x = x.narrow(0, 0, 1);
            var u = bijector.Inverse(x);
            Assert.All(u.to_type(ScalarType.Float64).data<double>().ToArray(), v => Assert.True(double.IsFinite(v), $"{name} {dtype}: {v}"));
        }
    }

    [Fact]
    public void RegistryPicksTheBijectorForEachSupport()
    {
        using var scope = NewDisposeScope();
        Assert.IsType<IdentityBijector>(Bijector.For(Support.Real));
        Assert.IsType<ExpBijector>(Bijector.For(Support.Positive));
        Assert.IsType<UnitIntervalBijector>(Bijector.For(Support.UnitInterval));
        Assert.IsType<LowerBoundBijector>(Bijector.For(Support.GreaterThan(tensor(1.0))));
        Assert.IsType<UpperBoundBijector>(Bijector.For(Support.LessThan(tensor(1.0))));
        Assert.IsType<IntervalBijector>(Bijector.For(Support.Interval(tensor(0.0), tensor(1.0))));
        Assert.Throws<ArgumentException>(() => Bijector.For(new Support(SupportKind.Interval, tensor(0.0))));
    }

    /// <summary>Whatever an HMC state holds, pushing it through the bijector of a distribution's support gives a value
    /// with a finite log-density: the bijectors never land on an open end or outside.</summary>
    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void EveryUnconstrainedValueMapsToAFiniteLogDensity(string id)
    {
        var c = DistributionCases.Get(id);
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var distribution = c.Build(dtype);
            var u = tensor(new[] { -30.0, -8.0, -1.0, 0.0, 1.0, 8.0, 30.0 }, dtype: ScalarType.Float64).to_type(dtype);
            var x = Bijector.For(distribution.Support).Forward(u);
            var logProb = distribution.LogProb(x).to_type(ScalarType.Float64).data<double>().ToArray();
            var shown = x.to_type(ScalarType.Float64).data<double>().ToArray();
            for (int i = 0; i < logProb.Length; i++)
                Assert.True(double.IsFinite(logProb[i]),
                    $"{id} {dtype}: u = {u[i].to_type(ScalarType.Float64).item<double>()} → x = {shown[i]}, log p = {logProb[i]}");
        }
    }
}
