using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// Monotone rational-quadratic splines on [-B, B] with the identity outside (Durkan et al. 2019, "Neural Spline
/// Flows"). K bins; the knots' widths and heights come from a softmax, interior knot derivatives from a
/// softplus; the derivatives at ±B are 1 so the linear tails join smoothly in value and slope.
/// Raw parameters per element: K width logits, K height logits, K−1 derivative pre-activations.
/// </summary>
public static class RationalQuadraticSpline
{
    /// <summary>Lower bounds that keep every bin and slope away from zero (as in the paper's implementation).</summary>
    public const double MinBinWidth = 1e-3, MinBinHeight = 1e-3, MinDerivative = 1e-3;

    // softplus(c) + MinDerivative = 1 at raw 0, so a zero-initialised conditioner gives the identity.
    private static readonly double DerivativeOffset = Math.Log(Math.Exp(1 - MinDerivative) - 1);

    /// <summary>Number of raw parameters per element for <paramref name="bins"/> bins.</summary>
    public static int ParameterCount(int bins) => 3 * bins - 1;

    /// <summary>y = f(x) and log f'(x), elementwise. x [..], parameters [.., 3K−1].</summary>
    public static (Tensor Output, Tensor LogDerivative) Forward(Tensor x, Tensor parameters, int bins, double bound)
    {
        using var keptScalar35 = (-bound).ToScalar();
        using var keptScalar36 = bound.ToScalar();
        var inside = x.ge(keptScalar35).logical_and(x.le(keptScalar36));
        using var keptScalar37 = (-bound).ToScalar();
        using var keptScalar38 = bound.ToScalar();
        var xc = x.clamp(keptScalar37, keptScalar38);
        var k = Knots(parameters, bins, bound);
        var bin = SearchBin(k.XKnots, xc);
        var g = Gather(k, bin);

        var xi = ((xc - g.X0) / g.Width).clamp(ConstantScalars.Of(0), ConstantScalars.Of(1));
        var oneMinus = TensorArithmetic.Sub(1, xi);
        var xiTerm = xi * oneMinus;
        var denominator = TensorArithmetic.Add(g.Slope, (TensorArithmetic.Add(g.D1, g.D0) - TensorArithmetic.Mul(2, g.Slope)) * xiTerm);
        var numerator = g.Height * (TensorArithmetic.Add(g.Slope * TensorArithmetic.Square(xi), g.D0 * xiTerm));
        var y = TensorArithmetic.Add(g.Y0, numerator / denominator);
        var derivativeNumerator = TensorArithmetic.Square(g.Slope) * (TensorArithmetic.Add(TensorArithmetic.Add(g.D1 * TensorArithmetic.Square(xi), TensorArithmetic.Mul(2, g.Slope) * xiTerm), g.D0 * TensorArithmetic.Square(oneMinus)));
        var logDerivative = derivativeNumerator.log() - TensorArithmetic.Mul(2, denominator.log());

        return (where(inside, y, x), where(inside, logDerivative, zeros_like(logDerivative)));
    }

    /// <summary>x = f⁻¹(y), solving the bin's quadratic in the numerically stable form.</summary>
    public static Tensor Inverse(Tensor y, Tensor parameters, int bins, double bound)
    {
        using var keptScalar39 = (-bound).ToScalar();
        using var keptScalar40 = bound.ToScalar();
        var inside = y.ge(keptScalar39).logical_and(y.le(keptScalar40));
        using var keptScalar41 = (-bound).ToScalar();
        using var keptScalar42 = bound.ToScalar();
        var yc = y.clamp(keptScalar41, keptScalar42);
        var k = Knots(parameters, bins, bound);
        var bin = SearchBin(k.YKnots, yc);
        var g = Gather(k, bin);

        var dy = yc - g.Y0;
        var curvature = TensorArithmetic.Add(g.D1, g.D0) - TensorArithmetic.Mul(2, g.Slope);
        var a = TensorArithmetic.Add(g.Height * (g.Slope - g.D0), dy * curvature);
        var b = g.Height * g.D0 - dy * curvature;
        var c = -g.Slope * dy;
        var discriminant = (TensorArithmetic.Square(b) - TensorArithmetic.Mul(4, a) * c).clamp_min(ConstantScalars.Of(0));
        var xi = ((TensorArithmetic.Mul(2, c)) / (-b - discriminant.sqrt())).clamp(ConstantScalars.Of(0), ConstantScalars.Of(1));
        var x = TensorArithmetic.Add(g.X0, xi * g.Width);
        return where(inside, x, y);
    }

    private sealed record SplineKnots(Tensor XKnots, Tensor YKnots, Tensor Derivatives);

    private sealed record BinValues(Tensor X0, Tensor Width, Tensor Y0, Tensor Height, Tensor Slope, Tensor D0, Tensor D1);

    private static SplineKnots Knots(Tensor parameters, int bins, double bound)
    {
        var widthLogits = parameters.narrow(-1, 0, bins);
        var heightLogits = parameters.narrow(-1, bins, bins);
        var derivativeRaw = parameters.narrow(-1, 2 * bins, bins - 1);

        var xKnots = CumulativeKnots(widthLogits, bins, bound, MinBinWidth);
        var yKnots = CumulativeKnots(heightLogits, bins, bound, MinBinHeight);
        var interior = TensorArithmetic.Add(TensorArithmetic.Softplus(TensorArithmetic.Add(derivativeRaw, DerivativeOffset)), MinDerivative);
        var shape = interior.shape.ToArray();
        shape[^1] = 1;
        var edge = ones(shape, dtype: interior.dtype, device: interior.device);
        return new SplineKnots(xKnots, yKnots, cat([edge, interior, edge], -1));
    }

    /// <summary>K+1 knot positions from −B to B with every bin at least <paramref name="minimum"/> of the range.</summary>
    private static Tensor CumulativeKnots(Tensor logits, int bins, double bound, double minimum)
    {
        var fractions = TensorArithmetic.Add(minimum, TensorArithmetic.Mul((1 - minimum * bins), logits.softmax(-1)));
        var cumulative = fractions.cumsum(-1);
        var shape = cumulative.shape.ToArray();
        shape[^1] = 1;
        var zero = zeros(shape, dtype: cumulative.dtype, device: cumulative.device);
        // Pin the ends exactly so rounding in the cumulative sum cannot open a gap at ±B.
        var knots = cat([zero, cumulative.narrow(-1, 0, bins - 1), TensorArithmetic.Add(zero, 1)], -1);
        return TensorArithmetic.Sub(TensorArithmetic.Mul(knots, (2 * bound)), bound);
    }

    /// <summary>Index of the bin holding each value: the number of interior knots at or below it.</summary>
    private static Tensor SearchBin(Tensor knots, Tensor value)
    {
        int bins = (int)knots.shape[^1] - 1;
        var interior = knots.narrow(-1, 1, bins - 1);
        return value.unsqueeze(-1).ge(interior).sum(-1, keepdim: true, type: ScalarType.Int64);
    }

    private static BinValues Gather(SplineKnots k, Tensor bin)
    {
        var next = TensorArithmetic.Add(bin, 1);
        var x0 = k.XKnots.gather(-1, bin).squeeze(-1);
        var x1 = k.XKnots.gather(-1, next).squeeze(-1);
        var y0 = k.YKnots.gather(-1, bin).squeeze(-1);
        var y1 = k.YKnots.gather(-1, next).squeeze(-1);
        var width = x1 - x0;
        var height = y1 - y0;
        return new BinValues(x0, width, y0, height, height / width,
            k.Derivatives.gather(-1, bin).squeeze(-1), k.Derivatives.gather(-1, next).squeeze(-1));
    }
}
