using Ppl.Compiler.Semantics;
using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>The language reference names every builtin, distribution and diagnostic code the compiler has.</summary>
public class DocumentationTests
{
    private static readonly string Reference = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "language.md"));

    [Fact]
    public void EveryBuiltinIsDocumented()
    {
        var operators = new HashSet<string> { "add", "sub", "mul", "div", "mod", "neg", "not", "and", "or", "eq", "ne", "lt", "le", "gt", "ge" };
        var missing = BuiltinCatalog.All.Select(b => b.Name).Where(n => !operators.Contains(n))
            .Where(n => !System.Text.RegularExpressions.Regex.IsMatch(Reference, $@"(?<![A-Za-z_]){n}(?![A-Za-z_0-9])")).ToList();
        Assert.True(missing.Count == 0, "undocumented builtins: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryDistributionIsDocumented()
    {
        foreach (var d in Distributions.All) Assert.Contains($"`{d.Name}(", Reference);
    }

    [Fact]
    public void EveryCompilerDiagnosticCodeIsDocumented()
    {
        var sources = Directory.GetFiles(Path.Combine(ReferenceData.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/IO/") && !f.Contains("/bin/") && !f.Contains("/obj/"));
        var codes = sources.SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "\"(PPL0[1-49]\\d\\d)\"").Select(m => m.Groups[1].Value))
            .ToHashSet();
        var missing = codes.Where(c => !Reference.Contains(c)).OrderBy(c => c).ToList();
        Assert.True(missing.Count == 0, "undocumented codes: " + string.Join(", ", missing));
    }
}
