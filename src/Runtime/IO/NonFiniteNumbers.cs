namespace Ppl.Runtime.IO;

/// <summary>
/// The spellings of infinity and NaN that data files use: Stan's JSON strings (<c>"inf"</c>, <c>"-inf"</c>,
/// <c>"NaN"</c>, <c>"Infinity"</c>, any case, optional '+'), Python's <c>NaN</c>/<c>Infinity</c>, and CmdStan's
/// CSV output (<c>inf</c>, <c>nan</c>).
/// </summary>
internal static class NonFiniteNumbers
{
    /// <summary>Recognises a non-finite number; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        double sign = 1;
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            sign = text[0] == '-' ? -1 : 1;
            text = text[1..];
        }
        if (text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        value = 0;
        return false;
    }
}
