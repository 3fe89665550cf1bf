namespace Ppl.Runtime.Plotting;

/// <summary>
/// Where text sits relative to its anchor point. Along the text: start (left end), centre, end (right end).
/// Across it: start (top of the capitals), centre (middle of the capitals), end (the baseline).
/// </summary>
public enum TextAlignment
{
    /// <summary>The anchor is at the text's start (left, or top).</summary>
    Start,

    /// <summary>The anchor is at the text's middle.</summary>
    Center,

    /// <summary>The anchor is at the text's end (right, or baseline).</summary>
    End,
}
