using System.Globalization;
using System.Text;

namespace Ppl.Bench.FullField;

/// <summary>The study's one Markdown table: per route the FoM of (Ω_c, σ_8), (Ω_c, w_0), (σ_8, w_0), C2ST against the
/// explicit reference, simulations, gradient evaluations (where known) and processor time, plus the shared costs
/// (observation, simulations, compressors) and the plot of the explicit, two-point and best implicit posteriors.</summary>
internal static class StudyTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(StudyOptions options, ComparisonResults results, IReadOnlyList<StudyStep> steps,
        IReadOnlyList<ImplicitRoute> routes, ImplicitRoute? best, string? plot)
    {
        StudyStep? Find(string name) => steps.FirstOrDefault(s => s.Name == name);
        double Cpu(string name) => Find(name)?.CpuSeconds ?? double.NaN;
        var simulationCpu = Cpu("simulations");
        var md = new StringBuilder();
        md.AppendLine(FormattableString.Invariant($"## Full-field study: N = {options.N} over {options.SideDeg}°, observation seed {options.ObservationSeed}"));
        md.AppendLine();
        md.AppendLine("| route | FoM (Ω_c, σ_8) | FoM (Ω_c, w_0) | FoM (σ_8, w_0) | C2ST vs explicit | simulations | gradient evaluations | CPU s (route) | CPU s (with compressor and simulations) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        var explicitStep = Find("explicit");
        var explicitGradients = explicitStep?.GradientEvaluations
            ?? (options.Reference is { } r && Directory.Exists(r) ? StudyStep.GradientsOfSampleRun(r) : -1);
        Row(md, results, "explicit", "0", explicitGradients, explicitStep?.CpuSeconds ?? double.NaN, double.NaN);
        var twoPoint = Find("twopoint");
        Row(md, results, "two-point", "0", twoPoint?.GradientEvaluations ?? -1, twoPoint?.CpuSeconds ?? double.NaN, double.NaN);
        foreach (var route in routes)
        {
            var name = $"{route.Method}-{route.Loss}-{route.Budget}";
            double own = Cpu("train-" + name) + Cpu("posterior-" + name);
            double all = own + Cpu("compressor-" + route.Loss) + simulationCpu;
            Row(md, results, route.Label, $"{route.Budget} (compressor {options.LargestBudget})", -1, own, all);
        }
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant(
            $"CPU s: processor time of the `ppl` child processes (getrusage), --threads {options.Threads}. Route: the explicit or two-point `ppl sample`; for NLE/NPE `ppl train` + `ppl posterior`; the last column adds the compressor of that loss and all {options.LargestBudget} simulations ({simulationCpu:F0} s) it was trained on."));
        if (options.Reference is not null && explicitStep is null)
            md.AppendLine($"The explicit reference was given (`--reference {options.Reference}`): its CPU time was not measured here.");
        md.AppendLine(string.Join("; ", options.Losses.Select(l => FormattableString.Invariant($"compressor {l}: {Cpu("compressor-" + l):F0} s")))
            + FormattableString.Invariant($"; observation {Cpu("observation"):F0} s; spectra {Cpu("spectra"):F0} s; compare {Cpu("compare"):F0} s."));
        if (best is not null && plot is not null)
        {
            md.AppendLine();
            md.AppendLine($"Best implicit posterior by C2ST: {best.Label}. Plot of explicit, two-point and {best.Label}: `{plot}`.");
            md.AppendLine();
            md.AppendLine($"![explicit, two-point and {best.Label}]({plot})");
        }
        return md.ToString();
    }

    private static void Row(StringBuilder md, ComparisonResults results, string label, string simulations, long gradients, double cpu, double cpuAll)
    {
        string Fom(string a, string b) => results.Fom(label, a, b) is { } v ? v.ToString("G4", Inv) : "—";
        string c2st = label == "explicit" ? "reference" : results.C2st(label) is { } c ? c.ToString("F3", Inv) : "—";
        string grads = gradients >= 0 ? gradients.ToString(Inv) : "—";
        string Seconds(double s) => double.IsFinite(s) ? s.ToString("F0", Inv) : "—";
        md.AppendLine($"| {label} | {Fom("omega_c", "sigma_8")} | {Fom("omega_c", "w_0")} | {Fom("sigma_8", "w_0")} | {c2st} | {simulations} | {grads} | {Seconds(cpu)} | {Seconds(cpuAll)} |");
    }
}
