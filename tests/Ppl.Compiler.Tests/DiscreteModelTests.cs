using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Compiler.Tests;

/// <summary>
/// Models with discrete sites, mixtures and flat priors, run end to end: enumeration sums a discrete latent out exactly
/// (the density of a mixture written with explicit indicators equals the Mixture density, gradients included), discrete
/// observations keep the density explicit, discrete params and flat priors are refused where they must be, and a
/// `factor` adds its sum to the log density.
/// </summary>
public class DiscreteModelTests
{
    private static Model Compile(string text, Dictionary<string, DataInput>? data = null, ModelOptions? options = null)
    {
        var c = Driver.Compile("test.ppl", text);
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        var binding = Model.Bind(c.Factory!(), data ?? new Dictionary<string, DataInput>(), options ?? ModelOptions.Float64);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    private static Dictionary<string, DataInput> Observed(string name, double[] values) =>
        new() { [name] = new DataInput(tensor(values, ScalarType.Float64), "test") };

    private const string WithIndicators = """
        model WithIndicators
        param mu: real[2] ~ Normal(0, 3)
        param w ~ Beta(2, 2)
        latent z: int[3] ~ Bernoulli(w)
        observe y: real[3] ~ Normal(if z == 1 then mu[1] else mu[0], 1)
        """;

    private const string AsMixture = """
        model AsMixture
        param mu: real[2] ~ Normal(0, 3)
        param w ~ Beta(2, 2)
        observe y: real[3] ~ Mixture([1 - w, w], [Normal(mu[0], 1), Normal(mu[1], 1)])
        """;

    private const string AsMixtureSameFamily = """
        model AsMixtureSameFamily
        param mu: real[2] ~ Normal(0, 3)
        param w ~ Beta(2, 2)
        observe y: real[3] ~ MixtureSameFamily([1 - w, w], Normal(mu, 1))
        """;

    [Fact]
    public void EnumeratedIndicatorsGiveTheMixtureDensityAndGradient()
    {
        double[] y = [-1.3, 0.4, 2.9];
        var enumerated = Compile(WithIndicators, Observed("y", y));
        var mixture = Compile(AsMixture, Observed("y", y));
        var sameFamily = Compile(AsMixtureSameFamily, Observed("y", y));
        Assert.True(enumerated.Description.Capabilities.Explicit, enumerated.Description.Capabilities.ExplicitReason);
        Assert.Contains("z summed out by enumeration", enumerated.Description.Capabilities.ExplicitReason);
        Assert.Equal(3, enumerated.Dimension); // mu and w; z is not in the unconstrained vector
        Assert.Equal(mixture.Dimension, enumerated.Dimension);

        using var scope = NewDisposeScope();
        var u = randn(new long[] { 7, 3 }, ScalarType.Float64, generator: new TorchSharp.torch.Generator(11));
        var (lpEnumerated, gradEnumerated) = enumerated.LogDensityAndGradient(u);
        var (lpMixture, gradMixture) = mixture.LogDensityAndGradient(u);
        var (lpSame, gradSame) = sameFamily.LogDensityAndGradient(u);
        Assert.Equal(new long[] { 7 }, lpEnumerated.shape);
        Assert.True(lpEnumerated.allclose(lpMixture, rtol: 1e-12, atol: 1e-12), "enumerated and Mixture densities differ");
        Assert.True(lpSame.allclose(lpMixture, rtol: 1e-12, atol: 1e-12), "MixtureSameFamily and Mixture densities differ");
        Assert.True(gradEnumerated.allclose(gradMixture, rtol: 1e-10, atol: 1e-12), "enumerated and Mixture gradients differ");
        Assert.True(gradSame.allclose(gradMixture, rtol: 1e-10, atol: 1e-12), "MixtureSameFamily and Mixture gradients differ");

        // A density evaluation does not depend on the other points of the batch.
        var single = enumerated.LogDensity(u.narrow(0, 3, 1));
        Assert.True(single.allclose(lpEnumerated.narrow(0, 3, 1), rtol: 1e-13, atol: 1e-13));
    }

    [Fact]
    public void EnumeratedLatentIsStillDrawnWhenSimulating()
    {
        var model = Compile(WithIndicators);
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(2000, 4) { Score = true });
        var z = sim.Values["z"];
        Assert.Equal(ScalarType.Int64, z.dtype);
        Assert.Equal(new long[] { 2000, 3 }, z.shape);
        Assert.True(z.ge(ConstantScalars.Of(0L)).logical_and(z.le(ConstantScalars.Of(1L))).all().item<bool>());
        // E[z] = E[w] = 1/2 under the Beta(2, 2) prior; the standard error of the mean of 6000 draws is 0.0065.
        double mean = z.to_type(ScalarType.Float64).mean().item<double>();
        Assert.True(Math.Abs(mean - 0.5) < 5 * Math.Sqrt(0.25 / 6000), $"mean of z {mean}");
        Assert.True(sim.Score!.isfinite().all().item<bool>());
    }

    [Fact]
    public void DiscreteObservationsKeepTheDensityExplicit()
    {
        const string text = """
            model Counts
            param rate ~ Gamma(2, 1)
            param p ~ Beta(2, 2)
            observe n: int[4] ~ Poisson(rate)
            observe k: int[4] ~ Binomial(10, p)
            """;
        var model = Compile(text, new()
        {
            ["n"] = new DataInput(tensor(new long[] { 0, 3, 1, 7 }), "test"),
            ["k"] = new DataInput(tensor(new long[] { 2, 5, 10, 0 }), "test"),
        });
        Assert.True(model.Description.Capabilities.Explicit);
        using var scope = NewDisposeScope();
        var u = tensor(new[] { 0.4, -0.3 }, ScalarType.Float64).reshape(1, 2);
        double rate = Math.Exp(0.4), p = 1 / (1 + Math.Exp(0.3));
        double expected = Math.Log(rate) - rate + 0.4                                  // Gamma(2, 1) prior + log|J| of exp
            + Math.Log(6 * p * (1 - p)) + Math.Log(p * (1 - p))                          // Beta(2, 2) prior + log|J| of the sigmoid
            + new long[] { 0, 3, 1, 7 }.Sum(n => n * Math.Log(rate) - rate - LogFactorial(n))
            + new long[] { 2, 5, 10, 0 }.Sum(k => LogFactorial(10) - LogFactorial(k) - LogFactorial(10 - k) + k * Math.Log(p) + (10 - k) * Math.Log(1 - p));
        Assert.Equal(expected, model.LogDensity(u).item<double>(), 1e-10);
    }

    [Fact]
    public void ObservedCountsOutsideTheSupportAreABindingError()
    {
        var c = Driver.Compile("test.ppl", "model Counts\nparam rate ~ Gamma(2, 1)\nobserve n: int[3] ~ Poisson(rate)\nobserve b: int[2] ~ Bernoulli(0.3)\n");
        var binding = Model.Bind(c.Factory!(), new Dictionary<string, DataInput>
        {
            ["n"] = new DataInput(tensor(new long[] { 1, -2, 0 }), "test"),
            ["b"] = new DataInput(tensor(new long[] { 1, 2 }), "test"),
        }, ModelOptions.Float64);
        Assert.False(binding.Succeeded);
        Assert.Contains(binding.Errors, e => e.Code == "PPL0412" && e.Message.Contains("n[1] is -2"));
        Assert.Contains(binding.Errors, e => e.Code == "PPL0412" && e.Message.Contains("b[1] is 2"));
    }

    [Fact]
    public void DataArgumentsOutsideTheirDomainAreABindingError()
    {
        var c = Driver.Compile("test.ppl", "model Bad\ndata rates: real[2]\ndata probs: real[3]\nobserve n: int[2] ~ Poisson(rates)\nobserve c ~ Categorical(probs)\n");
        var binding = Model.Bind(c.Factory!(), new Dictionary<string, DataInput>
        {
            ["rates"] = new DataInput(tensor(new[] { 1.0, -0.5 }, ScalarType.Float64), "test"),
            ["probs"] = new DataInput(tensor(new[] { 0.5, 0.4, 0.3 }, ScalarType.Float64), "test"),
        }, ModelOptions.Float64);
        Assert.Contains(binding.Errors, e => e.Code == "PPL0411" && e.Message.Contains("rates[1] is -0.5"));
        Assert.Contains(binding.Errors, e => e.Code == "PPL0411" && e.Message.Contains("probability vector"));

        var mixture = Driver.Compile("test.ppl", "model M\ndata w: real[2]\ndata s: real\nparam mu ~ Normal(0, 1)\nobserve y ~ Mixture(w, [Normal(mu, s), Normal(0, 1)])\n");
        var bound = Model.Bind(mixture.Factory!(), new Dictionary<string, DataInput>
        {
            ["w"] = new DataInput(tensor(new[] { 0.5, 0.6 }, ScalarType.Float64), "test"),
            ["s"] = DataInput.Scalar(-1.0, "test"),
        }, ModelOptions.Float64);
        Assert.Contains(bound.Errors, e => e.Code == "PPL0411" && e.Message.StartsWith("the weights of Mixture must be a probability vector") && e.Location.Line == 5);
        Assert.Contains(bound.Errors, e => e.Code == "PPL0411" && e.Message.Contains("the scale of Normal must be positive, but s is -1"));
    }

    [Fact]
    public void DiscreteParamsAndUnboundedLatentsMakeTheModelImplicitOnly()
    {
        var param = Driver.Compile("test.ppl", "model P\nparam k ~ Poisson(3)\nobserve y ~ Normal(to_real(k), 1)\n", new CompilationOptions { Build = false });
        Assert.False(param.Capabilities!.Explicit);
        Assert.Equal("param k at 2:1 is discrete (Poisson), and HMC moves only continuous params", param.Capabilities.ExplicitReason);
        Assert.False(param.Capabilities.Score);
        Assert.True(param.Capabilities.Implicit);

        var finite = Driver.Compile("test.ppl", "model F\nparam k ~ Bernoulli(0.3)\nobserve y ~ Normal(to_real(k), 1)\n", new CompilationOptions { Build = false });
        Assert.EndsWith("declare it latent to have it summed out by enumeration", finite.Capabilities!.ExplicitReason);

        var latent = Driver.Compile("test.ppl", "model L\nparam r ~ Gamma(2, 1)\nlatent n ~ Poisson(r)\nobserve y ~ Normal(to_real(n), 1)\n", new CompilationOptions { Build = false });
        Assert.False(latent.Capabilities!.Explicit);
        Assert.Contains("latent n at 3:1 is discrete: Poisson has unbounded counts", latent.Capabilities.ExplicitReason);
        Assert.True(latent.Capabilities.Score, latent.Capabilities.ScoreReason);

        var many = Driver.Compile("test.ppl", "model M\nparam w ~ Beta(1, 1)\nlatent z: int[20] ~ Bernoulli(w)\nobserve y: real[20] ~ Normal(to_real(z), 1)\n", new CompilationOptions { Build = false });
        Assert.Contains("summing it out needs 2^20 configurations", many.Capabilities!.ExplicitReason);
    }

    [Fact]
    public void FlatPriorsGiveTheLikelihoodAndRefuseSimulation()
    {
        const string text = """
            model Regression
            data x: real[3] = [0.0, 1.0, 2.0]
            param alpha ~ Flat()
            param sigma ~ Flat(lower = 0)
            observe y: real[3] ~ Normal(alpha + x, sigma)
            """;
        double[] y = [0.3, 1.1, 2.4];
        var model = Compile(text, Observed("y", y));
        Assert.True(model.Description.Capabilities.Explicit);
        Assert.False(model.Description.Capabilities.Implicit);
        Assert.Equal("param alpha at 3:1 has an improper flat prior, which cannot be simulated", model.Description.Capabilities.ImplicitReason);
        using var scope = NewDisposeScope();
        double alpha = 0.2, logSigma = -0.5, sigma = Math.Exp(logSigma);
        var lp = model.LogDensity(tensor(new[] { alpha, logSigma }, ScalarType.Float64).reshape(1, 2)).item<double>();
        double expected = logSigma + Enumerable.Range(0, 3).Sum(i =>
            -0.5 * Math.Pow((y[i] - alpha - i) / sigma, 2) - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI));
        Assert.Equal(expected, lp, 1e-10);
        var e = Assert.Throws<ModelRunException>(() => model.Simulate(new SimulationRequest(1, 1)));
        Assert.Equal("PPL0303", e.Error.Code);
    }

    [Fact]
    public void AParamWithoutAPriorHasTheFlatPrior()
    {
        const string withFlat = "model A\ndata x: real[3] = [0.0, 1.0, 2.0]\nparam alpha ~ Flat()\nparam sigma ~ Flat(lower = 0)\nobserve y: real[3] ~ Normal(alpha + x, sigma)\n";
        const string without = "model B\ndata x: real[3] = [0.0, 1.0, 2.0]\nparam alpha\nparam sigma ~ Flat(lower = 0)\nobserve y: real[3] ~ Normal(alpha + x, sigma)\n";
        var a = Compile(withFlat, Observed("y", [0.3, 1.1, 2.4]));
        var b = Compile(without, Observed("y", [0.3, 1.1, 2.4]));
        Assert.Equal("Flat() (no prior given)", b.Description.Sites[0].DistributionText);
        Assert.Equal(a.Description.Capabilities.ImplicitReason, b.Description.Capabilities.ImplicitReason);
        using var scope = NewDisposeScope();
        var u = tensor(new[] { 0.2, -0.5, 1.0, 0.1 }, ScalarType.Float64).reshape(2, 2);
        Assert.True(a.LogDensity(u).allclose(b.LogDensity(u), rtol: 1e-14, atol: 0));

        // A param at the end of the file, and one followed by something other than '~' on its line.
        Assert.False(Driver.Compile("t.ppl", "model C\nparam alpha", new CompilationOptions { Build = false }).HasErrors);
        var missing = Driver.Compile("t.ppl", "model D\nparam mu Normal(0, 1)\n", new CompilationOptions { Build = false });
        Assert.Contains(missing.Diagnostics, d => d.Code == "PPL0001" && d.Message.Contains("'~'"));
    }

    [Fact]
    public void FactorAddsItsSumToTheLogDensity()
    {
        var model = GoldenModel.Bind("Factor.ppl", ModelOptions.Float64);
        Assert.True(model.Description.Capabilities.Explicit);
        Assert.False(model.Description.Capabilities.Implicit);
        Assert.Equal("factor at 9:1 adds to the log density, which a simulation cannot draw from", model.Description.Capabilities.ImplicitReason);
        double[] y = [0.5, -0.2, 1.1];
        double[,] precision = { { 2.0, 0.5, 0.0 }, { 0.5, 2.0, 0.5 }, { 0.0, 0.5, 2.0 } };
        using var scope = NewDisposeScope();
        var u = tensor(new[] { 0.3, -0.1, 0.8, -1.0, 0.0, 2.0 }, ScalarType.Float64).reshape(2, 3);
        var lp = model.LogDensity(u).data<double>().ToArray();
        for (int b = 0; b < 2; b++)
        {
            var mu = Enumerable.Range(0, 3).Select(i => u[b, i].item<double>()).ToArray();
            var r = Enumerable.Range(0, 3).Select(i => y[i] - mu[i]).ToArray();
            double quadratic = 0;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) quadratic += r[i] * precision[i, j] * r[j];
            double prior = mu.Sum(m => -0.5 * m * m / 4 - Math.Log(2) - 0.5 * Math.Log(2 * Math.PI));
            Assert.Equal(prior - 0.5 * quadratic, lp[b], 1e-10);
        }
        var e = Assert.Throws<ModelRunException>(() => model.Simulate(new SimulationRequest(1, 1)));
        Assert.Equal("PPL0303", e.Error.Code);
    }

    [Fact]
    public void NewFormsPrintCanonicallyAndParseBack()
    {
        const string text = "model Forms\nparam alpha\nparam w ~ Beta(2, 2)\nlatent z ~ Bernoulli(logits = 0.5)\n"
            + "observe y ~ Mixture([1 - w, w], [Normal(alpha, 1), Normal(0, 3)])\nfactor -0.5 * alpha ^ 2\n";
        var parsed = Ppl.Dsl.Parser.parseModel("forms.ppl", text);
        Assert.Empty(parsed.Item2);
        var printed = Ppl.Dsl.SyntaxPrinter.printModel(parsed.Item1!.Value);
        Assert.Contains("param alpha ~ Flat()", printed);
        Assert.Contains("factor -0.5 * alpha ^ 2", printed);
        var reparsed = Ppl.Dsl.Parser.parseModel("forms.ppl", printed);
        Assert.Empty(reparsed.Item2);
        Assert.Equal(Ppl.Dsl.StripRanges.model(parsed.Item1.Value), Ppl.Dsl.StripRanges.model(reparsed.Item1!.Value));

        // `factor` is not reserved: a variable may still be called factor, and a factor may use it.
        var named = Driver.Compile("t.ppl", "model N\nparam a ~ Normal(0, 1)\nlet factor = 2.0 * a\nfactor -factor ^ 2\n", new CompilationOptions { Build = false });
        Assert.False(named.HasErrors, named.RenderDiagnostics());
    }

    private static double LogFactorial(long k)
    {
        double s = 0;
        for (long i = 2; i <= k; i++) s += Math.Log(i);
        return s;
    }
}
