using Ppl.Tests.Shared;

namespace Ppl.Compiler.Tests;

/// <summary>What the generated Run (executed at every density evaluation and simulation) no longer does: convert int
/// constants to reals, or test data-only conditions (a device synchronisation per call on a GPU). Both are decided once
/// in Bind.</summary>
public class GeneratedRunTests
{
    private static (string Bind, string Run) Methods(string example)
    {
        var c = Driver.CompileFile(Path.Combine(ReferenceData.RepositoryRoot, "examples", example + ".ppl"), new CompilationOptions { Build = false });
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        var code = c.CSharp!;
        string Body(string signature)
        {
            int start = code.IndexOf(signature, StringComparison.Ordinal);
            Assert.True(start >= 0, signature);
            int end = code.IndexOf("\n    }\n", start, StringComparison.Ordinal);
            return code[start..end];
        }
        return (Body("public void Bind(IDataBinder b)"), Body("public void Run(IModelContext ctx)"));
    }

    [Theory]
    [InlineData("lognormal_lensing")]
    [InlineData("lotka_volterra")]
    [InlineData("gaussian_random_field")]
    public void EveryExtractedDataOnlyValueIsRead(string example)
    {
        // A compiler-extracted value (h__hN) that only its declaration and assignment mention would be computed at every
        // binding for nothing (the lensing model had one: the constant axes of its var(...)).
        var c = Driver.CompileFile(Path.Combine(ReferenceData.RepositoryRoot, "examples", example + ".ppl"), new CompilationOptions { Build = false });
        var code = c.CSharp!;
        var fields = System.Text.RegularExpressions.Regex.Matches(code, @"private \w+ (h__h\d+)").Select(m => m.Groups[1].Value).ToList();
        foreach (var f in fields)
            Assert.True(System.Text.RegularExpressions.Regex.Count(code, $@"\b{f}\b") > 2, $"{f} is computed but never read");
    }

    [Theory]
    [InlineData("eight_schools")]
    [InlineData("lognormal_lensing")]
    [InlineData("garch")]
    [InlineData("cluster_counts")]
    [InlineData("stochastic_volatility")]
    public void RunConvertsNoConstantAndTestsNoDataOnlyCondition(string example)
    {
        var (bind, run) = Methods(example);
        Assert.DoesNotContain("Lib.ToReal(k_", run);
        Assert.DoesNotContain("Lib.IsTrue(d_", run);
        Assert.DoesNotContain("Lib.IsTrue(h_", run);
        Assert.DoesNotContain("Lib.IsTrue(k_", run);
        // Constants folded: a square is not a power with a tensor exponent (garch, stochastic volatility, cluster
        // counts square a random value in Run; the lensing model squares data in Bind). Cluster counts keeps its ^ 8.
        if (example == "cluster_counts") Assert.Contains("TensorArithmetic.Square(TensorArithmetic.Div(s_omega_m, 0.3))", run);
        else
        {
            Assert.DoesNotContain("Lib.Pow(", run);
            Assert.DoesNotContain("Lib.Pow(", bind);
        }
        if (example == "lognormal_lensing")
        {
            // Its three data switches are decided in Bind and Run branches on the fields.
            foreach (var flag in new[] { "d_corrected_shifts", "d_fourier_latent", "d_jax_interpolation" })
                Assert.Contains($"Lib.IsTrue({flag});", bind);
            Assert.Contains("if (c_0)", run);
        }
    }
}
