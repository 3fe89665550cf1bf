using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ppl.Runtime.IO;

/// <summary>
/// Reads JSON text (RFC 8259) with System.Text.Json's <see cref="Utf8JsonReader"/> into <see cref="JsonSyntax"/> nodes that
/// carry their line and column and keep numbers as written (so integers and reals can be told apart). Python's bare
/// <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, which <c>json.dump</c> writes although JSON has no such literals, are
/// accepted (<see cref="BareNonFiniteLiterals"/>). Syntax errors come back as a message with the 1-based line and
/// column (in characters) of the first problem.
/// </summary>
internal static partial class JsonSyntaxReader
{
    // Deeper nesting than any rectangular data array needs; it bounds recursion on hostile input.
    private const int MaxDepth = 256;

    /// <summary>Parses a whole document; on failure returns the error message and its position instead.</summary>
    public static (JsonSyntax? Value, string? Error, int Line, int Column) Parse(string text)
    {
        // A byte-order mark is allowed before the document.
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var bytes = Encoding.UTF8.GetBytes(text);
        var literals = BareNonFiniteLiterals.Substitute(bytes);
        var lines = new LineMap(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            reader.Read();
            var value = ReadValue(ref reader, lines, literals);
            // A second value, or anything but whitespace after the first, is an error the reader reports.
            reader.Read();
            return (value, null, 0, 0);
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0);
            return (null, Clean(e.Message), line + 1, lines.Column(line, e.BytePositionInLine ?? 0));
        }
    }

    private static JsonSyntax ReadValue(ref Utf8JsonReader reader, LineMap lines, IReadOnlyDictionary<long, string> literals)
    {
        var (line, column) = lines.Position(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var members = new List<(JsonStringSyntax, JsonSyntax)>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (keyLine, keyColumn) = lines.Position(reader.TokenStartIndex);
                    var key = new JsonStringSyntax(StringOf(ref reader, lines), keyLine, keyColumn);
                    reader.Read();
                    members.Add((key, ReadValue(ref reader, lines, literals)));
                }
                return new JsonObjectSyntax(members, line, column);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<JsonSyntax>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lines, literals));
                return new JsonArraySyntax(items, line, column);
            }
            case JsonTokenType.String:
                return new JsonStringSyntax(StringOf(ref reader, lines), line, column);
            case JsonTokenType.Number:
                return new JsonNumberSyntax(literals.TryGetValue(reader.TokenStartIndex, out var literal)
                    ? literal
                    : Encoding.UTF8.GetString(reader.ValueSpan), line, column);
            case JsonTokenType.True:
                return new JsonBooleanSyntax(true, line, column);
            case JsonTokenType.False:
                return new JsonBooleanSyntax(false, line, column);
            default:
                return new JsonNullSyntax(line, column);
        }
    }

    private static string StringOf(ref Utf8JsonReader reader, LineMap lines)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // GetString refuses a string whose escapes spell invalid UTF-16 (a lone surrogate); the reader does not.
            var (line, byteInLine) = lines.LineAndByte(reader.TokenStartIndex);
            throw new JsonException(e.Message, null, line, byteInLine);
        }
    }

    // System.Text.Json appends the position (which the caller reports as line:column) and, for syntax it can be told to
    // accept, advice about reader options that a data file's author cannot act on.
    private static string Clean(string message) =>
        PositionSuffix().Replace(message, "")
            .Replace(" Change the reader options.", "")
            .Replace(" which is not supported in this mode.", " (trailing commas are not JSON).")
            .Replace(", when isFinalBlock is true.", ".")
            .TrimEnd();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial Regex PositionSuffix();

    /// <summary>Byte offsets of the starts of lines, to turn a byte offset into a line and a column in characters.</summary>
    private sealed class LineMap
    {
        private readonly byte[] bytes;
        private readonly List<long> starts = new() { 0 };

        public LineMap(byte[] bytes)
        {
            this.bytes = bytes;
            for (int i = 0; i < bytes.Length; i++)
                if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        }

        /// <summary>1-based line and column of the byte at <paramref name="offset"/>.</summary>
        public (int Line, int Column) Position(long offset)
        {
            var (line, byteInLine) = LineAndByte(offset);
            return (line + 1, Column(line, byteInLine));
        }

        /// <summary>0-based line and byte within it of the byte at <paramref name="offset"/>.</summary>
        public (int Line, long ByteInLine) LineAndByte(long offset)
        {
            int index = starts.BinarySearch(offset);
            int line = index >= 0 ? index : ~index - 1;
            return (line, offset - starts[line]);
        }

        /// <summary>1-based column, in characters, of the byte <paramref name="byteInLine"/> of 0-based line <paramref name="line"/>.</summary>
        public int Column(int line, long byteInLine)
        {
            if (line < 0 || line >= starts.Count) return 1;
            long start = starts[line];
            int length = (int)Math.Clamp(byteInLine, 0, bytes.Length - start);
            return Encoding.UTF8.GetCharCount(bytes, (int)start, length) + 1;
        }
    }
}
