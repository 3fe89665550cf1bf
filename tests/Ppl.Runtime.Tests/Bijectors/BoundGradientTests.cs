using Ppl.Runtime.Tensors;
using Ppl.Runtime.Bijectors;
using Ppl.Runtime.Distributions;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Bijectors;

/// <summary>
/// Bounds that depend on another parameter (<c>Uniform(a, a + 1)</c>) carry a gradient through the bijector, including
/// through the clamp that keeps values strictly inside (libtorch has no derivative for nextafter). The autograd
/// derivative with respect to each bound is compared with a central finite difference in float64.
/// </summary>
public class BoundGradientTests
{
    // Interior points and points far enough out that the unclamped formula rounds onto the bound (then clamped).
    private static readonly double[] Unconstrained = [-800.0, -40.0, -3.0, -0.5, 0.0, 0.7, 2.5, 40.0, 800.0];

    public static TheoryData<string> Kinds => new() { "greater_than", "less_than", "interval" };

    private static IBijector Make(string kind, Tensor lower, Tensor upper) => kind switch
    {
        "greater_than" => Bijector.For(Support.GreaterThan(lower)),
        "less_than" => Bijector.For(Support.LessThan(upper)),
        _ => Bijector.For(Support.Interval(lower, upper)),
    };

    /// <summary>Σ forward(u) + Σ inverse(x_inside), a scalar depending on both bounds.</summary>
    private static Tensor Objective(string kind, Tensor lower, Tensor upper)
    {
        var bijector = Make(kind, lower, upper);
        // The half-bounded maps (lo + exp(u), hi − exp(u)) take only u ≤ 3: exp(40) would swamp the differences.
        var points = kind == "interval" ? Unconstrained : Unconstrained.Where(v => v < 3).ToArray();
        var u = tensor(points, dtype: ScalarType.Float64);
        var forward = bijector.Forward(u);
        // Fixed interior points for the inverse (lower = 0.75, upper = 2.25), inside whatever the finite-difference step.
        double[] inside = kind switch
        {
            "greater_than" => [1.0, 3.0, 9.0],
            "less_than" => [-5.0, 0.0, 2.0],
            _ => [1.0, 1.5, 2.0],
        };
        var inverse = bijector.Inverse(tensor(inside, dtype: ScalarType.Float64));
        return TensorArithmetic.Add(forward.sum(), inverse.sum());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GradientWithRespectToTheBoundsMatchesFiniteDifferences(string kind)
    {
        using var scope = NewDisposeScope();
        const double lo = 0.75, hi = 2.25, h = 1e-6;
        var lower = tensor(lo, dtype: ScalarType.Float64).requires_grad_(true);
        var upper = tensor(hi, dtype: ScalarType.Float64).requires_grad_(true);
        var value = Objective(kind, lower, upper);
        // Each bijector is asked only for the bounds it uses (the other derivative is zero by construction).
        var gradLower = kind == "less_than" ? 0.0 : autograd.grad([value], [lower], retain_graph: true)[0].item<double>();
        var gradUpper = kind == "greater_than" ? 0.0 : autograd.grad([value], [upper])[0].item<double>();
        double At(double l, double u)
        {
            using var inner = NewDisposeScope();
            using var noGrad = no_grad();
            return Objective(kind, tensor(l, dtype: ScalarType.Float64), tensor(u, dtype: ScalarType.Float64)).item<double>();
        }
        double fdLower = (At(lo + h, hi) - At(lo - h, hi)) / (2 * h);
        double fdUpper = (At(lo, hi + h) - At(lo, hi - h)) / (2 * h);
        // Central differences of a smooth function: error O(h²·f''') plus rounding ε·|f|/h ≈ 1e-9 here.
        Assert.True(Math.Abs(gradLower - fdLower) <= 1e-5 * (1 + Math.Abs(fdLower)), $"{kind}: d/dlower autograd {gradLower} vs finite difference {fdLower}");
        Assert.True(Math.Abs(gradUpper - fdUpper) <= 1e-5 * (1 + Math.Abs(fdUpper)), $"{kind}: d/dupper autograd {gradUpper} vs finite difference {fdUpper}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ClampedValuesStayStrictlyInsideAndMoveWithTheirBound(string kind)
    {
        using var scope = NewDisposeScope();
        var lower = tensor(1.0, dtype: ScalarType.Float64).requires_grad_(true);
        var upper = tensor(2.0, dtype: ScalarType.Float64).requires_grad_(true);
        var bijector = Make(kind, lower, upper);
        // u = −800 puts the unclamped value on lo (lo + exp(u), interval) or on hi (hi − exp(u)); u = 800 on hi (interval).
        var u = tensor(new[] { -800.0, 800.0 }, dtype: ScalarType.Float64);
        var x = bijector.Forward(u);
        var values = x.detach().data<double>().ToArray();
        Assert.Equal(kind == "less_than" ? Math.BitDecrement(2.0) : Math.BitIncrement(1.0), values[0]);
        if (kind == "interval") Assert.Equal(Math.BitDecrement(2.0), values[1]);
        // A value clamped next to a bound has derivative 1 with respect to that bound.
        var bound = kind == "less_than" ? upper : lower;
        var derivative = autograd.grad([x.narrow(0, 0, 1).sum()], [bound])[0].item<double>();
        Assert.Equal(1.0, derivative, 12);
    }

    [Fact]
    public void NaNStaysNaN()
    {
        using var scope = NewDisposeScope();
        var lower = tensor(0.0, dtype: ScalarType.Float64).requires_grad_(true);
        var x = Bijector.For(Support.GreaterThan(lower)).Forward(tensor(new[] { double.NaN }, dtype: ScalarType.Float64));
        Assert.True(double.IsNaN(x.detach().item<double>()));
    }
}
