using System.Text.Json;

namespace Ppl.Bench.FullField;

/// <summary>What the study reads back from `ppl compare`'s compare.json: per posterior label, its C2ST accuracy against
/// the reference (null for the reference itself) and its FoM of each param pair.</summary>
internal sealed class ComparisonResults
{
    private readonly Dictionary<string, double?> c2st = new();
    private readonly Dictionary<(string Label, string A, string B), double?> fom = new();

    public static ComparisonResults Read(string path)
    {
        var results = new ComparisonResults();
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var posterior in document.RootElement.GetProperty("posteriors").EnumerateArray())
        {
            var label = posterior.GetProperty("label").GetString()!;
            var test = posterior.GetProperty("c2st");
            results.c2st[label] = test.ValueKind == JsonValueKind.Object ? test.GetProperty("accuracy").GetDouble() : null;
            foreach (var pair in posterior.GetProperty("fom").EnumerateArray())
            {
                var names = pair.GetProperty("params").EnumerateArray().Select(p => p.GetString()!).ToArray();
                var value = pair.GetProperty("value");
                double? v = value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
                results.fom[(label, names[0], names[1])] = v;
                results.fom[(label, names[1], names[0])] = v;
            }
        }
        return results;
    }

    public double? C2st(string label) => c2st.TryGetValue(label, out var v) ? v : null;

    public double? Fom(string label, string a, string b) => fom.TryGetValue((label, a, b), out var v) ? v : null;
}
