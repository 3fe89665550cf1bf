namespace Ppl.Runtime.Abstractions;

/// <summary>"Did you mean" suggestions for misspelt names.</summary>
public static class Spelling
{
    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    /// <summary>"did you mean 'x'?" for the closest candidate within a third of the name's length, or null.</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        var best = candidates.Distinct().Select(k => (k, d: Distance(name, k))).OrderBy(t => t.d).ThenBy(t => t.k, StringComparer.Ordinal).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(1, name.Length / 3) ? $"did you mean '{best.k}'?" : null;
    }
}
