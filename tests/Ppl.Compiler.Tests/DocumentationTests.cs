using Ppl.Compiler.Semantics;
using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>The language reference names every builtin and distribution the compiler has (diagnostic codes:
/// <see cref="DiagnosticCatalogueTests"/>).</summary>
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
}
