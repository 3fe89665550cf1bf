using Ppl.Compiler.Lowering;

namespace Ppl.Compiler.Tests;

/// <summary>
/// golden/bad/CODE_*.ppl → `.expected` holds the compiler's full rendered output (one file per diagnostic code);
/// golden/good/*.ppl → `.ir.expected` (the lowered IR with capabilities) and `.cs.expected` (the generated C#, which must
/// also compile with Roslyn).
/// </summary>
public class GoldenTests
{
    public static IEnumerable<object[]> Bad() =>
        Directory.GetFiles(Path.Combine(Baseline.GoldenDirectory, "bad"), "*.ppl").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

    public static IEnumerable<object[]> Good() =>
        Directory.GetFiles(Path.Combine(Baseline.GoldenDirectory, "good"), "*.ppl").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadModelGivesItsDiagnostic(string file)
    {
        var path = Path.Combine(Baseline.GoldenDirectory, "bad", file);
        var c = Driver.Compile("bad/" + file, File.ReadAllText(path), new CompilationOptions { Build = false });
        Assert.True(c.HasErrors, "expected errors");
        var code = file.Split('_')[0];
        Assert.Contains(c.Diagnostics, d => d.Code == code);
        Baseline.Check(Path.ChangeExtension(path, ".expected"), c.RenderDiagnostics());
    }

    [Theory]
    [MemberData(nameof(Good))]
    public void GoodModelLowersAndGeneratesCompilableCode(string file)
    {
        var path = Path.Combine(Baseline.GoldenDirectory, "good", file);
        var c = Driver.Compile("good/" + file, File.ReadAllText(path), new CompilationOptions { UseCache = false });
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        Assert.NotNull(c.Factory);
        Baseline.Check(Path.ChangeExtension(path, ".ir.expected"), IrPrinter.Print(c.Ir!, c.Capabilities));
        Baseline.Check(Path.ChangeExtension(path, ".cs.expected"), c.CSharp!);
    }

    [Fact]
    public void EveryCompileTimeDiagnosticCodeHasABadModel()
    {
        var codes = Directory.GetFiles(Path.Combine(Baseline.GoldenDirectory, "bad"), "*.ppl").Select(f => Path.GetFileName(f).Split('_')[0]).ToHashSet();
        foreach (var code in new[] { "PPL0101", "PPL0102", "PPL0103", "PPL0105", "PPL0106", "PPL0201", "PPL0202", "PPL0203", "PPL0204", "PPL0205",
                     "PPL0206", "PPL0207", "PPL0208", "PPL0209", "PPL0210", "PPL0211", "PPL0212", "PPL0213", "PPL0214", "PPL0215", "PPL0216", "PPL0217", "PPL0218", "PPL0219", "PPL0220", "PPL0223", "PPL0224", "PPL0225", "PPL0303", "PPL0304" })
            Assert.Contains(code, codes);
    }
}
