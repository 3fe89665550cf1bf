using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Compiler.Tests;

/// <summary>
/// Data reused as an observation (`observe y[5:N] ~ d`, `observe y ~ d` with `y` declared `data`): the AR(5) model written
/// with y as covariates and observation has the log density (and gradient) of the form that passes y twice under two
/// names; its covariates are data-only (hoisted); a simulation is refused with the cycle named; a whole observation whose
/// later lets read it simulates, those lets reading the drawn values.
/// </summary>
public class ObservedDataTests
{
    private const string Reused = """
        model Ar5
        data N: int
        data y: real[N]
        param alpha ~ Normal(0, 10)
        param beta: real[5] ~ Normal(0, 10)
        param sigma ~ HalfCauchy(2.5)
        let mu = alpha + beta[0] * y[4:N - 1] + beta[1] * y[3:N - 2] + beta[2] * y[2:N - 3] + beta[3] * y[1:N - 4] + beta[4] * y[0:N - 5]
        observe y[5:N] ~ Normal(mu, sigma)
        """;

    private const string TwoNames = """
        model Ar5TwoNames
        data N: int
        data y: real[N]
        param alpha ~ Normal(0, 10)
        param beta: real[5] ~ Normal(0, 10)
        param sigma ~ HalfCauchy(2.5)
        let mu = alpha + beta[0] * y[4:N - 1] + beta[1] * y[3:N - 2] + beta[2] * y[2:N - 3] + beta[3] * y[1:N - 4] + beta[4] * y[0:N - 5]
        observe y_next: real[N - 5] ~ Normal(mu, sigma)
        """;

    private static Compilation CompileText(string text)
    {
        var c = Driver.Compile("test.ppl", text);
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        return c;
    }

    private static Model Bind(Compilation c, Dictionary<string, DataInput> data)
    {
        var binding = Model.Bind(c.Factory!(), data, ModelOptions.Float64);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    private static DataInput Input(double[] values) => new(tensor(values, ScalarType.Float64), "test");

    private static double[] Series(int n)
    {
        var rng = new Random(7);
        var y = new double[n];
        for (int t = 0; t < n; t++) y[t] = 0.3 + (t > 0 ? 0.5 * y[t - 1] : 0) + (rng.NextDouble() - 0.5);
        return y;
    }

    [Fact]
    public void AutoregressionWithReusedDataHasTheTwoNamesDensity()
    {
        var y = Series(40);
        var reused = Bind(CompileText(Reused), new() { ["N"] = new DataInput(tensor(40L), "test"), ["y"] = Input(y) });
        var twoNames = Bind(CompileText(TwoNames), new()
        {
            ["N"] = new DataInput(tensor(40L), "test"), ["y"] = Input(y), ["y_next"] = Input(y[5..]),
        });
        Assert.Equal(twoNames.Dimension, reused.Dimension);
        using var scope = NewDisposeScope();
        var u = randn(new long[] { 6, reused.Dimension }, ScalarType.Float64, generator: new Generator(3));
        var (lpReused, gradReused) = reused.LogDensityAndGradient(u);
        var (lpTwo, gradTwo) = twoNames.LogDensityAndGradient(u);
        Assert.True(lpReused.isfinite().all().item<bool>());
        Assert.True(lpReused.allclose(lpTwo, rtol: 1e-12, atol: 1e-10), "the two forms' log densities differ");
        Assert.True(gradReused.allclose(gradTwo, rtol: 1e-12, atol: 1e-10), "the two forms' gradients differ");
    }

    [Fact]
    public void AutoregressionCovariatesAreDataOnlyAndSimulationIsRefusedNamingTheCycle()
    {
        var c = CompileText(Reused);
        // The five shifted copies of y are computed once, when binding; only mu is computed per draw.
        var ir = Lowering.IrPrinter.Print(c.Ir!, c.Capabilities);
        Assert.Contains("bind _h0: real[N - 5] = y[4:sub(N, 1)]", ir);
        Assert.True(c.Capabilities!.Explicit, c.Capabilities.ExplicitReason);
        Assert.False(c.Capabilities.Implicit);
        Assert.Equal("observe y at 8:1 depends on y itself (through let mu at 7:5), so a simulation would have to draw its elements one at a time; "
            + "write the recursion as a loop over the steps to simulate it", c.Capabilities.ImplicitReason);
        Assert.False(c.Capabilities.Score);
    }

    [Fact]
    public void WholeObservationOfDataSimulatesAndLaterLetsReadTheDraw()
    {
        const string text = """
            model Whole
            data N: int = 4
            data x: real[N] = [0.0, 1.0, 2.0, 3.0]
            data y: real[N]
            param a ~ Normal(0, 1)
            let xs = x * 2
            observe y ~ Normal(a + xs, 1)
            let resid = y - a
            """;
        var c = CompileText(text);
        Assert.True(c.Capabilities!.Implicit, c.Capabilities.ImplicitReason);
        Assert.True(c.Capabilities.Score, c.Capabilities.ScoreReason);
        double[] y = [0.5, 2.5, 3.9, 6.2];
        var model = Bind(c, new() { ["y"] = Input(y) });
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(50, 9));
        var drawn = sim.Values["y"];
        Assert.Equal(new long[] { 50, 4 }, drawn.shape);
        // resid reads the simulated y, not the bound data.
        var expected = drawn - sim.Values["a"].unsqueeze(1);
        Assert.True(sim.Values["resid"].allclose(expected, rtol: 1e-12, atol: 1e-12));
        Assert.False(drawn.allclose(tensor(y, ScalarType.Float64).expand(50, 4)));

        // When inferring, the observation is the data: the density equals that of an ordinary observation of y.
        var ordinary = Bind(CompileText(text.Replace("data y: real[N]\n", "").Replace("model Whole", "model Ordinary")), new() { ["y"] = Input(y) });
        var u = randn(new long[] { 5, 1 }, ScalarType.Float64, generator: new Generator(5));
        Assert.True(model.LogDensity(u).allclose(ordinary.LogDensity(u), rtol: 1e-12, atol: 1e-12));
    }

    [Theory]
    [InlineData("data y: real[4]\nparam a ~ Normal(0, 1)\nlet m = mean(y)\nparam b ~ Normal(m, 1)\nobserve y ~ Normal(a, 1)\n",
        "param b at 5:1 depends on y (through let m at 4:5), which observe y at 6:1 draws in a simulation")]
    [InlineData("data y: real[4]\ndata z: real[4] = y * 2\nparam a ~ Normal(0, 1)\nobserve y[1:4] ~ Normal(a, 1)\n",
        "the default of data z at 3:1 reads y, which observe y at 5:1 draws in a simulation")]
    [InlineData("data y: real[4]\nparam a ~ Normal(0, 1)\nobserve y[1:4] ~ Normal(a, 1)\nlet r = y - a\n",
        "let r at 5:1 depends on y (it reads y at 5:9) and on random variables, and observe y at 4:1 draws y in a simulation")]
    public void ReadingObservedDataWhereASimulationDrawsItIsNotSimulatable(string body, string reason)
    {
        var c = CompileText("model M\n" + body);
        Assert.True(c.Capabilities!.Explicit, c.Capabilities.ExplicitReason);
        Assert.False(c.Capabilities.Implicit);
        Assert.Equal(reason, c.Capabilities.ImplicitReason);
    }
}
