using Ppl.Compiler.Hosting;

namespace Ppl.Compiler.Tests;

/// <summary>
/// Generated code goes through the Scalar-lifetime analyzer (PPLA001–003) before it is loaded: a temporary TorchSharp Scalar
/// reaching libtorch is a compile error of the generated C#, which the driver reports as PPL0901.
/// </summary>
public class ScalarLifetimeTests
{
    private const string Header = "using TorchSharp;\nusing static TorchSharp.torch;\nusing Ppl.Runtime.Tensors;\n";

    private static IReadOnlyList<string> Errors(string body) =>
        AssemblyCompiler.Compile(Header + "public static class Snippet\n{\n" + body + "\n}\n", "ScalarLifetimeSnippet").Errors;

    [Theory]
    [InlineData("public static Tensor F(Tensor x) => x.pow(2);", "PPLA001")]                       // implicit int → Scalar
    [InlineData("public static Tensor F(Tensor x) => x.clamp(min: 0.0);", "PPLA001")]               // implicit double → Scalar
    [InlineData("public static Tensor F(Tensor x) => x.mul(2.0.ToScalar());", "PPLA001")]           // explicit, still temporary
    [InlineData("public static Tensor F(Tensor x, Tensor y) => x + y;", "PPLA002")]                 // alpha of 1 made inside
    [InlineData("public static Tensor F(Tensor x) => x * 2.0;", "PPLA002")]                         // Scalar made inside
    [InlineData("public static Tensor F(Tensor x) => x.square();", "PPLA002")]                      // pow(2) inside
    [InlineData("public static Tensor F(Tensor x, double v) => x.mul(ConstantScalars.Of(v));", "PPLA003")] // run-time value cached forever
    public void TemporaryScalarsAreErrors(string member, string code)
    {
        var errors = Errors(member);
        Assert.Contains(errors, e => e.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public void OwnedScalarsAndTensorArithmeticCompile()
    {
        var errors = Errors("""
            private static readonly Scalar Two = 2.ToScalar();
            public static Tensor F(Tensor x, Tensor y, double v)
            {
                using var owned = v.ToScalar();
                var a = TensorArithmetic.Add(x, y).pow(Two).mul(owned);
                var b = TensorArithmetic.Mul(x, v).clamp_min(ConstantScalars.Of(0.0));
                return TensorArithmetic.Sub(1.0, TensorArithmetic.Div(a, b)) - y;
            }
            """);
        Assert.Empty(errors);
    }
}
