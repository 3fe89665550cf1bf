using Ppl.Cli;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// A failure inside a user function is located at the function's own line, with the chain of call sites ("called
/// from"), whether it happens when the data are bound (a data-only call) or while the model runs (a call on a param).
/// </summary>
public class FunctionLocationTests
{
    // Line 5 is the failing `return`; `outer` calls `factor` on line 7; the model calls `outer` on line 9.
    private const string Model =
        "model Fn\n" +
        "data m: real[2, 2]\n" +
        "fun factor(a: real[2, 2], s: real) -> real[2, 2] {\n" +
        "  let c = a * s\n" +
        "  return cholesky(c)\n" +
        "}\n" +
        "fun outer(a: real[2, 2], s: real) -> real[2, 2] = factor(a, s)\n" +
        "param s ~ Uniform(0.5, 2)\n" +
        "let l = outer(m, s)\n" +
        "observe y: real[2] ~ Normal(l[:, 0], 1.0)\n";

    [Fact]
    public void RunTimeFailureInsideNestedFunctionsNamesEveryCallSite()
    {
        var path = CliRunner.WriteModel(Model);
        var compilation = Ppl.Compiler.Driver.Compile(path, Model);
        Assert.False(compilation.HasErrors, compilation.RenderDiagnostics());
        var data = new Dictionary<string, DataInput>
        {
            ["m"] = new(tensor(new[] { 1.0, 2.0, 2.0, 1.0 }).reshape(2, 2), "test"), // not positive definite
            ["y"] = new(tensor(new[] { 0.1, 0.2 }), "test"),
        };
        var model = Ppl.Runtime.Models.Model.Bind(compilation.Factory!(), data, ModelOptions.Float64).Model!;
        var failure = Assert.Throws<ModelRunException>(() => model.LogDensity(zeros(1, 1, ScalarType.Float64)));
        Assert.Equal("PPL0490", failure.Error.Code);
        Assert.Equal((5, 10), (failure.Error.Location.Line, failure.Error.Location.Column));
        Assert.Equal(new[] { (7, 51), (9, 9) }, failure.Error.Location.CallChain.Select(c => (c.Line, c.Column)));
        Assert.EndsWith("(called from " + path + ":7:51) (called from " + path + ":9:9)", failure.Error.ToString());
    }

    [Fact]
    public void BindTimeFailureInsideAFunctionIsLocatedThereWithTheCallSite()
    {
        var path = CliRunner.WriteModel(
            "model Fn2\ndata m: real[2, 2]\nfun factor(a: real[2, 2]) -> real[2, 2] {\n  let c = a * 2.0\n  return cholesky(c)\n}\n" +
            "let l = factor(m)\nparam mu ~ Normal(0, 1)\nobserve y: real[2] ~ Normal(mu + l[:, 0], 1.0)\n");
        var r = CliRunner.Run("check", path, "--set", "m=[[1.0, 2.0], [2.0, 1.0]]");
        Assert.Equal(ExitCodes.ModelError, r.Exit);
        Assert.Contains("model.ppl:5:10: error PPL0406: evaluating the model's data failed", r.Err);
        Assert.Contains("5 |   return cholesky(c)", r.Err);
        Assert.Contains("  = note: called from " + path + ":7:9", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }
}
