using System.Text.Json;
using Ppl.Cli;
using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>`ppl check --format json|github`: the diagnostics of every stage (syntax and types, data files, binding with
/// a call chain) against golden files in `golden/check-format` (`TEST_UPDATE_BSL=1` rewrites them).</summary>
public class CheckFormatTests
{
    private static readonly string Directory = Path.Combine(ReferenceData.RepositoryRoot, "tests", "Ppl.Examples.Tests", "golden", "check-format");

    [Theory]
    [InlineData("unknown_name", ExitCodes.ModelError)]
    [InlineData("two_errors", ExitCodes.ModelError)]
    [InlineData("function_data", ExitCodes.ModelError, "--set", "m=[[1.0, 2.0], [2.0, 1.0]]")]
    [InlineData("bad_data", ExitCodes.ModelError, "--data", "@bad_data.json")]
    [InlineData("good", ExitCodes.Ok)]
    public void DiagnosticsMatchTheGoldenFiles(string name, int exit, params string[] extra)
    {
        foreach (var format in new[] { "json", "github" })
        {
            var r = Run(name, format, extra);
            Assert.True(exit == r.Exit, r.ToString());
            Assert.Equal("", r.Err);
            GoldenFile.Check(Path.Combine(Directory, $"{name}.{format}.expected"), r.Out);
        }
    }

    [Fact]
    public void JsonReportHasEveryFieldWithTheRenderedPosition()
    {
        var r = Run("unknown_name", "json");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        var d = Assert.Single(doc.RootElement.GetProperty("diagnostics").EnumerateArray().ToList());
        Assert.Equal("PPL0101", d.GetProperty("code").GetString());
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal("unknown_name.ppl", d.GetProperty("file").GetString());
        // The text format says model.ppl:3:20 for this model (CliBadInputTests.UnknownName); 'mue' ends before column 23.
        Assert.Equal((3, 20, 3, 23), (d.GetProperty("line").GetInt32(), d.GetProperty("column").GetInt32(),
            d.GetProperty("endLine").GetInt32(), d.GetProperty("endColumn").GetInt32()));
        Assert.StartsWith("unknown name 'mue'", d.GetProperty("message").GetString());
        Assert.Contains("did you mean 'mu'?", d.GetProperty("hint").GetString());
        var text = Run("unknown_name", "text");
        Assert.Contains("unknown_name.ppl:3:20: error PPL0101", text.Err);
    }

    [Fact]
    public void GitHubAnnotationsEscapeLineBreaksAndSeparators()
    {
        var r = Run("function_data", "github", "--set", "m=[[1.0, 2.0], [2.0, 1.0]]");
        var line = Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("::error file=function_data.ppl,line=5,endLine=5,col=10,", line);
        Assert.Contains("%0Acalled from function_data.ppl:7:9", line);
    }

    [Fact]
    public void UnknownFormatAndTextDumpsAreUsageErrors()
    {
        var model = Path.Combine(Directory, "good.ppl");
        var r = InProcessCli.Run("check", model, "--format", "xml");
        Assert.Equal(ExitCodes.UsageError, r.Exit);
        Assert.Contains("--format must be one of text, json, github, got 'xml'", r.Err);
        Assert.Equal(ExitCodes.UsageError, InProcessCli.Run("check", model, "--format", "json", "--dump-ir").Exit);
        // The text format is the default and prints the description as before.
        var text = InProcessCli.Run("check", model);
        Assert.Equal(ExitCodes.Ok, text.Exit);
        Assert.Contains("model Good", text.Out);
    }

    // Runs in the golden folder's terms: paths in the output are made relative to it so the files do not depend on where
    // the repository is.
    private static CliResult Run(string name, string format, params string[] extra)
    {
        var args = new List<string> { "check", Path.Combine(Directory, name + ".ppl"), "--format", format };
        args.AddRange(extra.Select(a => a.StartsWith('@') ? Path.Combine(Directory, a[1..]) : a));
        var r = InProcessCli.Run(args.ToArray());
        var prefix = Directory + Path.DirectorySeparatorChar;
        return r with { Out = r.Out.Replace(prefix, ""), Err = r.Err.Replace(prefix, "") };
    }
}
