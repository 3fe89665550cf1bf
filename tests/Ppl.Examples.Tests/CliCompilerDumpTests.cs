using Ppl.Cli;
using Ppl.Compiler;

namespace Ppl.Examples.Tests;

/// <summary>`--dump-ir-after PASS` prints the IR as that pass left it; `--timings` lists every stage that ran.</summary>
public class CliCompilerDumpTests
{
    [Fact]
    public void IrAfterEachPassShowsWhatThatPassDid()
    {
        var model = ExampleModels.PathOf("lognormal_lensing");
        string After(string pass)
        {
            var r = CliRunner.Run(new[] { "check", model, "--dump-ir-after", pass });
            Assert.Equal(ExitCodes.Ok, r.Exit);
            Assert.StartsWith($"// IR after {pass}\n", r.Out);
            return r.Out[..r.Out.IndexOf("model LognormalLensing (", StringComparison.Ordinal)];
        }
        var check = After("check");
        var inline = After("inline");
        var hoisting = After("hoisting");
        // The checker's IR still calls the user functions; inlining replaces the calls; hoisting adds the extracted
        // data-only values (_h0, ...) computed at binding.
        Assert.Contains("mode_square_roots(", check);
        Assert.DoesNotContain("mode_square_roots(", inline);
        Assert.DoesNotContain("bind _h0", inline);
        Assert.Contains("bind _h0", hoisting);
    }

    [Fact]
    public void TimingsListEveryStageAndBadPassNamesAreUsageErrors()
    {
        var model = ExampleModels.PathOf("eight_schools");
        var r = CliRunner.Run(new[] { "check", model, "--timings" });
        Assert.Equal(ExitCodes.Ok, r.Exit);
        // check does not build: every stage up to code generation.
        foreach (var stage in Driver.Passes.TakeWhile(p => p != "roslyn"))
            Assert.Matches($@"\n  {stage}\s+\d+\.\d\d ms\n", r.Out);
        Assert.Matches(@"\n  total\s+\d+\.\d\d ms\n", r.Out);

        var bad = CliRunner.Run(new[] { "compile", model, "--dump-ir-after", "parse" });
        Assert.Equal(ExitCodes.UsageError, bad.Exit);
        Assert.Contains("--dump-ir-after must name one of the IR passes (check, inline, batching, hoisting, enumeration)", bad.Err);
        var json = CliRunner.Run(new[] { "check", model, "--timings", "--format", "json" });
        Assert.Equal(ExitCodes.UsageError, json.Exit);
    }
}
