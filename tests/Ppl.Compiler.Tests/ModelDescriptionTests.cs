using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>The description the compiler hands the CLI (also without building code, as `ppl check` compiles) is the one
/// the generated class reports.</summary>
public class ModelDescriptionTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(ReferenceData.RepositoryRoot, "examples"), "*.ppl").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void CompilerDescriptionEqualsTheGeneratedClasses(string example)
    {
        var path = Path.Combine(ReferenceData.RepositoryRoot, "examples", example);
        var built = Driver.CompileFile(path);
        Assert.False(built.HasErrors, built.RenderDiagnostics());
        var unbuilt = Driver.Compile(built.File, built.Source, new CompilationOptions { Build = false });
        var generated = built.Factory!().Description;
        foreach (var d in new[] { built.Description!, unbuilt.Description! })
        {
            Assert.Equal(generated.Name, d.Name);
            Assert.Equal(generated.SourceHash, d.SourceHash);
            Assert.Equal(generated.CompilerVersion, d.CompilerVersion);
            Assert.Equal(generated.Data, d.Data);
            Assert.Equal(generated.Sites, d.Sites);
            Assert.Equal(generated.Lets, d.Lets);
            Assert.Equal(generated.Capabilities, d.Capabilities);
        }
        Assert.NotEmpty(generated.Sites);
    }
}
