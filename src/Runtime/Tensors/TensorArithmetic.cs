using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Tensor arithmetic that keeps every TorchSharp <see cref="Scalar"/> it passes to libtorch alive for the whole native call.
/// TorchSharp 0.107's operators make temporary Scalars (the alpha of 1 in <c>a + b</c>, the number in <c>x * 2.0</c>) and
/// nothing roots them while libtorch reads them, so a garbage collection during the call frees them (a libtorch error or a
/// silently wrong number). Each method computes exactly what the TorchSharp operator of the same shape computes (same
/// libtorch calls in the same order, hence the same bits); a number operand becomes a Scalar owned by a <c>using</c>
/// declaration, disposed only after the call returns. The analyzer in src/Analyzers rejects the TorchSharp forms.
/// </summary>
public static class TensorArithmetic
{
    /// <summary>The alpha of an addition (<c>a + 1·b</c>), as TorchSharp's <c>add(Tensor)</c> passes it.</summary>
    public static readonly Scalar One = 1.ToScalar();

    private static readonly Scalar s_two = 2.ToScalar();

    public static Tensor Add(Tensor a, Tensor b) => a.add(b, One);
    public static Tensor Add(Tensor a, double b) { using var s = b.ToScalar(); return a.add(s, One); }
    public static Tensor Add(double a, Tensor b) { using var s = a.ToScalar(); return b.add(s, One); }
    public static Tensor Add(Tensor a, long b) { using var s = b.ToScalar(); return a.add(s, One); }
    public static Tensor Add(long a, Tensor b) { using var s = a.ToScalar(); return b.add(s, One); }

    public static Tensor Sub(Tensor a, Tensor b) => a.sub(b);
    public static Tensor Sub(Tensor a, double b) { using var s = b.ToScalar(); return a.sub(s); }
    public static Tensor Sub(Tensor a, long b) { using var s = b.ToScalar(); return a.sub(s); }
    /// <summary><c>a - b</c> as TorchSharp computes it: <c>(-b) + a</c>.</summary>
    public static Tensor Sub(double a, Tensor b) { using var s = a.ToScalar(); using var negated = b.negative(); return negated.add(s, One); }
    public static Tensor Sub(long a, Tensor b) { using var s = a.ToScalar(); using var negated = b.negative(); return negated.add(s, One); }

    public static Tensor Mul(Tensor a, Tensor b) => a.mul(b);
    public static Tensor Mul(Tensor a, double b) { using var s = b.ToScalar(); return a.mul(s); }
    public static Tensor Mul(double a, Tensor b) { using var s = a.ToScalar(); return b.mul(s); }
    public static Tensor Mul(Tensor a, long b) { using var s = b.ToScalar(); return a.mul(s); }
    public static Tensor Mul(long a, Tensor b) { using var s = a.ToScalar(); return b.mul(s); }

    public static Tensor Div(Tensor a, Tensor b) => a.div(b);
    public static Tensor Div(Tensor a, double b) { using var s = b.ToScalar(); return a.div(s); }
    public static Tensor Div(Tensor a, long b) { using var s = b.ToScalar(); return a.div(s); }
    /// <summary><c>a / b</c> as TorchSharp computes it: <c>a · (1/b)</c>.</summary>
    public static Tensor Div(double a, Tensor b) { using var s = a.ToScalar(); using var reciprocal = b.reciprocal(); return reciprocal.mul(s); }
    public static Tensor Div(long a, Tensor b) { using var s = a.ToScalar(); using var reciprocal = b.reciprocal(); return reciprocal.mul(s); }

    public static Tensor Rem(Tensor a, double b) { using var s = b.ToScalar(); return a.remainder(s); }
    public static Tensor Rem(Tensor a, long b) { using var s = b.ToScalar(); return a.remainder(s); }

    /// <summary><c>x²</c> as TorchSharp's <c>square()</c> computes it (<c>pow(x, 2)</c>, an integer exponent).</summary>
    public static Tensor Square(Tensor x) => x.pow(s_two);

    /// <summary>
    /// softplus(x) = log(1 + eˣ) with TorchSharp's defaults (β = 1, threshold 20), through the same libtorch kernel as
    /// <c>nn.functional.softplus</c>; TorchSharp exposes that kernel with Scalar arguments only privately.
    /// </summary>
    public static Tensor Softplus(Tensor x) => s_softplus(x, One, s_twenty);

    private static readonly Scalar s_twenty = 20.0.ToScalar();
    private static readonly Func<Tensor, Scalar, Scalar, Tensor> s_softplus =
        (Func<Tensor, Scalar, Scalar, Tensor>)Delegate.CreateDelegate(typeof(Func<Tensor, Scalar, Scalar, Tensor>),
            typeof(Tensor).GetMethod("softplus1", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
            ?? throw new InvalidOperationException("TorchSharp has no Tensor.softplus1(Scalar, Scalar); review TensorArithmetic.Softplus"));

    /// <summary>In place <c>a += b</c>.</summary>
    public static Tensor AddInPlace(Tensor a, Tensor b) => a.add_(b, One);
}
