using System.Globalization;
using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// Parses JSON text (RFC 8259) into <see cref="JsonSyntax"/> nodes carrying their line and column, keeping numbers
/// as written. We parse JSON ourselves rather than with System.Text.Json because data files need the exact
/// spelling of each number (int or real), the position of every value (for ragged-array errors), and Python's
/// non-standard <c>NaN</c>/<c>Infinity</c> literals.
/// </summary>
internal sealed class JsonSyntaxParser
{
    // Deeper nesting than any rectangular data array needs; it bounds recursion on hostile input.
    private const int MaxDepth = 256;

    private readonly string text;
    private int position;
    private int line = 1;
    private int lineStart;

    private JsonSyntaxParser(string text) => this.text = text;

    /// <summary>Parses a whole document; on failure returns the error message and its position instead.</summary>
    public static (JsonSyntax? Value, string? Error, int Line, int Column) Parse(string text)
    {
        var parser = new JsonSyntaxParser(text);
        try
        {
            // A byte-order mark is allowed before the document.
            if (parser.position < text.Length && text[parser.position] == '\uFEFF') parser.position++;
            parser.SkipWhitespace();
            var value = parser.ParseValue(0);
            parser.SkipWhitespace();
            if (parser.position < text.Length) throw parser.Error($"unexpected {parser.Describe()} after the end of the document");
            return (value, null, 0, 0);
        }
        catch (JsonSyntaxException e)
        {
            return (null, e.Message, e.Line, e.Column);
        }
    }

    private JsonSyntax ParseValue(int depth)
    {
        if (depth > MaxDepth) throw Error($"arrays or objects nested deeper than {MaxDepth} levels");
        if (position >= text.Length) throw Error("the document ends where a value was expected");
        int valueLine = line, valueColumn = Column;
        char c = text[position];
        switch (c)
        {
            case '{': return ParseObject(depth, valueLine, valueColumn);
            case '[': return ParseArray(depth, valueLine, valueColumn);
            case '"': return new JsonStringSyntax(ParseString(), valueLine, valueColumn);
            case 't' when TakeWord("true"): return new JsonBooleanSyntax(true, valueLine, valueColumn);
            case 'f' when TakeWord("false"): return new JsonBooleanSyntax(false, valueLine, valueColumn);
            case 'n' when TakeWord("null"): return new JsonNullSyntax(valueLine, valueColumn);
            case 'N' when TakeWord("NaN"): return new JsonNumberSyntax("NaN", valueLine, valueColumn);
            case 'I' when TakeWord("Infinity"): return new JsonNumberSyntax("Infinity", valueLine, valueColumn);
            case '-' when string.CompareOrdinal(text, position, "-Infinity", 0, 9) == 0 && TakeWord("-Infinity"):
                return new JsonNumberSyntax("-Infinity", valueLine, valueColumn);
            default:
                if (c == '-' || char.IsAsciiDigit(c)) return new JsonNumberSyntax(ParseNumber(), valueLine, valueColumn);
                throw Error($"unexpected {Describe()} where a value was expected");
        }
    }

    private JsonObjectSyntax ParseObject(int depth, int startLine, int startColumn)
    {
        position++;
        var members = new List<(JsonStringSyntax, JsonSyntax)>();
        SkipWhitespace();
        if (Take('}')) return new JsonObjectSyntax(members, startLine, startColumn);
        while (true)
        {
            SkipWhitespace();
            if (position >= text.Length || text[position] != '"')
                throw Error(position < text.Length && text[position] == '}' ? "a comma before '}' (trailing commas are not JSON)" : $"expected a quoted name but found {Describe()}");
            int keyLine = line, keyColumn = Column;
            var key = new JsonStringSyntax(ParseString(), keyLine, keyColumn);
            SkipWhitespace();
            if (!Take(':')) throw Error($"expected ':' after the name \"{key.Value}\" but found {Describe()}");
            SkipWhitespace();
            members.Add((key, ParseValue(depth + 1)));
            SkipWhitespace();
            if (Take('}')) return new JsonObjectSyntax(members, startLine, startColumn);
            if (!Take(',')) throw Error($"expected ',' or '}}' but found {Describe()}");
        }
    }

    private JsonArraySyntax ParseArray(int depth, int startLine, int startColumn)
    {
        position++;
        var items = new List<JsonSyntax>();
        SkipWhitespace();
        if (Take(']')) return new JsonArraySyntax(items, startLine, startColumn);
        while (true)
        {
            SkipWhitespace();
            if (position < text.Length && text[position] == ']') throw Error("a comma before ']' (trailing commas are not JSON)");
            items.Add(ParseValue(depth + 1));
            SkipWhitespace();
            if (Take(']')) return new JsonArraySyntax(items, startLine, startColumn);
            if (!Take(',')) throw Error($"expected ',' or ']' but found {Describe()}");
        }
    }

    private string ParseString()
    {
        position++;
        var result = new StringBuilder();
        while (true)
        {
            if (position >= text.Length) throw Error("the document ends inside a string");
            char c = text[position];
            if (c == '"')
            {
                position++;
                return result.ToString();
            }
            if (c < ' ') throw Error(c == '\n' ? "a line break inside a string (strings end with '\"' on the same line)" : "a control character inside a string");
            if (c != '\\')
            {
                result.Append(c);
                position++;
                continue;
            }
            if (position + 1 >= text.Length) throw Error("the document ends inside a string");
            char escaped = text[position + 1];
            position += 2;
            switch (escaped)
            {
                case '"': result.Append('"'); break;
                case '\\': result.Append('\\'); break;
                case '/': result.Append('/'); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'u':
                    if (position + 4 > text.Length
                        || !int.TryParse(text.AsSpan(position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        position -= 2;
                        throw Error("\\u must be followed by four hexadecimal digits");
                    }
                    result.Append((char)code);
                    position += 4;
                    break;
                default:
                    position -= 2;
                    throw Error($"unknown escape '\\{escaped}' in a string");
            }
        }
    }

    private string ParseNumber()
    {
        int start = position;
        Take('-');
        if (Take('0'))
        {
            if (position < text.Length && char.IsAsciiDigit(text[position])) throw Error("a number with a leading zero");
        }
        else if (!TakeDigits()) throw Error("'-' must be followed by digits");
        if (Take('.') && !TakeDigits()) throw Error("'.' must be followed by digits");
        if (position < text.Length && text[position] is 'e' or 'E')
        {
            position++;
            if (position < text.Length && text[position] is '+' or '-') position++;
            if (!TakeDigits()) throw Error("an exponent must have digits");
        }
        if (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '.'))
            throw Error($"unexpected {Describe()} in a number");
        return text[start..position];
    }

    private bool TakeDigits()
    {
        int start = position;
        while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
        return position > start;
    }

    private bool TakeWord(string word)
    {
        if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0) return false;
        int end = position + word.Length;
        if (end < text.Length && char.IsAsciiLetterOrDigit(text[end])) return false;
        position = end;
        return true;
    }

    private bool Take(char c)
    {
        if (position >= text.Length || text[position] != c) return false;
        position++;
        return true;
    }

    private void SkipWhitespace()
    {
        while (position < text.Length)
        {
            char c = text[position];
            if (c == '\n')
            {
                line++;
                lineStart = position + 1;
            }
            else if (c is not (' ' or '\t' or '\r')) return;
            position++;
        }
    }

    private int Column => position - lineStart + 1;

    private string Describe()
    {
        if (position >= text.Length) return "the end of the document";
        char c = text[position];
        return char.IsControl(c) ? $"character U+{(int)c:X4}" : $"'{c}'";
    }

    private JsonSyntaxException Error(string message) => new(message, line, Column);

    // Internal control flow of this parser only: it never escapes Parse, which turns it into an error value.
    private sealed class JsonSyntaxException(string message, int line, int column) : Exception(message)
    {
        public int Line { get; } = line;

        public int Column { get; } = column;
    }
}
