using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// The generated <c>RunPrior</c> (the params and what they read) against the whole <c>Run</c>: the prior log density,
/// its gradient and the params' values are the same, and the prior is evaluated, and prior points drawn, without the
/// forward model — on a model whose forward part always fails they still work.
/// </summary>
public class PriorSliceTests
{
    /// <summary>The compiled model with RunPrior replaced by the whole body: the prior as it was computed before the
    /// slice (the same context, every statement run).</summary>
    private sealed class WholeBodyAsPrior(IGeneratedModel inner) : IGeneratedModel
    {
        public ModelDescription Description => inner.Description;

        public void Bind(IDataBinder binder) => inner.Bind(binder);

        public void Run(IModelContext context) => inner.Run(context);

        public void RunPrior(IModelContext context) => inner.Run(context);

    }

    /// <summary>Params read through lets by other params (a transformed, a truncated, a vector one), one prior that
    /// reads a latent, and a forward part (a random-walk mean and an observation) the prior does not need.</summary>
    private const string Dependent = """
        model PriorDependencies
        data N: int = 3
        param a ~ Normal(0, 1)
        let s = exp(a) + 1
        param b ~ LogNormal(a, s)
        latent z: real[N] ~ Normal(0, 1)
        let walk = cumsum(b * z)
        param c: real[N] ~ TruncatedNormal(a, s, lower = -1.0)
        param d ~ Gamma(2, 1 + b + sum(z ^ 2))
        observe y: real[N] ~ Normal(walk + c, d)
        """;

    /// <summary>A forward part that fails at every point: the matrix is never positive definite (b > 0).</summary>
    private const string FailingForward = """
        model PriorWithFailingForward
        param a ~ Normal(0, 1)
        let s = exp(a)
        param b ~ LogNormal(a, s)
        latent z ~ Normal(a, 1)
        let factor = cholesky([[1.0, 2.0 + b], [2.0 + b, 1.0]])
        observe y: real[2] ~ Normal(factor[:, 0] + z, 1.0)
        """;

    /// <summary>The params of <see cref="FailingForward"/> without its forward part: the same sites, so the same draws.</summary>
    private const string ParamsOnly = """
        model PriorWithFailingForward
        param a ~ Normal(0, 1)
        let s = exp(a)
        param b ~ LogNormal(a, s)
        latent z ~ Normal(a, 1)
        observe y: real[2] ~ Normal(z + b, 1.0)
        """;

    private static Model BindText(string text, Func<IGeneratedModel, IGeneratedModel>? wrap = null)
    {
        var compilation = Ppl.Compiler.Driver.Compile(CliRunner.WriteModel(text), text);
        Assert.False(compilation.HasErrors, compilation.RenderDiagnostics());
        var generated = compilation.Factory!();
        var binding = Model.Bind(wrap is null ? generated : wrap(generated), new Dictionary<string, DataInput>(), ModelOptions.Float64);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    /// <summary>Seeded points of the params' unconstrained space, [B, Dθ], spread around 0 with the given scale.</summary>
    private static Tensor Points(int batch, int dimension, double scale)
    {
        var random = new Random(17);
        var values = Enumerable.Range(0, batch * dimension).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
        return tensor(values, ScalarType.Float64).reshape(batch, dimension);
    }

    private static (Tensor LogDensity, Tensor Gradient) PriorWithGradient(Model model, Tensor points)
    {
        var u = points.detach().clone().requires_grad_(true);
        using (enable_grad())
        {
            var lp = model.PriorLogDensity(u);
            var grad = autograd.grad([lp.sum()], [u])[0];
            return (lp.detach(), grad);
        }
    }

    /// <param name="scale">The spread of the test points around 0, or 0 for prior draws (where a forward model such as
    /// the lensing one is defined: far from them its spectra are not, and the whole body fails).</param>
    private static void AssertSlicedEqualsWhole(Model sliced, Model whole, double scale)
    {
        var u = scale > 0 ? Points(6, sliced.ParamDimension, scale) : sliced.SimulateUnconstrainedParams(6, 3).to_type(ScalarType.Float64);
        var (lp, grad) = PriorWithGradient(sliced, u);
        var (lpWhole, gradWhole) = PriorWithGradient(whole, u);
        Assert.True(lp.isfinite().all().item<bool>(), "the prior is not finite at the test points");
        // The same operations on the same values: equal up to round-off (1e-10 relative, float64).
        Assert.True((lp - lpWhole).abs().max().item<double>() <= 1e-10 * (1 + lpWhole.abs().max().item<double>()));
        Assert.True((grad - gradWhole).abs().max().item<double>() <= 1e-10 * (1 + gradWhole.abs().max().item<double>()));
        var values = sliced.ConstrainParams(u);
        var valuesWhole = whole.ConstrainParams(u);
        Assert.Equal(valuesWhole.Keys.OrderBy(k => k), values.Keys.OrderBy(k => k));
        foreach (var (name, value) in values)
            Assert.True((value - valuesWhole[name]).abs().max().item<double>() <= 1e-12, name);
    }

    /// <summary>The examples with params (lensing_map_spectra has none: its RunPrior is empty).</summary>
    public static IEnumerable<object[]> WithParams() => ExampleSimulationTests.All().Where(e => (string)e[0] != "lensing_map_spectra");

    [Theory]
    [MemberData(nameof(WithParams))]
    public void RunPriorGivesTheWholeBodysPriorOnEveryExample(string name)
    {
        using var scope = NewDisposeScope();
        var data = ExampleModels.Data(name);
        var sliced = Model.Bind(ExampleModels.Compile(name).Factory!(), data, ModelOptions.Float64).Model!;
        var whole = Model.Bind(new WholeBodyAsPrior(ExampleModels.Compile(name).Factory!()), data, ModelOptions.Float64).Model!;
        AssertSlicedEqualsWhole(sliced, whole, 0);
    }

    [Fact]
    public void RunPriorGivesTheWholeBodysPriorWhenParamsReadLetsOtherParamsAndALatent()
    {
        using var scope = NewDisposeScope();
        AssertSlicedEqualsWhole(BindText(Dependent), BindText(Dependent, g => new WholeBodyAsPrior(g)), 1.5);
    }

    [Fact]
    public void ThePriorDoesNotRunTheForwardModel()
    {
        using var scope = NewDisposeScope();
        var model = BindText(FailingForward);
        var u = Points(4, 2, 1.0);
        // The whole body fails (at the Cholesky factor, line 6) …
        var failure = Assert.Throws<ModelRunException>(() => model.LogDensity(cat([u, zeros(4, 1, ScalarType.Float64)], 1)));
        Assert.Equal("PPL0490", failure.Error.Code);
        Assert.Equal(6, failure.Error.Location.Line);
        Assert.Throws<ModelRunException>(() => BindText(FailingForward, g => new WholeBodyAsPrior(g)).PriorLogDensity(u));

        // … the prior does not: log N(a; 0, 1) + log LogNormal(b; a, e^a) + log|db/du_b| (= u_b, as b = exp(u_b)),
        // i.e. log N(a; 0, 1) + log N(u_b; a, e^a).
        var a = u[.., 0];
        var ub = u[.., 1];
        var half = 0.5 * Math.Log(2 * Math.PI);
        var normalA = TensorArithmetic.Sub(TensorArithmetic.Mul(-0.5, TensorArithmetic.Square(a)), half);
        var z = TensorArithmetic.Div(TensorArithmetic.Sub(ub, a), a.exp());
        var normalB = TensorArithmetic.Sub(TensorArithmetic.Sub(TensorArithmetic.Mul(-0.5, TensorArithmetic.Square(z)), a), half);
        var expected = TensorArithmetic.Add(normalA, normalB);
        Assert.True((model.PriorLogDensity(u) - expected).abs().max().item<double>() < 1e-12);
        Assert.True((model.ConstrainParams(u)["b"] - ub.exp()).abs().max().item<double>() < 1e-12);

        // Prior points for NLE's starts are drawn from the slice too, and they are the full simulator's params.
        var drawn = model.SimulateUnconstrainedParams(50, 5, chunkSize: 20);
        Assert.Equal(new long[] { 50, 2 }, drawn.shape);
        Assert.Throws<ModelRunException>(() => model.Simulate(new SimulationRequest(50, 5) { UnconstrainedParams = true }));
        var simulated = BindText(ParamsOnly).Simulate(new SimulationRequest(50, 5) { UnconstrainedParams = true, ChunkSize = 20 }).UnconstrainedParams!;
        Assert.True((drawn - simulated).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void TheLensingModelsPriorIsItsSixParams()
    {
        var code = ExampleModels.Compile("lognormal_lensing").CSharp!;
        int start = code.IndexOf("public void RunPrior(IModelContext ctx)", StringComparison.Ordinal);
        Assert.True(start >= 0, "no RunPrior");
        var body = code[start..code.IndexOf("\n    }\n", start, StringComparison.Ordinal)];
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Count(body, @"ctx\.Param\("));
        foreach (var forward in new[] { "Lib.Wcdm", "Lib.AngularCl", "Lib.Fft", "Lib.EigH", "ctx.Latent", "ctx.Observe" })
            Assert.DoesNotContain(forward, body);
    }
}
