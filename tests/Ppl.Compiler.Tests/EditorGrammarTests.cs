using System.Text.Json;
using System.Text.RegularExpressions;
using Ppl.Compiler.Semantics;
using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>The VS Code extension in `editors/vscode`: its manifest points at the grammar, and the grammar colours every
/// keyword of the syntax reference and every distribution and builtin the compiler knows (TextMate patterns are
/// Oniguruma regexes; the ones used here mean the same in .NET).</summary>
public class EditorGrammarTests
{
    private static readonly string Folder = Path.Combine(ReferenceData.RepositoryRoot, "editors", "vscode");

    private static readonly HashSet<string> Operators = new() { "add", "sub", "mul", "div", "mod", "neg", "not", "and", "or", "eq", "ne", "lt", "le", "gt", "ge" };

    private static readonly Lazy<JsonElement> Grammar =
        new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "syntaxes", "ppl.tmLanguage.json"))).RootElement);

    [Fact]
    public void ManifestContributesTheLanguageAndTheGrammar()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")));
        var contributes = manifest.RootElement.GetProperty("contributes");
        var language = Assert.Single(contributes.GetProperty("languages").EnumerateArray().ToList());
        Assert.Equal("ppl", language.GetProperty("id").GetString());
        Assert.Equal(".ppl", Assert.Single(language.GetProperty("extensions").EnumerateArray().ToList()).GetString());
        Assert.True(File.Exists(Path.Combine(Folder, language.GetProperty("configuration").GetString()!)));
        var grammar = Assert.Single(contributes.GetProperty("grammars").EnumerateArray().ToList());
        Assert.Equal("ppl", grammar.GetProperty("language").GetString());
        Assert.Equal(Grammar.Value.GetProperty("scopeName").GetString(), grammar.GetProperty("scopeName").GetString());
        Assert.True(File.Exists(Path.Combine(Folder, grammar.GetProperty("path").GetString()!)));
        // Every pattern the top level includes exists.
        foreach (var include in Grammar.Value.GetProperty("patterns").EnumerateArray())
            Assert.True(Grammar.Value.GetProperty("repository").TryGetProperty(include.GetProperty("include").GetString()![1..], out _));
    }

    [Fact]
    public void EveryBuiltinAndDistributionIsColouredWhenCalled()
    {
        var builtins = Pattern("builtins");
        var types = Pattern("types");
        var missing = BuiltinCatalog.All.Select(b => b.Name).Distinct().Where(n => !Operators.Contains(n))
            .Where(n => !WholeMatch(builtins, n + "(x)", n) && !WholeMatch(types, n + "(x)", n)).ToList();
        Assert.True(missing.Count == 0, "builtins the grammar does not colour: " + string.Join(", ", missing));
        var distributions = Pattern("distributions");
        var missingDistributions = Distributions.All.Select(d => d.Name).Where(n => !WholeMatch(distributions, n + "(0, 1)", n)).ToList();
        Assert.True(missingDistributions.Count == 0, "distributions the grammar does not colour: " + string.Join(", ", missingDistributions));
        // Whole words only, and only as calls: a user name that starts like a builtin, or a variable named like one, is not.
        Assert.DoesNotMatch(builtins, "summary(x)");
        Assert.DoesNotMatch(builtins, "let sum = x");
        Assert.DoesNotMatch(distributions, "NormalMixture(x)");
    }

    [Fact]
    public void EveryReservedWordOfTheSyntaxReferenceIsAKeyword()
    {
        var reference = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "docs", "language-syntax.md"));
        var line = Regex.Match(reference, @"Keywords \(reserved\): `([^`]*)`");
        Assert.True(line.Success, "the syntax reference lists the keywords");
        var keywords = line.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("observe", keywords);
        var keywordPatterns = new[] { "control", "types", "constants" }.Select(Pattern)
            .Concat(Patterns("declaration")).Append(Pattern("model")).ToList();
        var missing = keywords.Where(k => !keywordPatterns.Any(p => p.Match(k + " Name") is { Success: true, Index: 0 } m && (m.Value == k || m.Groups[1].Value == k))).ToList();
        Assert.True(missing.Count == 0, "keywords the grammar does not colour: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("numbers", "12", "12")]
    [InlineData("numbers", "x = 2.5E+4", "2.5E+4")]
    [InlineData("numbers", "1e-3 * y", "1e-3")]
    [InlineData("model", "model EightSchools", "model EightSchools")]
    [InlineData("declaration", "param tau ~ HalfCauchy(5)", "param tau")]
    public void LiteralsAndDeclarationsAreRecognised(string pattern, string text, string expected)
    {
        var match = Patterns(pattern).Select(p => p.Match(text)).First(m => m.Success);
        Assert.Equal(expected, match.Value);
    }

    [Fact]
    public void CommentsOfBothKindsAreRecognised()
    {
        var comments = Grammar.Value.GetProperty("repository").GetProperty("comments").GetProperty("patterns").EnumerateArray().ToList();
        Assert.Equal("// the prior", Regex.Match("mu ~ Normal(0, 1) // the prior", comments[0].GetProperty("match").GetString()!, RegexOptions.Multiline).Value);
        Assert.Matches(comments[1].GetProperty("begin").GetString()!, "/* block");
        Assert.Matches(comments[1].GetProperty("end").GetString()!, "end */");
    }

    private static bool WholeMatch(Regex pattern, string text, string name)
    {
        var m = pattern.Match(text);
        return m.Success && m.Index == 0 && m.Value == name;
    }

    private static Regex Pattern(string name) => Assert.Single(Patterns(name));

    private static List<Regex> Patterns(string name)
    {
        var entry = Grammar.Value.GetProperty("repository").GetProperty(name);
        var entries = entry.TryGetProperty("patterns", out var list) ? list.EnumerateArray().ToList() : new List<JsonElement> { entry };
        return entries.Where(e => e.TryGetProperty("match", out _)).Select(e => new Regex(e.GetProperty("match").GetString()!)).ToList();
    }
}
