using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ppl.Cli;

/// <summary>
/// The texts `ppl compare` writes: <c>report.md</c> (who was compared, C2ST, FoM and marginal tables, the corner plot)
/// and <c>compare.json</c> (the same numbers for programs; NaN is written as null).
/// </summary>
public sealed class ComparisonReport(IReadOnlyList<PosteriorMeasures> measures, IReadOnlyList<string> parameters, ComparisonSettings settings,
    IReadOnlyList<string> colorNames, IReadOnlyList<double> contourLevels)
{
    public const string MarkdownFile = "report.md", JsonFile = "compare.json", PlotFile = "corner.png";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private PosteriorMeasures Reference => measures[0];

    /// <summary>The name of a pair of params, e.g. <c>omega_c–sigma_8</c>.</summary>
    public string PairName(PairFigureOfMerit pair) => $"{parameters[pair.First]}–{parameters[pair.Second]}";

    /// <summary>The Markdown report.</summary>
    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Posterior comparison").AppendLine();
        md.AppendLine($"{measures.Count} posteriors of {parameters.Count} param{(parameters.Count == 1 ? "" : "s")} ({string.Join(", ", parameters.Select(p => $"`{p}`"))}); " +
            $"the reference is **{Escape(Reference.Posterior.Label)}**.").AppendLine();
        md.AppendLine("| posterior | colour | draws | C2ST against the reference | source |");
        md.AppendLine("|---|---|---:|---:|---|");
        for (int p = 0; p < measures.Count; p++)
        {
            var m = measures[p];
            string c2st = m.Test is { } t ? t.Result.Accuracy.ToString("F3", Inv) : "reference";
            md.AppendLine($"| {Escape(m.Posterior.Label)} | {colorNames[p % colorNames.Count]} | {m.Posterior.Count} | {c2st} | `{m.Posterior.Source}` |");
        }
        long rows = measures.Skip(1).Select(m => m.Test!.Rows).DefaultIfEmpty(0).Max();
        md.AppendLine().AppendLine(
            $"C2ST: accuracy of an MLP classifier (two hidden layers of 10·d ReLU units) telling the posterior's draws from the " +
            $"reference's, {settings.Folds}-fold cross-validated, both sets z-scored by the reference and cut to the same size " +
            $"(at most {settings.MaxRows} draws each; here up to {rows}) by a subset seeded with {settings.Seed}. " +
            "0.5: indistinguishable; 1: always told apart.").AppendLine();

        if (parameters.Count > 1)
        {
            md.AppendLine("## Figure of merit").AppendLine();
            md.AppendLine("FoM = 1/√det Cov of each pair of params (larger: tighter); in parentheses the ratio to the reference's.").AppendLine();
            var pairs = Reference.FiguresOfMerit;
            md.AppendLine("| posterior | " + string.Join(" | ", pairs.Select(PairName)) + " |");
            md.AppendLine("|---|" + string.Concat(pairs.Select(_ => "---:|")));
            foreach (var m in measures)
            {
                var cells = m.FiguresOfMerit.Select((f, q) => m.IsReference ? Number(f.Value) : $"{Number(f.Value)} ({Ratio(f.Value, pairs[q].Value)})");
                md.AppendLine($"| {Escape(m.Posterior.Label)} | {string.Join(" | ", cells)} |");
            }
            md.AppendLine();
        }

        md.AppendLine("## Marginals").AppendLine();
        md.AppendLine("Mean, standard deviation and the 5 %, 50 % and 95 % quantiles of each param.").AppendLine();
        for (int j = 0; j < parameters.Count; j++)
        {
            md.AppendLine($"### `{parameters[j]}`").AppendLine();
            md.AppendLine("| posterior | mean | sd | 5 % | 50 % | 95 % |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var m in measures)
            {
                var s = m.Marginals[j];
                md.AppendLine($"| {Escape(m.Posterior.Label)} | {Number(s.Mean)} | {Number(s.StandardDeviation)} | {Number(s.Q05)} | {Number(s.Q50)} | {Number(s.Q95)} |");
            }
            md.AppendLine();
        }

        md.AppendLine("## Corner plot").AppendLine();
        md.AppendLine($"![corner plot of the posteriors]({PlotFile})").AppendLine();
        md.AppendLine($"Contours enclose {string.Join(" and ", contourLevels.Select(l => (100 * l).ToString("0.#", Inv) + " %"))} of each posterior's " +
            "draws (smoothed 2-d histograms); the diagonal shows each param's histogram, normalised to unit area.");
        return md.ToString();
    }

    /// <summary>The numbers as JSON.</summary>
    public string Json()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("reference", Reference.Posterior.Label);
            json.WriteStartArray("params");
            foreach (var p in parameters) json.WriteStringValue(p);
            json.WriteEndArray();
            json.WriteStartObject("c2st");
            json.WriteNumber("seed", settings.Seed);
            json.WriteNumber("folds", settings.Folds);
            json.WriteNumber("max_rows", settings.MaxRows);
            json.WriteEndObject();
            json.WriteStartArray("contour_levels");
            foreach (var l in contourLevels) json.WriteNumberValue(l);
            json.WriteEndArray();
            json.WriteString("plot", PlotFile);
            json.WriteStartArray("posteriors");
            for (int p = 0; p < measures.Count; p++) WritePosterior(json, measures[p], colorNames[p % colorNames.Count]);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private void WritePosterior(Utf8JsonWriter json, PosteriorMeasures m, string color)
    {
        json.WriteStartObject();
        json.WriteString("label", m.Posterior.Label);
        json.WriteString("source", m.Posterior.Source);
        json.WriteBoolean("reference", m.IsReference);
        json.WriteString("colour", color);
        json.WriteNumber("draws", m.Posterior.Count);
        if (m.Test is { } test)
        {
            json.WriteStartObject("c2st");
            json.WriteNumber("accuracy", test.Result.Accuracy);
            json.WriteNumber("rows", test.Rows);
            json.WriteStartArray("fold_accuracies");
            foreach (var a in test.Result.FoldAccuracies) json.WriteNumberValue(a);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else json.WriteNull("c2st");
        json.WriteStartArray("fom");
        foreach (var f in m.FiguresOfMerit)
        {
            json.WriteStartObject();
            json.WriteStartArray("params");
            json.WriteStringValue(parameters[f.First]);
            json.WriteStringValue(parameters[f.Second]);
            json.WriteEndArray();
            WriteNumber(json, "value", f.Value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("marginals");
        for (int j = 0; j < parameters.Count; j++)
        {
            var s = m.Marginals[j];
            json.WriteStartObject(parameters[j]);
            json.WriteNumber("mean", s.Mean);
            json.WriteNumber("sd", s.StandardDeviation);
            json.WriteNumber("q05", s.Q05);
            json.WriteNumber("q50", s.Q50);
            json.WriteNumber("q95", s.Q95);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }

    /// <summary>A number for a table: five significant digits, "—" when not finite (a singular covariance's FoM).</summary>
    public static string Number(double value) =>
        !double.IsFinite(value) ? "—" : value != 0 && (Math.Abs(value) >= 1e6 || Math.Abs(value) < 1e-4) ? value.ToString("0.####e+0", Inv) : value.ToString("G5", Inv);

    private static string Ratio(double value, double reference) =>
        double.IsFinite(value) && double.IsFinite(reference) && reference > 0 ? "×" + (value / reference).ToString("F2", Inv) : "—";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
