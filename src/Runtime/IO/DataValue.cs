using TorchSharp;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// One named value of a data file (a JSON member, an <c>.npz</c> entry): its elements as a plain array in C
/// order, its shape, whether it holds integers, and where it came from (for diagnostics).
/// Integers are held as int64, reals as float64 (or the float type of an <c>.npy</c> entry), booleans as bool.
/// </summary>
public sealed class DataValue
{
    /// <summary>Wraps a plain array.</summary>
    /// <param name="array">The elements (integer, floating-point or boolean; not complex).</param>
    /// <param name="origin">Where the value came from, e.g. <c>data.json:3:7</c> or <c>sims.npz[theta]</c>.</param>
    /// <exception cref="ArgumentException">For complex arrays, which data cannot hold.</exception>
    public DataValue(NpyArray array, string origin)
    {
        if (array.DType.Kind == NpyTypeKind.Complex) throw new ArgumentException("Data values are real, integer or boolean.", nameof(array));
        Array = array;
        Origin = origin;
    }

    /// <summary>The elements in C order.</summary>
    public NpyArray Array { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public long[] Shape => Array.Shape;

    /// <summary>True when every element is an integer (as written: no '.' or exponent in JSON).</summary>
    public bool IsInteger => Array.DType.IsInteger;

    /// <summary>True for booleans.</summary>
    public bool IsBoolean => Array.DType.Kind == NpyTypeKind.Boolean;

    /// <summary>True for a 0-d value.</summary>
    public bool IsScalar => Array.Rank == 0;

    /// <summary>Where the value came from, for diagnostics.</summary>
    public string Origin { get; }

    /// <summary>A real scalar.</summary>
    public static DataValue Real(double value, string origin = "") => new(NpyArray.Create(new[] { value }), origin);

    /// <summary>An integer scalar.</summary>
    public static DataValue Integer(long value, string origin = "") => new(NpyArray.Create(new[] { value }), origin);

    /// <summary>
    /// Copies a tensor (any device). Integer tensors become int64 values, booleans stay booleans and floating-point
    /// tensors become float64.
    /// </summary>
    public static DataValue FromTensor(Tensor tensor, string origin = "")
    {
        using var scope = NewDisposeScope();
        var converted = tensor.dtype switch
        {
            ScalarType.Bool => tensor,
            ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 => tensor.to(ScalarType.Int64),
            ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64 => tensor.to(ScalarType.Float64),
            _ => throw new ArgumentException($"A {tensor.dtype} tensor is not a data value.", nameof(tensor)),
        };
        return new DataValue(NpyArray.FromTensor(converted), origin);
    }

    /// <summary>All elements as doubles (integers converted, booleans 0 or 1).</summary>
    public double[] ToDoubleArray() => Array.ToDoubleArray();

    /// <summary>All elements as longs.</summary>
    /// <exception cref="InvalidOperationException">When the value holds reals.</exception>
    public long[] ToInt64Array() => Array.ToInt64Array();

    /// <summary>
    /// Copies the value into a tensor: integers as int64, booleans as bool, reals as <paramref name="realType"/>.
    /// The caller owns the tensor.
    /// </summary>
    public Tensor ToTensor(ScalarType realType = ScalarType.Float64, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var result = Array.ToTensor();
        if (!IsInteger && !IsBoolean && result.dtype != realType) result = result.to(realType);
        if (device is not null && device.type != DeviceType.CPU) result = result.to(device);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{(IsBoolean ? "bool" : IsInteger ? "int" : "real")}[{string.Join(", ", Shape)}] from {Origin}";
}
