using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// An n-dimensional array held in plain .NET memory, in C (row-major) order and this machine's byte order:
/// what a <c>.npy</c> file holds, for callers that do not want tensors. The elements live in a one-dimensional
/// array of <see cref="NpyDType.ElementType"/> (see <see cref="Data"/>).
/// </summary>
public sealed class NpyArray
{
    private readonly long[] shape;

    /// <summary>Wraps <paramref name="data"/> (not copied) as an array of the given type and shape.</summary>
    /// <param name="dtype">The element type; its byte order is taken to be this machine's.</param>
    /// <param name="shape">The dimensions; empty for a 0-d array (one element).</param>
    /// <param name="data">A one-dimensional array of <see cref="NpyDType.ElementType"/> with as many elements as the shape has.</param>
    /// <exception cref="ArgumentException">When the data's type or length does not match.</exception>
    public NpyArray(NpyDType dtype, IReadOnlyList<long> shape, Array data)
    {
        dtype = dtype.InHostOrder();
        if (data.Rank != 1 || data.GetType().GetElementType() != dtype.ElementType)
            throw new ArgumentException($"Data of type {data.GetType()} cannot hold {dtype.Descr}; expected {dtype.ElementType}[].", nameof(data));
        if (shape.Any(n => n < 0)) throw new ArgumentException("Dimensions cannot be negative.", nameof(shape));
        long count = NpyHeader.CountElements(shape);
        if (data.LongLength != count)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) needs {count} elements but the data has {data.LongLength}.", nameof(data));
        DType = dtype;
        this.shape = shape.ToArray();
        Data = data;
    }

    /// <summary>The element type (in this machine's byte order).</summary>
    public NpyDType DType { get; }

    /// <summary>The NumPy type string of the elements, e.g. <c>&lt;f8</c>.</summary>
    public string Descr => DType.Descr;

    /// <summary>The dimensions (a copy); empty for a 0-d array.</summary>
    public long[] Shape => (long[])shape.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>The number of elements.</summary>
    public long ElementCount => Data.LongLength;

    /// <summary>The elements in C order: a one-dimensional array of <see cref="NpyDType.ElementType"/>.</summary>
    public Array Data { get; }

    /// <summary>Creates an array of the element type NumPy uses for <typeparamref name="T"/> (complex means complex128).</summary>
    public static NpyArray Create<T>(T[] data, params long[] shape) where T : unmanaged =>
        new(NpyDType.For(typeof(T)), shape, data);

    /// <summary>Creates a one-dimensional array.</summary>
    public static NpyArray FromVector<T>(T[] data) where T : unmanaged => Create(data, data.LongLength);

    /// <summary>Creates a 2-d array from a rectangular .NET array (copied).</summary>
    public static NpyArray FromMatrix<T>(T[,] matrix) where T : unmanaged
    {
        var flat = new T[matrix.Length];
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length).CopyTo(flat);
        return Create(flat, matrix.GetLength(0), matrix.GetLength(1));
    }

    /// <summary>The elements as <typeparamref name="T"/>[] without copying.</summary>
    /// <exception cref="InvalidOperationException">When the elements are not stored as <typeparamref name="T"/>.</exception>
    public T[] GetData<T>() => typeof(T) == DType.ElementType
        ? (T[])Data
        : throw new InvalidOperationException($"The array holds {DType.ElementType.Name} ({Descr}), not {typeof(T).Name}.");

    /// <summary>The position of an element in <see cref="Data"/>.</summary>
    public long FlatIndex(params long[] index)
    {
        if (index.Length != shape.Length) throw new ArgumentException($"Expected {shape.Length} indices, got {index.Length}.", nameof(index));
        long flat = 0;
        for (int k = 0; k < shape.Length; k++)
        {
            if ((ulong)index[k] >= (ulong)shape[k]) throw new ArgumentOutOfRangeException(nameof(index), $"Index {index[k]} is outside dimension {k} of size {shape[k]}.");
            flat = flat * shape[k] + index[k];
        }
        return flat;
    }

    /// <summary>One element as a double (booleans are 0 or 1; complex numbers are refused).</summary>
    public double GetDouble(params long[] index) => ElementAsDouble(FlatIndex(index));

    /// <summary>All elements converted to double (booleans become 0 or 1).</summary>
    /// <exception cref="InvalidOperationException">For complex arrays.</exception>
    public double[] ToDoubleArray()
    {
        // The constructor guarantees that Data's element type is exactly DType.ElementType, so the casts below are
        // safe. Type patterns would not be: the runtime lets long[] pass for ulong[] (and so on) in type tests.
        return (DType.Kind, DType.ItemSize) switch
        {
            (NpyTypeKind.Float, 8) => (double[])((double[])Data).Clone(),
            (NpyTypeKind.Float, 4) => Array.ConvertAll((float[])Data, v => (double)v),
            (NpyTypeKind.Float, 2) => Array.ConvertAll((Half[])Data, v => (double)v),
            (NpyTypeKind.UnsignedInteger, 8) => Array.ConvertAll((ulong[])Data, v => (double)v),
            (NpyTypeKind.Complex, _) => throw new InvalidOperationException($"A {Descr} array cannot be converted to real numbers."),
            _ => Array.ConvertAll(ToInt64Array(), v => (double)v),
        };
    }

    /// <summary>All elements converted to long. Integers and booleans only.</summary>
    /// <exception cref="InvalidOperationException">For floating-point or complex arrays.</exception>
    /// <exception cref="OverflowException">For uint64 values above <see cref="long.MaxValue"/>.</exception>
    public long[] ToInt64Array() => (DType.Kind, DType.ItemSize) switch
    {
        (NpyTypeKind.SignedInteger, 8) => (long[])((long[])Data).Clone(),
        (NpyTypeKind.SignedInteger, 4) => Array.ConvertAll((int[])Data, v => (long)v),
        (NpyTypeKind.SignedInteger, 2) => Array.ConvertAll((short[])Data, v => (long)v),
        (NpyTypeKind.SignedInteger, 1) => Array.ConvertAll((sbyte[])Data, v => (long)v),
        (NpyTypeKind.UnsignedInteger, 8) => Array.ConvertAll((ulong[])Data, v => checked((long)v)),
        (NpyTypeKind.UnsignedInteger, 4) => Array.ConvertAll((uint[])Data, v => (long)v),
        (NpyTypeKind.UnsignedInteger, 2) => Array.ConvertAll((ushort[])Data, v => (long)v),
        (NpyTypeKind.UnsignedInteger, 1) => Array.ConvertAll((byte[])Data, v => (long)v),
        (NpyTypeKind.Boolean, _) => Array.ConvertAll((bool[])Data, v => v ? 1L : 0L),
        _ => throw new InvalidOperationException($"A {Descr} array does not hold integers."),
    };

    /// <summary>The elements of a boolean array (a copy).</summary>
    public bool[] ToBooleanArray() => (bool[])GetData<bool>().Clone();

    /// <summary>All elements as complex numbers (real types get a zero imaginary part).</summary>
    public Complex[] ToComplexArray() => DType.Kind == NpyTypeKind.Complex
        ? (Complex[])((Complex[])Data).Clone()
        : Array.ConvertAll(ToDoubleArray(), v => new Complex(v, 0));

    /// <summary>
    /// Copies the array into a CPU tensor: float64, float32, float16, bool and complex keep their type; all integer
    /// types become int64, except a uint64 array with values above 2^63-1, which becomes float64.
    /// </summary>
    public Tensor ToTensor()
    {
        using var scope = NewDisposeScope();
        Tensor result = (DType.Kind, DType.ItemSize) switch
        {
            (NpyTypeKind.Float, 8) => tensor((double[])Data, shape),
            (NpyTypeKind.Float, 4) => tensor((float[])Data, shape),
            (NpyTypeKind.Float, 2) => tensor((Half[])Data, shape),
            (NpyTypeKind.Boolean, _) => tensor((bool[])Data, shape),
            (NpyTypeKind.Complex, 16) => tensor((Complex[])Data, shape),
            (NpyTypeKind.Complex, _) => tensor((Complex[])Data, shape).to(ScalarType.ComplexFloat32),
            (NpyTypeKind.UnsignedInteger, 8) when ((ulong[])Data).Any(v => v > long.MaxValue) => tensor(ToDoubleArray(), shape),
            _ => tensor(ToInt64Array(), shape),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Copies a tensor (from any device) into an array of the type <see cref="NpyDType.For(ScalarType)"/> gives.
    /// </summary>
    public static NpyArray FromTensor(Tensor source)
    {
        var dtype = NpyDType.For(source.dtype);
        long count = source.numel();
        if (count > Array.MaxLength) throw new ArgumentException($"A tensor of {count} elements does not fit a .NET array.", nameof(source));
        var data = Array.CreateInstance(dtype.ElementType, count);
        using var scope = NewDisposeScope();
        // Complex stores two doubles, so complex64 is widened first; bfloat16 has no NumPy type.
        var converted = source.dtype switch
        {
            ScalarType.BFloat16 => source.to(ScalarType.Float32),
            ScalarType.ComplexFloat32 => source.to(ScalarType.ComplexFloat64),
            _ => source,
        };
        TensorMemory.CopyTo(converted, data);
        return new NpyArray(dtype, source.shape, data);
    }

    private double ElementAsDouble(long i) => (DType.Kind, DType.ItemSize) switch
    {
        (NpyTypeKind.Float, 8) => ((double[])Data)[i],
        (NpyTypeKind.Float, 4) => ((float[])Data)[i],
        (NpyTypeKind.Float, 2) => (double)((Half[])Data)[i],
        (NpyTypeKind.SignedInteger, 8) => ((long[])Data)[i],
        (NpyTypeKind.SignedInteger, 4) => ((int[])Data)[i],
        (NpyTypeKind.SignedInteger, 2) => ((short[])Data)[i],
        (NpyTypeKind.SignedInteger, 1) => ((sbyte[])Data)[i],
        (NpyTypeKind.UnsignedInteger, 8) => ((ulong[])Data)[i],
        (NpyTypeKind.UnsignedInteger, 4) => ((uint[])Data)[i],
        (NpyTypeKind.UnsignedInteger, 2) => ((ushort[])Data)[i],
        (NpyTypeKind.UnsignedInteger, 1) => ((byte[])Data)[i],
        (NpyTypeKind.Boolean, _) => ((bool[])Data)[i] ? 1 : 0,
        _ => throw new InvalidOperationException($"A {Descr} element is not a real number."),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Descr} array of shape ({string.Join(", ", shape)})";
}
