using System.Globalization;
using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// Reads the small subset of Python literal syntax that <c>.npy</c> headers use: dicts, quoted strings,
/// True/False/None, integers (with Python 2's optional <c>L</c> suffix) and tuples or lists of them.
/// Whitespace between tokens is skipped by every method.
/// </summary>
internal sealed class PythonLiteralScanner(string text)
{
    private int position;

    /// <summary>The next non-blank character, or '\0' at the end.</summary>
    public char Peek()
    {
        SkipBlanks();
        return position < text.Length ? text[position] : '\0';
    }

    /// <summary>Consumes <paramref name="c"/> if it comes next.</summary>
    public bool Take(char c)
    {
        if (Peek() != c) return false;
        position++;
        return true;
    }

    /// <summary>A quoted string (single or double quotes, backslash escapes), or null.</summary>
    public string? ReadString()
    {
        char quote = Peek();
        if (quote is not ('\'' or '"')) return null;
        position++;
        var result = new StringBuilder();
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == quote) return result.ToString();
            if (c == '\\' && position < text.Length) c = text[position++];
            result.Append(c);
        }
        return null;
    }

    /// <summary>True or False, or null when neither comes next.</summary>
    public bool? ReadBoolean()
    {
        if (TakeWord("True")) return true;
        if (TakeWord("False")) return false;
        return null;
    }

    /// <summary>A tuple (or list) of non-negative integers such as <c>(3, 4)</c>, <c>(5,)</c> or <c>()</c>; null if malformed.</summary>
    public long[]? ReadIntegerTuple()
    {
        char open = Peek();
        char close = open switch { '(' => ')', '[' => ']', _ => '\0' };
        if (close == '\0') return null;
        position++;
        var values = new List<long>();
        while (!Take(close))
        {
            var value = ReadInteger();
            if (value is null || value < 0) return null;
            values.Add(value.Value);
            if (!Take(',') && Peek() != close) return null;
        }
        return values.ToArray();
    }

    /// <summary>Skips any literal value (used for header keys we do not know); false if it cannot be read.</summary>
    public bool SkipValue()
    {
        char c = Peek();
        switch (c)
        {
            case '\'' or '"':
                return ReadString() is not null;
            case '(' or '[' or '{':
                char close = c == '(' ? ')' : c == '[' ? ']' : '}';
                position++;
                while (!Take(close))
                {
                    if (!SkipValue()) return false;
                    if (Take(':') && !SkipValue()) return false;
                    if (!Take(',') && Peek() != close) return false;
                }
                return true;
            default:
                if (TakeWord("True") || TakeWord("False") || TakeWord("None")) return true;
                return ReadInteger() is not null;
        }
    }

    private long? ReadInteger()
    {
        SkipBlanks();
        int start = position;
        if (position < text.Length && text[position] is '-' or '+') position++;
        while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
        if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            return null;
        if (position < text.Length && text[position] is 'L' or 'l') position++;
        return value;
    }

    private bool TakeWord(string word)
    {
        SkipBlanks();
        if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0) return false;
        int end = position + word.Length;
        if (end < text.Length && char.IsAsciiLetterOrDigit(text[end])) return false;
        position = end;
        return true;
    }

    private void SkipBlanks()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
    }
}
