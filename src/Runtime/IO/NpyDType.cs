using System.Numerics;
using TorchSharp;

namespace Ppl.Runtime.IO;

/// <summary>The kinds of NumPy element types we read and write.</summary>
public enum NpyTypeKind
{
    /// <summary><c>b1</c>: one byte, 0 or 1.</summary>
    Boolean,

    /// <summary><c>i1</c>, <c>i2</c>, <c>i4</c>, <c>i8</c>.</summary>
    SignedInteger,

    /// <summary><c>u1</c>, <c>u2</c>, <c>u4</c>, <c>u8</c>.</summary>
    UnsignedInteger,

    /// <summary><c>f2</c>, <c>f4</c>, <c>f8</c>.</summary>
    Float,

    /// <summary><c>c8</c> (two float32) and <c>c16</c> (two float64).</summary>
    Complex,
}

/// <summary>The byte order of multi-byte elements, as the first character of a NumPy type string says.</summary>
public enum NpyByteOrder
{
    /// <summary><c>&lt;</c>.</summary>
    Little,

    /// <summary><c>&gt;</c>.</summary>
    Big,

    /// <summary><c>|</c>: single-byte elements have no byte order.</summary>
    NotApplicable,
}

/// <summary>
/// A NumPy element type such as <c>&lt;f8</c> or <c>&gt;i4</c>: kind, size in bytes and byte order.
/// </summary>
public readonly record struct NpyDType(NpyTypeKind Kind, int ItemSize, NpyByteOrder ByteOrder)
{
    /// <summary>The byte order of this machine.</summary>
    public static NpyByteOrder HostByteOrder => BitConverter.IsLittleEndian ? NpyByteOrder.Little : NpyByteOrder.Big;

    /// <summary><c>|b1</c>.</summary>
    public static NpyDType Boolean => new(NpyTypeKind.Boolean, 1, NpyByteOrder.NotApplicable);

    /// <summary><c>|i1</c>.</summary>
    public static NpyDType Int8 => new(NpyTypeKind.SignedInteger, 1, NpyByteOrder.NotApplicable);

    /// <summary><c>&lt;i2</c> (host order).</summary>
    public static NpyDType Int16 => new(NpyTypeKind.SignedInteger, 2, HostByteOrder);

    /// <summary><c>&lt;i4</c> (host order).</summary>
    public static NpyDType Int32 => new(NpyTypeKind.SignedInteger, 4, HostByteOrder);

    /// <summary><c>&lt;i8</c> (host order).</summary>
    public static NpyDType Int64 => new(NpyTypeKind.SignedInteger, 8, HostByteOrder);

    /// <summary><c>|u1</c>.</summary>
    public static NpyDType UInt8 => new(NpyTypeKind.UnsignedInteger, 1, NpyByteOrder.NotApplicable);

    /// <summary><c>&lt;u2</c> (host order).</summary>
    public static NpyDType UInt16 => new(NpyTypeKind.UnsignedInteger, 2, HostByteOrder);

    /// <summary><c>&lt;u4</c> (host order).</summary>
    public static NpyDType UInt32 => new(NpyTypeKind.UnsignedInteger, 4, HostByteOrder);

    /// <summary><c>&lt;u8</c> (host order).</summary>
    public static NpyDType UInt64 => new(NpyTypeKind.UnsignedInteger, 8, HostByteOrder);

    /// <summary><c>&lt;f2</c> (host order).</summary>
    public static NpyDType Float16 => new(NpyTypeKind.Float, 2, HostByteOrder);

    /// <summary><c>&lt;f4</c> (host order).</summary>
    public static NpyDType Float32 => new(NpyTypeKind.Float, 4, HostByteOrder);

    /// <summary><c>&lt;f8</c> (host order).</summary>
    public static NpyDType Float64 => new(NpyTypeKind.Float, 8, HostByteOrder);

    /// <summary><c>&lt;c8</c> (host order): complex with float32 parts.</summary>
    public static NpyDType Complex64 => new(NpyTypeKind.Complex, 8, HostByteOrder);

    /// <summary><c>&lt;c16</c> (host order): complex with float64 parts.</summary>
    public static NpyDType Complex128 => new(NpyTypeKind.Complex, 16, HostByteOrder);

    /// <summary>The NumPy type string, e.g. <c>&lt;f8</c>, <c>|u1</c>, <c>&gt;c16</c>.</summary>
    public string Descr
    {
        get
        {
            char order = ByteOrder switch { NpyByteOrder.Little => '<', NpyByteOrder.Big => '>', _ => '|' };
            char kind = Kind switch
            {
                NpyTypeKind.Boolean => 'b',
                NpyTypeKind.SignedInteger => 'i',
                NpyTypeKind.UnsignedInteger => 'u',
                NpyTypeKind.Float => 'f',
                _ => 'c',
            };
            return $"{order}{kind}{ItemSize}";
        }
    }

    /// <summary>True for signed and unsigned integers (not booleans).</summary>
    public bool IsInteger => Kind is NpyTypeKind.SignedInteger or NpyTypeKind.UnsignedInteger;

    /// <summary>Size of one byte-swappable unit: the item size, or half of it for complex numbers.</summary>
    public int ComponentSize => Kind == NpyTypeKind.Complex ? ItemSize / 2 : ItemSize;

    /// <summary>True when the elements' bytes must be reversed to be read on this machine.</summary>
    public bool NeedsByteSwap => ComponentSize > 1 && ByteOrder != NpyByteOrder.NotApplicable && ByteOrder != HostByteOrder;

    /// <summary>
    /// The .NET type <see cref="NpyArray"/> stores elements of this type in: bool, sbyte, short, int, long, byte,
    /// ushort, uint, ulong, Half, float, double, or <see cref="System.Numerics.Complex"/> (for both complex sizes).
    /// </summary>
    public Type ElementType => (Kind, ItemSize) switch
    {
        (NpyTypeKind.Boolean, _) => typeof(bool),
        (NpyTypeKind.SignedInteger, 1) => typeof(sbyte),
        (NpyTypeKind.SignedInteger, 2) => typeof(short),
        (NpyTypeKind.SignedInteger, 4) => typeof(int),
        (NpyTypeKind.SignedInteger, 8) => typeof(long),
        (NpyTypeKind.UnsignedInteger, 1) => typeof(byte),
        (NpyTypeKind.UnsignedInteger, 2) => typeof(ushort),
        (NpyTypeKind.UnsignedInteger, 4) => typeof(uint),
        (NpyTypeKind.UnsignedInteger, 8) => typeof(ulong),
        (NpyTypeKind.Float, 2) => typeof(Half),
        (NpyTypeKind.Float, 4) => typeof(float),
        (NpyTypeKind.Float, 8) => typeof(double),
        (NpyTypeKind.Complex, _) => typeof(Complex),
        _ => throw new InvalidOperationException($"No element type for {Descr}."),
    };

    /// <summary>The same type in this machine's byte order (single-byte types are unchanged).</summary>
    public NpyDType InHostOrder() => ByteOrder == NpyByteOrder.NotApplicable ? this : this with { ByteOrder = HostByteOrder };

    /// <summary>
    /// Parses a NumPy type string. Accepts the byte-order prefixes <c>&lt; &gt; | =</c> (or none, meaning host
    /// order) and the kinds b, i, u, f, c with the sizes listed on <see cref="NpyTypeKind"/>.
    /// </summary>
    /// <returns>The type, or null when the string names a type we do not support.</returns>
    public static NpyDType? Parse(string descr)
    {
        if (descr.Length < 2) return null;
        var order = HostByteOrder;
        int start = 0;
        switch (descr[0])
        {
            case '<': order = NpyByteOrder.Little; start = 1; break;
            case '>': order = NpyByteOrder.Big; start = 1; break;
            case '|': order = NpyByteOrder.NotApplicable; start = 1; break;
            case '=': start = 1; break;
        }
        if (descr.Length - start < 2) return null;
        char kindChar = descr[start];
        var sizeText = descr.AsSpan(start + 1);
        if (!int.TryParse(sizeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size)) return null;
        NpyTypeKind kind;
        switch (kindChar)
        {
            case 'b' when size == 1: kind = NpyTypeKind.Boolean; break;
            case 'i' when size is 1 or 2 or 4 or 8: kind = NpyTypeKind.SignedInteger; break;
            case 'u' when size is 1 or 2 or 4 or 8: kind = NpyTypeKind.UnsignedInteger; break;
            case 'f' when size is 2 or 4 or 8: kind = NpyTypeKind.Float; break;
            case 'c' when size is 8 or 16: kind = NpyTypeKind.Complex; break;
            default: return null;
        }
        if (size == 1) order = NpyByteOrder.NotApplicable;
        else if (order == NpyByteOrder.NotApplicable) order = HostByteOrder;
        return new NpyDType(kind, size, order);
    }

    /// <summary>The type NumPy would use for a .NET element type (host byte order).</summary>
    /// <exception cref="ArgumentException">For types that have no NumPy counterpart here.</exception>
    public static NpyDType For(Type elementType)
    {
        if (elementType == typeof(bool)) return Boolean;
        if (elementType == typeof(sbyte)) return Int8;
        if (elementType == typeof(short)) return Int16;
        if (elementType == typeof(int)) return Int32;
        if (elementType == typeof(long)) return Int64;
        if (elementType == typeof(byte)) return UInt8;
        if (elementType == typeof(ushort)) return UInt16;
        if (elementType == typeof(uint)) return UInt32;
        if (elementType == typeof(ulong)) return UInt64;
        if (elementType == typeof(Half)) return Float16;
        if (elementType == typeof(float)) return Float32;
        if (elementType == typeof(double)) return Float64;
        if (elementType == typeof(Complex)) return Complex128;
        throw new ArgumentException($"{elementType} has no NumPy element type.", nameof(elementType));
    }

    /// <summary>
    /// The type a tensor of <paramref name="scalarType"/> is written as. bfloat16 has no NumPy type and is
    /// written as float32.
    /// </summary>
    public static NpyDType For(torch.ScalarType scalarType) => scalarType switch
    {
        torch.ScalarType.Bool => Boolean,
        torch.ScalarType.Int8 => Int8,
        torch.ScalarType.Int16 => Int16,
        torch.ScalarType.Int32 => Int32,
        torch.ScalarType.Int64 => Int64,
        torch.ScalarType.Byte => UInt8,
        torch.ScalarType.Float16 => Float16,
        torch.ScalarType.BFloat16 => Float32,
        torch.ScalarType.Float32 => Float32,
        torch.ScalarType.Float64 => Float64,
        torch.ScalarType.ComplexFloat32 => Complex64,
        torch.ScalarType.ComplexFloat64 => Complex128,
        _ => throw new ArgumentException($"Tensors of {scalarType} cannot be written as .npy.", nameof(scalarType)),
    };

    /// <summary>
    /// The tensor type whose memory layout equals this type's (ignoring byte order), or null when torch has none
    /// (uint16, uint32, uint64).
    /// </summary>
    internal torch.ScalarType? SameLayoutScalarType => (Kind, ItemSize) switch
    {
        (NpyTypeKind.Boolean, _) => torch.ScalarType.Bool,
        (NpyTypeKind.SignedInteger, 1) => torch.ScalarType.Int8,
        (NpyTypeKind.SignedInteger, 2) => torch.ScalarType.Int16,
        (NpyTypeKind.SignedInteger, 4) => torch.ScalarType.Int32,
        (NpyTypeKind.SignedInteger, 8) => torch.ScalarType.Int64,
        (NpyTypeKind.UnsignedInteger, 1) => torch.ScalarType.Byte,
        (NpyTypeKind.Float, 2) => torch.ScalarType.Float16,
        (NpyTypeKind.Float, 4) => torch.ScalarType.Float32,
        (NpyTypeKind.Float, 8) => torch.ScalarType.Float64,
        (NpyTypeKind.Complex, 8) => torch.ScalarType.ComplexFloat32,
        (NpyTypeKind.Complex, 16) => torch.ScalarType.ComplexFloat64,
        _ => null,
    };

    /// <inheritdoc />
    public override string ToString() => Descr;
}
