using System.Diagnostics;
using Ppl.Compiler.Lowering;

namespace Ppl.Compiler.Tests;

/// <summary>
/// Long operator chains and deep nesting never overflow the stack: the parser builds chains without recursion, the
/// compiler's passes run on a large stack, and trees deeper than <see cref="ExpressionDepthLimit.MaxDepth"/> get PPL0216.
/// Each case runs the whole front end and code generation (no Roslyn build, which the CLI tests cover).
/// </summary>
public class DeepExpressionTests
{
    private static string Chain(int terms) =>
        "model M\nparam a ~ Normal(0, 1)\nlet b = " + string.Join(" + ", Enumerable.Repeat("a", terms)) + "\nobserve y ~ Normal(b, 1)\n";

    [Fact]
    public void FiveThousandTermChainCompiles()
    {
        var watch = Stopwatch.StartNew();
        var c = Driver.Compile("chain.ppl", Chain(5000), new CompilationOptions { Build = false });
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        Assert.Contains("l_b", c.CSharp);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(6001)]
    [InlineData(100_000)]
    public void LongerChainsGetALocatedDiagnostic(int terms)
    {
        var c = Driver.Compile("chain.ppl", Chain(terms), new CompilationOptions { Build = false });
        var d = Assert.Single(c.Diagnostics);
        Assert.Equal("PPL0216", d.Code);
        Assert.Equal(3, d.Range.Start.Line);
        Assert.Equal(9, d.Range.Start.Column);
    }

    [Fact]
    public void DeepParenthesesGetTheParsersNestingDiagnostic()
    {
        var text = "model M\nparam a ~ Normal(0, 1)\nlet b = " + new string('(', 10_000) + "a" + new string(')', 10_000) + "\nobserve y ~ Normal(b, 1)\n";
        var c = Driver.Compile("paren.ppl", text, new CompilationOptions { Build = false });
        Assert.Contains(c.Diagnostics, d => d.Code == "PPL0010" && d.Range.Start.Line == 3);
    }

    [Fact]
    public void DepthAfterInliningIsChecked()
    {
        // 40 nested calls of a 200-term function: each call is a block binding its argument, so the depth adds up
        // (40 × 2 + 200), it does not multiply; a function body that is itself too deep is reported in the function.
        var body = string.Join(" + ", Enumerable.Repeat("x", 200));
        var text = "model M\nfun f(x: real) -> real = " + body + "\nparam a ~ Normal(0, 1)\nlet b = "
            + string.Concat(Enumerable.Repeat("f(", 40)) + "a" + new string(')', 40) + "\nobserve y ~ Normal(b, 1)\n";
        var c = Driver.Compile("fun.ppl", text, new CompilationOptions { Build = false });
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        var deep = "model M\nfun f(x: real) -> real = " + string.Join(" + ", Enumerable.Repeat("x", 7000)) + "\nparam a ~ Normal(0, 1)\nlet b = f(a)\nobserve y ~ Normal(b, 1)\n";
        var d = Assert.Single(Driver.Compile("fun.ppl", deep, new CompilationOptions { Build = false }).Diagnostics);
        Assert.Equal("PPL0216", d.Code);
        Assert.Equal(2, d.Range.Start.Line);
    }

    [Fact]
    public void MeasuringDepthDoesNotRecurse()
    {
        var c = Driver.Compile("chain.ppl", Chain(3000), new CompilationOptions { Build = false });
        var let = c.Ir!.Lets.Single(l => l.Variable.Name == "b");
        Assert.Equal(3000, ExpressionDepthLimit.Measure(let.Value).Depth);
        Assert.Equal(2 * 3000 - 1, IrTraversal.Descendants(let.Value).Count());
    }
}
