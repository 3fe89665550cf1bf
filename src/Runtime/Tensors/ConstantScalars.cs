using System.Collections.Concurrent;
using TorchSharp;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// TorchSharp <see cref="Scalar"/>s for compile-time constants, made once and held for the life of the process, so a
/// Scalar passed to libtorch is never freed during the call (see <see cref="TensorArithmetic"/>). Only constants may be
/// passed (the analyzer in src/Analyzers enforces it, PPLA003): the cache never shrinks, and a run-time value would grow it
/// without bound — use a <c>using</c> declaration for those. Scalars are not tensors: dispose scopes do not free them.
/// </summary>
public static class ConstantScalars
{
    // The Scalars made below are owned by the dictionaries, which the static fields keep alive.
#pragma warning disable PPLA001
    private static readonly ConcurrentDictionary<long, Scalar> s_reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> s_integers = new();

    /// <summary>A float64 Scalar (keyed by its bits, so -0.0 stays -0.0; what an implicit <c>double</c> or <c>float</c> conversion makes).</summary>
    public static Scalar Of(double value) =>
        s_reals.GetOrAdd(BitConverter.DoubleToInt64Bits(value), bits => BitConverter.Int64BitsToDouble(bits).ToScalar());

    /// <summary>An int64 Scalar (what an implicit <c>int</c> or <c>long</c> conversion makes).</summary>
    public static Scalar Of(long value) => s_integers.GetOrAdd(value, v => v.ToScalar());
#pragma warning restore PPLA001
}
