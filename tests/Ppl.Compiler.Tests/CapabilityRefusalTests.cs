using Microsoft.FSharp.Core;
using Ppl.Dsl;

namespace Ppl.Compiler.Tests;

/// <summary>
/// golden/refused/CODE_*.ppl: models that compile but that a command refuses — `ppl sample` without a log density
/// (PPL0301: a discrete param, finite or not; a discrete latent that cannot be summed out) and `ppl simulate` without a
/// simulator (PPL0303) — each with its located refusal as the CLI renders it (`.expected`).
/// </summary>
public class CapabilityRefusalTests
{
    public static IEnumerable<object[]> Refused() =>
        Directory.GetFiles(Path.Combine(Baseline.GoldenDirectory, "refused"), "*.ppl").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusedModelGivesItsLocatedReason(string file)
    {
        var path = Path.Combine(Baseline.GoldenDirectory, "refused", file);
        var text = File.ReadAllText(path);
        var c = Driver.Compile("refused/" + file, text, new CompilationOptions { Build = false });
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        var code = file.Split('_')[0];
        var refusal = code == "PPL0301" ? CapabilityRefusals.Sampling(c) : CapabilityRefusals.Simulation(c);
        Assert.NotNull(refusal);
        Assert.Equal(code, refusal.Code);
        Assert.True(refusal.Range.Start.Line > 1, "the refusal points into the model, not at its name");
        // The other capability is unaffected: these models can be simulated (PPL0301) or sampled (PPL0303).
        Assert.Null(code == "PPL0301" ? CapabilityRefusals.Simulation(c) : CapabilityRefusals.Sampling(c));
        Baseline.Check(Path.ChangeExtension(path, ".expected"), DiagnosticModule.render(FSharpOption<string>.Some(text), refusal));
    }
}
