using System.Text.RegularExpressions;
using Ppl.Diagnostics;
using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>
/// The diagnostic catalogue (src/Diagnostics) against the documentation and the sources: every code has its row, with
/// its anchor and title, on its page of docs/language-diagnostics*.md; no page names a code the catalogue lacks; every
/// producer takes its code from the catalogue (no source spells a code) and every entry is produced somewhere.
/// </summary>
public class DiagnosticCatalogueTests
{
    private static readonly string Root = ReferenceData.RepositoryRoot;

    /// <summary>A row of a diagnostics page: `| &lt;a id="ppl0301"&gt;&lt;/a&gt;PPL0301 | title | …`.</summary>
    private static readonly Regex Row = new(@"^\| <a id=""(?<id>[^""]*)""></a>(?<code>PPL\d{4}) \| (?<title>[^|]*?) \|", RegexOptions.Multiline);

    private static IEnumerable<string> DiagnosticPages() =>
        Directory.GetFiles(Path.Combine(Root, "docs"), "language-diagnostics*.md").Select(f => "docs/" + Path.GetFileName(f)).Order();

    private static List<(string Page, string Id, string Code, string Title)> Rows() =>
        DiagnosticPages().SelectMany(p => Row.Matches(File.ReadAllText(Path.Combine(Root, p)))
            .Select(m => (p, m.Groups["id"].Value, m.Groups["code"].Value, m.Groups["title"].Value))).ToList();

    [Fact]
    public void CodesAreUniqueAndWellFormed()
    {
        var all = DiagnosticCatalogue.All;
        Assert.True(all.Count >= 80, $"only {all.Count} codes");
        Assert.Equal(all.Count, all.Select(c => c.Code).Distinct().Count());
        foreach (var c in all)
        {
            Assert.Matches(@"^PPL\d{4}$", c.Code);
            Assert.False(string.IsNullOrWhiteSpace(c.Title), c.Code);
            Assert.True(char.IsLower(c.Title[0]) || !char.IsLetter(c.Title[0]), $"{c.Code}: a title starts in lower case");
            Assert.Contains(c.Page, DiagnosticPages());
            Assert.Same(c, DiagnosticCatalogue.Find(c.Code));
        }
        Assert.Null(DiagnosticCatalogue.Find("PPL9999"));
    }

    [Fact]
    public void EveryCataloguedCodeHasItsRowWithAnchorAndTitle()
    {
        var rows = Rows();
        foreach (var c in DiagnosticCatalogue.All)
        {
            var mine = rows.Where(r => r.Code == c.Code).ToList();
            Assert.True(mine.Count == 1, $"{c.Code} has {mine.Count} rows in docs/language-diagnostics*.md, not one");
            var row = mine[0];
            Assert.True(row.Page == c.Page, $"{c.Code} is documented in {row.Page}, the catalogue says {c.Page}");
            Assert.True(c.Anchor == $"{row.Page}#{row.Id}", $"{c.Code}: anchor {row.Page}#{row.Id}, the catalogue says {c.Anchor}");
            Assert.True(row.Title == c.Title, $"{c.Code}: documented title '{row.Title}', the catalogue says '{c.Title}'");
        }
    }

    [Fact]
    public void EveryCodeTheDocumentationNamesIsCatalogued()
    {
        var known = DiagnosticCatalogue.All.Select(c => c.Code).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md"));
        var unknown = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bPPL\d{4}\b").Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .Where(s => !known.Contains(s[^7..])).Distinct().ToList();
        Assert.True(unknown.Count == 0, "codes not in the catalogue: " + string.Join(", ", unknown));
        var stray = Rows().Where(r => !known.Contains(r.Code)).Select(r => r.Code).ToList();
        Assert.Empty(stray);
    }

    /// <summary>Producers name a catalogue member; a code written as a string literal anywhere else would bypass it.</summary>
    [Fact]
    public void NoSourceSpellsACode()
    {
        var catalogue = Path.Combine(Root, "src", "Diagnostics", "DiagnosticCatalogue.cs");
        var offenders = SourceFiles().Where(f => f != catalogue)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\\?""PPL\d{4}").Select(m => $"{Path.GetRelativePath(Root, f)}: {m.Value}"))
            .ToList();
        Assert.True(offenders.Count == 0, "codes spelled outside the catalogue: " + string.Join(", ", offenders));
    }

    [Fact]
    public void EveryCataloguedCodeIsProduced()
    {
        var text = string.Concat(SourceFiles().Where(f => !f.Contains(Path.Combine("src", "Diagnostics"))).Select(File.ReadAllText));
        var names = typeof(DiagnosticCatalogue).GetFields().Where(f => f.FieldType == typeof(DiagnosticCode)).Select(f => f.Name);
        var unused = names.Where(n => !Regex.IsMatch(text, $@"DiagnosticCatalogue\.{n}\b")).ToList();
        Assert.True(unused.Count == 0, "catalogued codes nothing produces: " + string.Join(", ", unused));
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.GetFiles(Path.Combine(Root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".fs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
}
