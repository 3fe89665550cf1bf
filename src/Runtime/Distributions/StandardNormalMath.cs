using TorchSharp;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Log-density, log-CDF and its inverse for the standard normal, in forms that stay accurate far in the tails
/// and whose gradients are finite everywhere (every branch of a <c>where</c> is fed inputs for which it is finite,
/// because a masked-out infinity still poisons the backward pass with 0·∞ = NaN).
/// </summary>
internal static class StandardNormalMath
{
    internal const double LogSqrtTwoPi = 0.91893853320467274178032973640562;
    internal const double InverseSqrtTwo = 0.70710678118654752440084436210485;
    internal const double LogTwo = 0.69314718055994530941723212145818;

    /// <summary>log φ(z).</summary>
    public static Tensor LogPdf(Tensor z) => TensorArithmetic.Square(z).mul(ConstantScalars.Of(-0.5)).sub(ConstantScalars.Of(LogSqrtTwoPi));

    /// <summary>
    /// log Φ(z) in three pieces. z ≥ 0: log1p(−erfc(z/√2)/2), which keeps the tiny upper-tail mass. T ≤ z &lt; 0:
    /// log(erfc(−z/√2)/2), with erfc accurate to the last bits while its value is a normal number. z &lt; T:
    /// log φ(z) − log(−z) + log S(z²), S the asymptotic series of the Mills ratio times −z, which decays in logarithm
    /// only, so it never underflows. T = −20 in float64 (the first omitted term of S is 3e-15 there) and −10 in
    /// float32 (below 1e-9, and erfc(10/√2) ≈ 1.5e-23 is still normal). The obvious erfcx form is not used because
    /// TorchSharp 0.107.0's <c>special.erfcx</c> returns erfc.
    /// </summary>
    public static Tensor LogCdf(Tensor z)
    {
        using var scope = NewDisposeScope();
        double threshold = z.dtype == ScalarType.Float64 ? -20.0 : -10.0;
        var positive = z.clamp_min(ConstantScalars.Of(0.0));
        using var keptScalar27 = threshold.ToScalar();
        var middle = z.clamp(keptScalar27, ConstantScalars.Of(0.0));
        using var keptScalar28 = threshold.ToScalar();
        var farLeft = z.clamp_max(keptScalar28);

        var right = special.erfc(positive.mul(ConstantScalars.Of(InverseSqrtTwo))).mul(ConstantScalars.Of(-0.5)).log1p();
        var centre = special.erfc(middle.mul(ConstantScalars.Of(-InverseSqrtTwo))).mul(ConstantScalars.Of(0.5)).log();
        var tail = LogPdf(farLeft).sub(farLeft.neg().log()).add(MillsSeries(TensorArithmetic.Square(farLeft).reciprocal()).log(), TensorArithmetic.One);

        using var keptScalar29 = threshold.ToScalar();
        return where(z.ge(ConstantScalars.Of(0.0)), right, where(z.ge(keptScalar29), centre, tail)).MoveToOuterDisposeScope();
    }

    /// <summary>1 − w + 3w² − 15w³ + … (eight terms, coefficients (2k − 1)!! with alternating signs), w = 1/z².</summary>
    private static Tensor MillsSeries(Tensor w)
    {
        double[] coefficients = [1, -1, 3, -15, 105, -945, 10395, -135135];
        using var last = coefficients[^1].ToScalar();
        var sum = full_like(w, last);
        for (int k = coefficients.Length - 2; k >= 0; k--)
        {
            using var coefficient = coefficients[k].ToScalar();
            sum = sum.mul(w).add(coefficient, TensorArithmetic.One);
        }
        return sum;
    }

    /// <summary>log(1 - exp(d)) for d ≤ 0 (Mächler's switch at -log 2 between the expm1 and log1p forms).</summary>
    public static Tensor Log1MinusExp(Tensor d)
    {
        using var scope = NewDisposeScope();
        var nearZero = d.expm1().neg().log();
        var farBelow = d.clamp_max(ConstantScalars.Of(-LogTwo)).exp().neg().log1p();
        return where(d.gt(ConstantScalars.Of(-LogTwo)), nearZero, farBelow).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log(Φ(b) - Φ(a)) for a &lt; b, either bound possibly absent (null = infinite). Both bounds in the lower half:
    /// difference of lower-tail masses in log space; both in the upper half: the same by symmetry; straddling zero:
    /// (erf(b/√2) - erf(a/√2))/2 is a sum of two non-negative terms, so nothing cancels.
    /// </summary>
    public static Tensor LogMassBetween(Tensor? a, Tensor? b)
    {
        if (a is null && b is null) throw new ArgumentException("At least one bound is needed; without bounds the mass is one.");
        if (a is null) return LogCdf(b!);
        if (b is null) return LogCdf(a.neg());

        using var scope = NewDisposeScope();
        var bothBelow = b.le(ConstantScalars.Of(0.0));
        var bothAbove = a.ge(ConstantScalars.Of(0.0)).logical_and(bothBelow.logical_not());
        var straddling = bothBelow.logical_or(bothAbove).logical_not();

        // Rows a branch does not own get harmless stand-in bounds so that branch stays finite there.
        var aLow = where(bothBelow, a, full_like(a, ConstantScalars.Of(-2.0)));
        var bLow = where(bothBelow, b, full_like(b, ConstantScalars.Of(-1.0)));
        var logLowB = LogCdf(bLow);
        var lowerTail = logLowB.add(Log1MinusExp(LogCdf(aLow).sub(logLowB)), TensorArithmetic.One);

        var aHigh = where(bothAbove, a, full_like(a, ConstantScalars.Of(1.0)));
        var bHigh = where(bothAbove, b, full_like(b, ConstantScalars.Of(2.0)));
        var logHighA = LogCdf(aHigh.neg());
        var upperTail = logHighA.add(Log1MinusExp(LogCdf(bHigh.neg()).sub(logHighA)), TensorArithmetic.One);

        var aMid = where(straddling, a, full_like(a, ConstantScalars.Of(-1.0)));
        var bMid = where(straddling, b, full_like(b, ConstantScalars.Of(1.0)));
        var middle = special.erf(bMid.mul(ConstantScalars.Of(InverseSqrtTwo))).sub(special.erf(aMid.mul(ConstantScalars.Of(InverseSqrtTwo)))).mul(ConstantScalars.Of(0.5)).log();

        return where(bothBelow, lowerTail, where(bothAbove, upperTail, middle)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The z with log Φ(z) = <paramref name="logP"/>, meant for logP ≤ log ½ (the caller inverts on the side of the smaller
    /// tail). Not differentiable: callers attach gradients by the implicit-function rule. Start: ndtri(exp(logP)) while
    /// exp(logP) is a normal number, else the asymptote z² ≈ t − log t − log 2π with t = −2 logP; then Newton steps on
    /// log Φ, which is concave and increasing, so every step after the first approaches the root monotonically from the left.
    /// </summary>
    public static Tensor InverseLogCdf(Tensor logP)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var dtype = logP.dtype;
        double logTiny = Math.Log(finfo(dtype).tiny) + 2.0;
        using var keptScalar23 = logTiny.ToScalar();
        var representable = logP.gt(keptScalar23);
        using var keptScalar24 = logTiny.ToScalar();
        var central = special.ndtri(logP.clamp_min(keptScalar24).exp());
        using var keptScalar25 = (2.0 * -logTiny).ToScalar();
        var t = logP.mul(ConstantScalars.Of(-2.0)).clamp_min(keptScalar25);
        using var keptScalar26 = (Math.Log(2.0 * Math.PI)).ToScalar();
        var asymptotic = t.sub(t.log()).sub(keptScalar26).sqrt().neg();
        var z = where(representable, central, asymptotic);
        for (int step = 0; step < 3; step++)
        {
            var logCdf = LogCdf(z);
            z = z.sub(logCdf.sub(logP).mul(logCdf.sub(LogPdf(z)).exp()));
        }
        return z.MoveToOuterDisposeScope();
    }
}
