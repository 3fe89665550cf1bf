using System.Text;

namespace Ppl.Runtime.IO;

/// <summary>
/// Python's <c>json.dump</c> writes NaN and infinities as the bare words <c>NaN</c>, <c>Infinity</c> and
/// <c>-Infinity</c>, which are not JSON and which System.Text.Json's reader refuses (it accepts them only quoted). Before
/// reading, each such word outside a string is overwritten in place by a JSON number of the same length, so every
/// other token keeps its byte offset (and so its line and column); the reader's number at that offset is then taken as
/// the word.
/// </summary>
internal static class BareNonFiniteLiterals
{
    private static readonly (string Word, string StandIn)[] Words =
    {
        ("NaN", "0e0"),
        ("Infinity", "0.000000"),
        ("-Infinity", "-0.000000"),
    };

    /// <summary>Overwrites the bare words in <paramref name="json"/>; returns the byte offset of each with its word.</summary>
    public static IReadOnlyDictionary<long, string> Substitute(byte[] json)
    {
        var found = new Dictionary<long, string>();
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            byte b = json[i];
            if (inString)
            {
                if (b == (byte)'\\') i++;
                else if (b == (byte)'"') inString = false;
                continue;
            }
            if (b == (byte)'"')
            {
                inString = true;
                continue;
            }
            if (b is not ((byte)'N' or (byte)'I' or (byte)'-')) continue;
            if (i > 0 && IsWordByte(json[i - 1])) continue;
            foreach (var (word, standIn) in Words)
            {
                if (!Matches(json, i, word)) continue;
                int end = i + word.Length;
                if (end < json.Length && IsWordByte(json[end])) break;
                Encoding.ASCII.GetBytes(standIn, 0, standIn.Length, json, i);
                found[i] = word;
                i = end - 1;
                break;
            }
        }
        return found;
    }

    private static bool Matches(byte[] json, int at, string word)
    {
        if (at + word.Length > json.Length) return false;
        for (int k = 0; k < word.Length; k++)
            if (json[at + k] != (byte)word[k]) return false;
        return true;
    }

    private static bool IsWordByte(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (byte)'.' or (byte)'_';
}
