using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace Ppl.Runtime.IO;

/// <summary>
/// Writes CmdStan-style JSON data (for <c>--init</c> files, simulated data and round trips): one object, one
/// member per line, nested arrays for tensors. Reals are written in the shortest form that reads back to the
/// same double and always with a '.' or an exponent, so they read back as reals; infinities and NaN are the
/// strings <c>"inf"</c>, <c>"-inf"</c> and <c>"NaN"</c>, as Stan reads them.
/// </summary>
public static class JsonDataWriter
{
    /// <summary>Writes values to a file, atomically.</summary>
    public static DataFileResult Write(string path, IEnumerable<KeyValuePair<string, DataValue>> values) =>
        DataFileAccess.WriteAtomically(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
            Write(writer, values);
        });

    /// <summary>Writes tensors to a file, atomically (integer tensors as integers, floating-point as reals).</summary>
    public static DataFileResult Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors) =>
        Write(path, tensors.Select(t => KeyValuePair.Create(t.Key, DataValue.FromTensor(t.Value))).ToList());

    /// <summary>Formats values as a JSON document.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, DataValue>> values)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(writer, values);
        return writer.ToString();
    }

    /// <summary>Writes values as a JSON document.</summary>
    public static void Write(TextWriter writer, IEnumerable<KeyValuePair<string, DataValue>> values)
    {
        writer.Write('{');
        bool first = true;
        foreach (var (name, value) in values)
        {
            writer.Write(first ? "\n  " : ",\n  ");
            first = false;
            WriteString(writer, name);
            writer.Write(": ");
            WriteValue(writer, value.Array);
        }
        writer.Write(first ? "}\n" : "\n}\n");
    }

    /// <summary>Formats a real so that it reads back as the same double and as a real.</summary>
    public static string FormatReal(double value)
    {
        if (double.IsNaN(value)) return "\"NaN\"";
        if (double.IsPositiveInfinity(value)) return "\"inf\"";
        if (double.IsNegativeInfinity(value)) return "\"-inf\"";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E', 'e') >= 0 ? text : text + ".0";
    }

    private static void WriteValue(TextWriter writer, NpyArray array)
    {
        var shape = array.Shape;
        Func<long, string> element = array.DType.Kind switch
        {
            NpyTypeKind.Boolean => BooleanFormatter(array.GetData<bool>()),
            NpyTypeKind.Float when array.DType.ItemSize == 4 => SingleFormatter(array.GetData<float>()),
            NpyTypeKind.Float => RealFormatter(array.ToDoubleArray()),
            NpyTypeKind.SignedInteger or NpyTypeKind.UnsignedInteger => IntegerFormatter(array),
            _ => throw new ArgumentException($"A {array.Descr} array cannot be written as JSON data.", nameof(array)),
        };
        if (shape.Length == 0)
        {
            writer.Write(element(0));
            return;
        }
        long next = 0;
        WriteNested(writer, shape, 0, element, ref next);
    }

    private static Func<long, string> BooleanFormatter(bool[] values) => i => values[i] ? "true" : "false";

    private static Func<long, string> RealFormatter(double[] values) => i => FormatReal(values[i]);

    // float32 data are written in the shortest form that reads back to the same float, not the same double.
    private static Func<long, string> SingleFormatter(float[] values) => i =>
    {
        var value = values[i];
        if (!float.IsFinite(value)) return FormatReal(value);
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E', 'e') >= 0 ? text : text + ".0";
    };

    private static Func<long, string> IntegerFormatter(NpyArray array)
    {
        if (array.DType is { Kind: NpyTypeKind.UnsignedInteger, ItemSize: 8 })
        {
            var unsigned = array.GetData<ulong>();
            return i => unsigned[i].ToString(CultureInfo.InvariantCulture);
        }
        var integers = array.ToInt64Array();
        return i => integers[i].ToString(CultureInfo.InvariantCulture);
    }

    private static void WriteNested(TextWriter writer, long[] shape, int level, Func<long, string> element, ref long next)
    {
        writer.Write('[');
        for (long i = 0; i < shape[level]; i++)
        {
            if (i > 0) writer.Write(", ");
            if (level == shape.Length - 1) writer.Write(element(next++));
            else WriteNested(writer, shape, level + 1, element, ref next);
        }
        writer.Write(']');
    }

    private static void WriteString(TextWriter writer, string text)
    {
        writer.Write('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': writer.Write("\\\""); break;
                case '\\': writer.Write("\\\\"); break;
                case '\n': writer.Write("\\n"); break;
                case '\r': writer.Write("\\r"); break;
                case '\t': writer.Write("\\t"); break;
                default:
                    if (c < ' ') writer.Write($"\\u{(int)c:x4}");
                    else writer.Write(c);
                    break;
            }
        }
        writer.Write('"');
    }
}
