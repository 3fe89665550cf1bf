using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ppl.Bench.FullField;

/// <summary>The record of one finished step of the study, written beside its outputs as `NAME.step.json` only after the
/// step succeeded: a step whose record exists with the same command line is skipped when the study is run again (resuming an interrupted study),
/// and its measured cost is read back for the table. Gradient evaluations are -1 where not known.</summary>
internal sealed record StudyStep(string Name, double CpuSeconds, double WallSeconds, long Simulations, long GradientEvaluations, string? Command = null)
{
    public static string RecordPath(string output, string name) => Path.Combine(output, "steps", name + ".step.json");

    public static StudyStep? Load(string output, string name)
    {
        var path = RecordPath(output, name);
        return File.Exists(path) ? JsonSerializer.Deserialize<StudyStep>(File.ReadAllText(path)) : null;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Save(string output)
    {
        var path = RecordPath(output, Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Indented));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The total gradient evaluations `ppl sample` states in its summary.txt, or -1.</summary>
    public static long GradientsOfSampleRun(string folder)
    {
        var summary = Path.Combine(folder, "summary.txt");
        if (!File.Exists(summary)) return -1;
        return Regex.Match(File.ReadAllText(summary), @"([0-9]+) gradient evaluations") is { Success: true } m
            ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }
}
