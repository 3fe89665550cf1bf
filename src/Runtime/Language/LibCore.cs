using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

/// <summary>
/// The language's standard library as generated code calls it. Batch convention: a value whose <see cref="Ev.Batched"/> is
/// set has the batch dimension first; axes given here count event dimensions only; a result is batched when any input is.
/// </summary>
public static partial class Lib
{
    public static Tensor Constant(double value, ScalarType real, Device device) => tensor(value, real, device);

    public static Tensor Constant(long value, Device device) => tensor(value, ScalarType.Int64, device);

    public static Tensor Constant(bool value, Device device) => tensor(value, ScalarType.Bool, device);

    public static Tensor Vector(double[] values, ScalarType real, Device device) => tensor(values, real, device);

    public static Tensor Vector(long[] values, Device device) => tensor(values, ScalarType.Int64, device);

    public static Tensor ToReal(Tensor x, ScalarType real) => x.is_floating_point() || x.is_complex() ? x : x.to_type(real);

    public static Tensor ToInt(Tensor x) => x.dtype == ScalarType.Int64 ? x : x.is_floating_point() ? x.trunc().to_type(ScalarType.Int64) : x.to_type(ScalarType.Int64);

    public static long ToLong(Tensor x) => x.to_type(ScalarType.Int64).item<long>();

    public static bool IsTrue(Tensor x) => x.to_type(ScalarType.Bool).item<bool>();

    /// <summary>Inserts <paramref name="axes"/> axes of size 1 after the batch axis, so a batched value of lower event rank
    /// broadcasts against higher-rank values the way NumPy aligns shapes from the right.</summary>
    public static Tensor Align(Tensor batched, int axes)
    {
        var shape = new long[batched.dim() + axes];
        shape[0] = batched.shape[0];
        for (int i = 1; i <= axes; i++) shape[i] = 1;
        for (int i = 1; i < batched.dim(); i++) shape[i + axes] = batched.shape[i];
        return batched.reshape(shape);
    }

    /// <summary>Repeats an unbatched value over a batch (a view); a batched value is returned as is.</summary>
    public static Tensor ExpandBatch(Tensor value, long batch)
    {
        var shape = new long[value.dim() + 1];
        shape[0] = batch;
        for (int i = 0; i < value.dim(); i++) shape[i + 1] = value.shape[i];
        return value.unsqueeze(0).expand(shape);
    }

    /// <summary>A scalar repeated to a shape (a data default written as one number).</summary>
    public static Tensor Fill(Tensor scalar, long[] shape) => scalar.expand(shape).contiguous();

    /// <summary>Comprehension results stacked along the first event axis.</summary>
    /// <summary>The items of a comprehension stacked on a new first event axis; a comprehension over an empty range (a
    /// bound given by the data) has no item to take the shape from and is the error PPL0409 at the statement.</summary>
    public static Tensor StackList(List<Tensor> items, bool batched) => items.Count > 0
        ? stack(items, batched ? 1 : 0)
        : throw new SizeLimitException(DiagnosticCatalogue.ValueOutOfRange, "the range of a comprehension is empty: a comprehension needs at least one item");

    public static long FloorMod(long a, long b) => ((a % b) + b) % b;

    /// <summary>A slice step computed from data, checked before libtorch sees it (a zero step aborts the process there).</summary>
    public static long SliceStep(long step) =>
        step > 0 ? step : throw new ArgumentException($"a slice step must be positive, but it is {step}");

    /// <summary>a ^ b for ints, exact: an overflow throws <see cref="OverflowException"/> (reported as PPL0420), a
    /// negative exponent <see cref="ArgumentException"/>.</summary>
    public static long IntPow(long a, long b)
    {
        if (b < 0) throw new ArgumentException($"an int raised to a negative power ({a} ^ {b}); write {a}.0 ^ {b} for a real");
        long result = 1;
        for (long i = 0; i < b; i++)
        {
            result = checked(result * a);
            if (result is 0 or 1) break; // 0 and 1 stay; -1 alternates, handled by the parity below
            if (result == -1) return (b - i - 1) % 2 == 0 ? -1 : 1;
        }
        return result;
    }

    public static double FloorMod(double a, double b) => a - b * Math.Floor(a / b);

    /// <summary>Brings values to a common batch shape: batched values keep [B, ...], unbatched ones are expanded when
    /// another value is batched (used where NumPy broadcasting cannot align the batch axis by itself).</summary>
    internal static Tensor[] Batchwise(Ev[] items, out bool batched)
    {
        batched = items.Any(i => i.Batched);
        long b = batched ? items.First(i => i.Batched).Value.shape[0] : 0;
        int rank = items.Max(i => i.EventRank);
        var result = new Tensor[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            var v = items[i].Value;
            if (items[i].Batched) v = Align(v, rank - items[i].EventRank);
            else if (batched) v = ExpandBatch(v, b);
            result[i] = v;
        }
        return result;
    }
}
