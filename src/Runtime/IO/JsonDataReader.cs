using System.Globalization;
using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// Reads CmdStan-style JSON data: one object whose members are numbers, booleans, rectangular nested arrays of
/// them (any depth), or the strings Stan allows for non-finite reals (<c>"inf"</c>, <c>"-inf"</c>, <c>"NaN"</c>,
/// <c>"Infinity"</c>, any case). A value is an integer when every element is written without '.' or exponent.
/// All problems are returned with their line and column; reading goes on past a bad member to report the others.
/// </summary>
public static class JsonDataReader
{
    /// <summary>Reads a JSON data file.</summary>
    public static DataFileResult<IReadOnlyDictionary<string, DataValue>> Read(string path) =>
        DataFileAccess.ReadFile(path, stream =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Parse(reader.ReadToEnd(), path);
        });

    /// <summary>Parses JSON data text.</summary>
    /// <param name="json">The document.</param>
    /// <param name="origin">The file name used in errors and in each value's <see cref="DataValue.Origin"/>.</param>
    public static DataFileResult<IReadOnlyDictionary<string, DataValue>> Parse(string json, string origin)
    {
        var (document, syntaxError, errorLine, errorColumn) = JsonSyntaxReader.Parse(json);
        if (document is null)
            return Fail(new DataFileError(DiagnosticCatalogue.MalformedJson, "malformed JSON: " + syntaxError, origin, errorLine, errorColumn));
        if (document is not JsonObjectSyntax root)
            return Fail(new DataFileError(DiagnosticCatalogue.UnsupportedValue,
                "a data file must be one JSON object mapping names to values, e.g. {\"N\": 3, \"y\": [1.5, 2, 0.5]}", origin, document.Line, document.Column));
        var values = new OrderedDictionary<string, DataValue>(StringComparer.Ordinal);
        var errors = new List<DataFileError>();
        foreach (var (key, node) in root.Members)
        {
            if (values.ContainsKey(key.Value))
            {
                errors.Add(new DataFileError(DiagnosticCatalogue.DuplicateName, $"'{key.Value}' is given twice", origin, key.Line, key.Column));
                continue;
            }
            var value = Convert(key.Value, node, origin, errors);
            if (value is not null) values.Add(key.Value, value);
        }
        return errors.Count > 0 ? Fail(errors) : DataFileResult<IReadOnlyDictionary<string, DataValue>>.Success(values);
    }

    private static DataValue? Convert(string name, JsonSyntax node, string origin, List<DataFileError> errors)
    {
        var shape = ShapeOf(name, node, origin, errors);
        if (shape is null) return null;
        var leaves = new List<JsonSyntax>();
        CollectLeaves(node, leaves);
        var kinds = new ElementKind[leaves.Count];
        var reals = new double[leaves.Count];
        var integers = new long[leaves.Count];
        for (int i = 0; i < leaves.Count; i++)
        {
            var error = Classify(name, leaves[i], origin, out kinds[i], out reals[i], out integers[i]);
            if (error is not null)
            {
                errors.Add(error);
                return null;
            }
        }
        bool anyBoolean = kinds.Contains(ElementKind.Boolean);
        int firstNumber = System.Array.FindIndex(kinds, k => k != ElementKind.Boolean);
        if (anyBoolean && firstNumber >= 0)
        {
            int culprit = kinds[0] == ElementKind.Boolean ? firstNumber : System.Array.IndexOf(kinds, ElementKind.Boolean);
            errors.Add(new DataFileError(DiagnosticCatalogue.MixedElementTypes,
                $"'{name}' mixes booleans and numbers; an array holds one or the other", origin, leaves[culprit].Line, leaves[culprit].Column));
            return null;
        }
        var where = $"{origin}:{node.Line}:{node.Column}";
        NpyArray array;
        if (anyBoolean) array = NpyArray.Create(integers.Select(v => v != 0).ToArray(), shape);
        else if (kinds.Contains(ElementKind.Real))
        {
            for (int i = 0; i < kinds.Length; i++)
                if (kinds[i] == ElementKind.Integer) reals[i] = integers[i];
            array = NpyArray.Create(reals, shape);
        }
        else array = NpyArray.Create(integers, shape);
        return new DataValue(array, where);
    }

    private enum ElementKind
    {
        Integer,
        Real,
        Boolean,
    }

    private static long[]? ShapeOf(string name, JsonSyntax node, string origin, List<DataFileError> errors)
    {
        if (node is not JsonArraySyntax array) return System.Array.Empty<long>();
        if (array.Items.Count == 0) return new long[] { 0 };
        var first = ShapeOf(name, array.Items[0], origin, errors);
        if (first is null) return null;
        for (int i = 1; i < array.Items.Count; i++)
        {
            var item = array.Items[i];
            var shape = ShapeOf(name, item, origin, errors);
            if (shape is null) return null;
            if (!shape.AsSpan().SequenceEqual(first))
            {
                errors.Add(new DataFileError(DiagnosticCatalogue.RaggedArray,
                    $"'{name}' is not rectangular: element {i + 1} of the array at line {array.Line}, column {array.Column} " +
                    $"is {Describe(shape)} but element 1 is {Describe(first)}", origin, item.Line, item.Column));
                return null;
            }
        }
        return new[] { (long)array.Items.Count }.Concat(first).ToArray();
    }

    private static string Describe(long[] shape) =>
        shape.Length == 0 ? "a scalar" : $"an array of shape ({string.Join(", ", shape)})";

    private static void CollectLeaves(JsonSyntax node, List<JsonSyntax> leaves)
    {
        if (node is JsonArraySyntax array)
            foreach (var item in array.Items) CollectLeaves(item, leaves);
        else leaves.Add(node);
    }

    private static DataFileError? Classify(string name, JsonSyntax leaf, string origin, out ElementKind kind, out double real, out long integer)
    {
        kind = ElementKind.Real;
        real = 0;
        integer = 0;
        switch (leaf)
        {
            case JsonNumberSyntax number when NonFiniteNumbers.TryParse(number.Text, out real):
                return null;
            case JsonNumberSyntax number when number.Text.AsSpan().IndexOfAny('.', 'e', 'E') >= 0:
                real = double.Parse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
                return double.IsInfinity(real)
                    ? new DataFileError(DiagnosticCatalogue.NumberOutOfRange, $"{number.Text} in '{name}' is too large for a real (write \"inf\" for infinity)", origin, leaf.Line, leaf.Column)
                    : null;
            case JsonNumberSyntax number:
                kind = ElementKind.Integer;
                return long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer)
                    ? null
                    : new DataFileError(DiagnosticCatalogue.NumberOutOfRange,
                        $"{number.Text} in '{name}' does not fit a 64-bit integer (write it with a '.' to make it real)", origin, leaf.Line, leaf.Column);
            case JsonStringSyntax text when NonFiniteNumbers.TryParse(text.Value, out real):
                return null;
            case JsonStringSyntax text:
                return new DataFileError(DiagnosticCatalogue.UnsupportedValue,
                    $"the string \"{text.Value}\" in '{name}' is not a number (strings may only be \"inf\", \"-inf\" or \"NaN\")", origin, leaf.Line, leaf.Column);
            case JsonBooleanSyntax boolean:
                kind = ElementKind.Boolean;
                integer = boolean.Value ? 1 : 0;
                return null;
            case JsonNullSyntax:
                return new DataFileError(DiagnosticCatalogue.UnsupportedValue,
                    $"null in '{name}' is not a value (write \"NaN\" for a missing real)", origin, leaf.Line, leaf.Column);
            default:
                return new DataFileError(DiagnosticCatalogue.UnsupportedValue,
                    $"'{name}' holds an object; data values are numbers, booleans and arrays of them", origin, leaf.Line, leaf.Column);
        }
    }

    private static DataFileResult<IReadOnlyDictionary<string, DataValue>> Fail(DataFileError error) =>
        DataFileResult<IReadOnlyDictionary<string, DataValue>>.Failure(error);

    private static DataFileResult<IReadOnlyDictionary<string, DataValue>> Fail(List<DataFileError> errors) =>
        DataFileResult<IReadOnlyDictionary<string, DataValue>>.Failure(errors);
}
