using System.Text;
using Ppl.Runtime.Models;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Examples.Tests;

/// <summary>
/// The loop form with carried state (`for t in 0:T with s = init { ... }`): GARCH(1,1) and the stochastic-volatility model
/// written with the loop have the log density (and gradient) of the same models unrolled by hand, step by step, and their
/// simulations, drawn step by step, have the moments the recursions imply.
/// </summary>
public class LoopModelTests
{
    private static Model BindText(string name, string text, Dictionary<string, DataInput> data)
    {
        var compilation = Ppl.Compiler.Driver.Compile(CliRunner.WriteModel(text), text);
        Assert.False(compilation.HasErrors, compilation.RenderDiagnostics());
        var binding = Model.Bind(compilation.Factory!(), data, ModelOptions.Float64);
        Assert.True(binding.Succeeded, name + ": " + string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    private static readonly double[] Returns = { 0.31, -0.52, 0.08, 1.2, -0.9, 0.44, -0.05, 0.67 };

    /// <summary>GARCH(1,1) unrolled: sigma2_0 = sigma1², sigma2_{t+1} = omega + alpha (y_t − mu)² + beta sigma2_t, one let per
    /// step, the returns given twice (as data for the recursion and as the observation).</summary>
    private static string UnrolledGarch(int steps)
    {
        var sb = new StringBuilder("model GarchUnrolled\ndata T: int = ").Append(steps).Append('\n');
        sb.Append("data sigma1: real = 0.5\ndata r: real[T]\n");
        sb.Append("param mu ~ Normal(0, 1)\nparam omega ~ HalfNormal(0.5)\nparam alpha ~ Uniform(0, 1)\nparam beta ~ Uniform(0, 1 - alpha)\n");
        sb.Append("let s0 = sigma1 ^ 2\n");
        for (int t = 1; t < steps; t++) sb.Append($"let s{t} = omega + alpha * (r[{t - 1}] - mu) ^ 2 + beta * s{t - 1}\n");
        sb.Append("observe y: real[T] ~ Normal(mu, sqrt([").Append(string.Join(", ", Enumerable.Range(0, steps).Select(t => $"s{t}"))).Append("]))\n");
        return sb.ToString();
    }

    private static void AssertSameDensity(Model loop, Model unrolled, int points, ulong seed)
    {
        Assert.Equal(loop.Dimension, unrolled.Dimension);
        using var scope = NewDisposeScope();
        var gen = new Generator(seed);
        var u = TensorArithmetic.Mul(randn(new long[] { points, loop.Dimension }, ScalarType.Float64, generator: gen), 0.7);
        var (a, ga) = loop.LogDensityAndGradient(u);
        var (b, gb) = unrolled.LogDensityAndGradient(u);
        Assert.True(a.isfinite().all().item<bool>(), "loop log density not finite");
        // The same terms summed in another order: equal to round-off in float64.
        double worst = (a - b).abs().max().item<double>();
        Assert.True(worst < 1e-9 * (1 + b.abs().max().item<double>()), $"log densities differ by {worst:E2}");
        double worstGradient = (ga - gb).abs().max().item<double>();
        Assert.True(worstGradient < 1e-8 * (1 + gb.abs().max().item<double>()), $"gradients differ by {worstGradient:E2}");
    }

    [Fact]
    public void GarchWithTheLoopHasTheLogDensityOfTheUnrolledRecursion()
    {
        var y = tensor(Returns, ScalarType.Float64);
        var loop = ExampleModels.Bind("garch", ModelOptions.Float64,
            new Dictionary<string, DataInput> { ["T"] = ExampleModels.Int(Returns.Length), ["y"] = new(y, "test") });
        var unrolled = BindText("garch_unrolled", UnrolledGarch(Returns.Length),
            new Dictionary<string, DataInput> { ["r"] = new(y, "test"), ["y"] = new(y, "test") });
        AssertSameDensity(loop, unrolled, points: 5, seed: 11);
    }

    /// <summary>The stochastic-volatility model unrolled: one scalar latent and one scalar observation per step, in the
    /// loop's order, so the unconstrained layouts coincide (params, h0, then h_0 … h_{T−1}).</summary>
    private static string UnrolledStochasticVolatility(int steps)
    {
        var sb = new StringBuilder("model SvUnrolled\n");
        sb.Append("param mu ~ Normal(-1, 1)\nparam phi ~ Uniform(-1, 1)\nparam sigma ~ HalfNormal(0.5)\n");
        sb.Append("latent h0 ~ Normal(mu, sigma / sqrt(1 - phi ^ 2))\n");
        for (int t = 0; t < steps; t++)
        {
            var previous = t == 0 ? "h0" : $"h_{t - 1}";
            sb.Append($"latent h_{t} ~ Normal(mu + phi * ({previous} - mu), sigma)\n");
            sb.Append($"observe y_{t} ~ Normal(0, exp(h_{t} / 2))\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void StochasticVolatilityWithTheLoopHasTheLogDensityOfTheUnrolledModel()
    {
        var y = tensor(Returns, ScalarType.Float64);
        var loop = ExampleModels.Bind("stochastic_volatility", ModelOptions.Float64,
            new Dictionary<string, DataInput> { ["T"] = ExampleModels.Int(Returns.Length), ["y"] = new(y, "test") });
        var data = Enumerable.Range(0, Returns.Length).ToDictionary(t => $"y_{t}", t => DataInput.Scalar(Returns[t], "test"));
        var unrolled = BindText("sv_unrolled", UnrolledStochasticVolatility(Returns.Length), data);
        AssertSameDensity(loop, unrolled, points: 5, seed: 12);
    }

    /// <summary>h_t drawn step by step from the AR(1) started at its stationary law stays stationary: mean mu, variance
    /// sigma² / (1 − phi²), lag-one correlation phi, at every step.</summary>
    [Fact]
    public void StochasticVolatilitySimulationIsTheStationaryAr1()
    {
        var model = ExampleModels.Bind("stochastic_volatility", ModelOptions.Float64, new Dictionary<string, DataInput> { ["T"] = ExampleModels.Int(12) });
        using var scope = NewDisposeScope();
        const double mu = -1.0, phi = 0.8, sigma = 0.3;
        var sim = model.Simulate(new SimulationRequest(8000, 5)
        {
            Conditioning = new Dictionary<string, DataInput>
            {
                ["mu"] = DataInput.Scalar(mu, "test"), ["phi"] = DataInput.Scalar(phi, "test"), ["sigma"] = DataInput.Scalar(sigma, "test"),
            },
        });
        var h = sim.Values["h"];
        Assert.Equal(new long[] { 8000, 12 }, h.shape);
        double variance = sigma * sigma / (1 - phi * phi);
        foreach (long t in new long[] { 0, 5, 11 })
        {
            var ht = h[TensorIndex.Colon, t];
            double mean = ht.mean().item<double>();
            double v = ht.var().item<double>();
            // 8000 draws: the mean's standard error is sqrt(0.25 / 8000) = 0.0056, the variance's 0.25 * sqrt(2 / 8000) = 0.004.
            Assert.True(Math.Abs(mean - mu) < 0.025, $"step {t}: mean {mean} vs {mu}");
            Assert.True(Math.Abs(v - variance) < 0.02, $"step {t}: variance {v} vs {variance}");
        }
        var a = TensorArithmetic.Sub(h[TensorIndex.Colon, 10], mu);
        var b = TensorArithmetic.Sub(h[TensorIndex.Colon, 11], mu);
        double correlation = (a * b).mean().item<double>() / variance;
        Assert.True(Math.Abs(correlation - phi) < 0.04, $"lag-one correlation {correlation} vs {phi}");
        // The observations are drawn with the step's own volatility: var(y_t) = E[exp(h_t)] = exp(mu + variance / 2).
        double yVariance = sim.Values["y"][TensorIndex.Colon, 11].var().item<double>();
        double expected = Math.Exp(mu + variance / 2);
        Assert.True(Math.Abs(yVariance - expected) < 0.1 * expected, $"var(y) {yVariance} vs {expected}");
    }

    /// <summary>Returns simulated through the loop feed the variance recursion: started at the stationary variance
    /// omega / (1 − alpha − beta), the returns keep that variance at every step.</summary>
    [Fact]
    public void GarchSimulationFeedsTheReturnsBackIntoTheVariance()
    {
        const double omega = 0.1, alpha = 0.2, beta = 0.5;
        double stationary = omega / (1 - alpha - beta);
        var model = ExampleModels.Bind("garch", ModelOptions.Float64, new Dictionary<string, DataInput>
        {
            ["T"] = ExampleModels.Int(10), ["sigma1"] = DataInput.Scalar(Math.Sqrt(stationary), "test"),
        });
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(20000, 9)
        {
            Conditioning = new Dictionary<string, DataInput>
            {
                ["mu"] = DataInput.Scalar(0.0, "test"), ["omega"] = DataInput.Scalar(omega, "test"),
                ["alpha"] = DataInput.Scalar(alpha, "test"), ["beta"] = DataInput.Scalar(beta, "test"),
            },
        });
        var y = sim.Values["y"];
        foreach (long t in new long[] { 1, 9 })
        {
            double v = y[TensorIndex.Colon, t].var().item<double>();
            // GARCH returns are heavy-tailed (kurtosis ≈ 3.9 here): the variance estimate's standard error is ≈ 0.005.
            Assert.True(Math.Abs(v - stationary) < 0.03, $"step {t}: var(y) {v} vs {stationary}");
        }
        // Volatility clustering: squared returns are correlated across steps (alpha + beta > 0), which independent draws
        // with a fixed variance would not give.
        var a = TensorArithmetic.Square(y[TensorIndex.Colon, 8]);
        var b = TensorArithmetic.Square(y[TensorIndex.Colon, 9]);
        double covariance = ((a - a.mean()) * (b - b.mean())).mean().item<double>();
        Assert.True(covariance > 0.01, $"cov(y_8², y_9²) = {covariance}");
    }

    private const string DeterministicLoops = """
        model DeterministicLoops
        data T: int = 6
        data x: real[T] = [0.5, 1.0, -0.3, 0.8, 1.2, 0.1]
        fun ewma(v: real[T], w: real) -> real[T] {
            let one_minus = 1 - w
            for t in 0:T with m = 0.0 {
                m = w * m + one_minus * v[t]
                let smoothed = m
            }
            return smoothed
        }
        param w ~ Uniform(0, 1)
        param sigma ~ HalfNormal(1)
        param drag ~ Uniform(0, 1)
        let m = ewma(x, w)
        for t in 0:T with state = [0.0, 1.0] {
            let position = state[0]
            state = [state[0] + 0.1 * state[1], (1 - drag) * state[1]]
        }
        observe y: real[T] ~ Normal(m + position, sigma)
        """;

    private static readonly double[] Series = { 0.5, 1.0, -0.3, 0.8, 1.2, 0.1 };

    /// <summary>A loop inside a user function and a loop with a vector state give, per simulation, the recursions
    /// computed here step by step.</summary>
    [Fact]
    public void LoopsInFunctionsAndVectorStatesFollowTheirRecursions()
    {
        var model = BindText("deterministic_loops", DeterministicLoops, new Dictionary<string, DataInput>());
        using var scope = NewDisposeScope();
        const double w = 0.6, drag = 0.3;
        var sim = model.Simulate(new SimulationRequest(3, 1)
        {
            Conditioning = new Dictionary<string, DataInput> { ["w"] = DataInput.Scalar(w, "test"), ["drag"] = DataInput.Scalar(drag, "test") },
            RecordLets = new HashSet<string> { "m", "position", "state" },
        });
        double m = 0, p = 0, v = 1;
        for (int t = 0; t < Series.Length; t++)
        {
            m = w * m + (1 - w) * Series[t];
            Assert.Equal(m, sim.Values["m"][1, t].item<double>(), 12);
            Assert.Equal(p, sim.Values["position"][2, t].item<double>(), 12);
            (p, v) = (p + 0.1 * v, (1 - drag) * v);
        }
        Assert.Equal(new long[] { 3, 2 }, sim.Values["state"].shape);
        Assert.Equal(v, sim.Values["state"][0, 1].item<double>(), 12);
    }

    /// <summary>The log-density gradient through the loops (one in a function) equals central finite differences.</summary>
    [Fact]
    public void GradientThroughLoopsMatchesCentralDifferences()
    {
        var y = tensor(new[] { 0.2, 0.9, 0.1, 0.5, 1.0, 0.4 }, ScalarType.Float64);
        var model = BindText("deterministic_loops", DeterministicLoops, new Dictionary<string, DataInput> { ["y"] = new(y, "test") });
        using var scope = NewDisposeScope();
        var u = TensorArithmetic.Mul(randn(new long[] { 2, model.Dimension }, ScalarType.Float64, generator: new Generator(4)), 0.5);
        var (_, grad) = model.LogDensityAndGradient(u);
        const double h = 1e-6;
        var eye = TensorArithmetic.Mul(TorchSharp.torch.eye(model.Dimension, dtype: ScalarType.Float64), h);
        for (int point = 0; point < 2; point++)
        {
            var plus = TensorArithmetic.Add(u[point].unsqueeze(0), eye);
            var minus = u[point].unsqueeze(0) - eye;
            var fd = TensorArithmetic.Div(model.LogDensity(plus) - model.LogDensity(minus), 2 * h);
            double worst = ((fd - grad[point]).abs() / grad[point].abs().clamp_min(ConstantScalars.Of(1.0))).max().item<double>();
            Assert.True(worst < 1e-6, $"finite differences disagree by {worst:E2} at point {point}");
        }
    }

    /// <summary>A loop latent given as a whole (conditioning, as posterior predictive runs do) is taken step by step: the
    /// state follows it, and the observations are drawn with each given step's volatility.</summary>
    [Fact]
    public void ConditionedLoopLatentIsTakenStepByStep()
    {
        var model = ExampleModels.Bind("stochastic_volatility", ModelOptions.Float64, new Dictionary<string, DataInput> { ["T"] = ExampleModels.Int(3) });
        using var scope = NewDisposeScope();
        var h = tensor(new[] { -4.0, 0.0, 2.0 }, ScalarType.Float64);
        var sim = model.Simulate(new SimulationRequest(20000, 8)
        {
            Conditioning = new Dictionary<string, DataInput> { ["h"] = new(h, "test") },
        });
        Assert.True(sim.Values["h"].eq(h.expand(20000, 3)).all().item<bool>(), "the given h is the simulated h");
        Assert.Equal(2.0, sim.Values["h_prev"][17].item<double>());
        var y = sim.Values["y"];
        for (int t = 0; t < 3; t++)
        {
            // var(y_t) = exp(h_t): 20000 draws give it within 5 standard errors, 5·√(2/20000) = 5 %.
            double v = y[TensorIndex.Colon, t].var().item<double>(), expected = Math.Exp(h[t].item<double>());
            Assert.True(Math.Abs(v / expected - 1) < 0.05, $"step {t}: var(y) {v} vs {expected}");
        }
    }
}
