using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Sbi.Tests;

/// <summary>
/// Model.PriorLogDensity and Model.ConstrainParams against closed forms (float64): the density of the params'
/// unconstrained values is the prior pushed through the bijector, log p(θ(u)) + log|dθ/du|, with latents and
/// observations playing no part.
/// </summary>
public class ModelPriorTests
{
    private static Tensor Points(params double[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), ScalarType.Float64).reshape(rows.Length, rows[0].Length);

    [Fact]
    public void TwoMoonsUniformPriorInUnconstrainedSpace()
    {
        var model = ExampleModels.Bind("two_moons", ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var u = Points([0.0, 0.0], [1.5, -2.0], [-30.0, 12.0]);
        // θ = −1 + 2σ(u): log U(θ; −1, 1) = −log 2 and log|dθ/du| = log 2 + log σ(u) + log σ(−u), per coordinate.
        var expected = (TensorArithmetic.Add(nn.functional.logsigmoid(u), nn.functional.logsigmoid(-u))).sum(1);
        Assert.True((model.PriorLogDensity(u) - expected).abs().max().item<double>() < 1e-12);
        var theta = model.ConstrainParams(u)["theta"];
        Assert.True((theta - (TensorArithmetic.Sub(TensorArithmetic.Mul(2, u.sigmoid()), 1))).abs().max().item<double>() < 1e-12);
        // Far into the tails the value stays strictly inside (−1, 1).
        Assert.True(theta.abs().lt(ConstantScalars.Of(1)).all().item<bool>());
    }

    [Fact]
    public void LotkaVolterraLogNormalPriorIsNormalInLogSpace()
    {
        var model = ExampleModels.Bind("lotka_volterra", ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var u = Points([-0.1, -3.0, -0.2, -2.9], [0.4, -2.5, 0.3, -3.6]);
        var mu = tensor(new[] { -0.125, -3.0, -0.125, -3.0 }, ScalarType.Float64);
        // θ = exp(u) with θ ~ LogNormal(μ, 0.5): u ~ Normal(μ, 0.5); the latent z0 and the observations add nothing.
        var expected = (TensorArithmetic.Sub(TensorArithmetic.Sub(TensorArithmetic.Mul(-0.5, TensorArithmetic.Square((TensorArithmetic.Div((u - mu), 0.5)))), Math.Log(0.5)), 0.5 * Math.Log(2 * Math.PI))).sum(1);
        Assert.True((model.PriorLogDensity(u) - expected).abs().max().item<double>() < 1e-12);
        Assert.True((model.ConstrainParams(u)["theta"] - u.exp()).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void EightSchoolsPriorIgnoresTheLatents()
    {
        var sigma = new DataInput(tensor(new double[] { 15, 10, 16, 11, 9, 11, 10, 18 }), "test");
        var binding = Model.Bind(ExampleModels.Compile("eight_schools").Factory!(), new Dictionary<string, DataInput> { ["sigma"] = sigma }, ModelOptions.Float64);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        var model = binding.Model!;
        using var scope = NewDisposeScope();
        var u = Points([1.0, 0.5], [-3.0, -1.0]);
        var mu = u[.., 0];
        var tau = u[.., 1].exp();
        // log N(mu | 0, 5) + log HalfCauchy(tau | 5) + log|dtau/du| (= u_tau).
        var expected = TensorArithmetic.Add(TensorArithmetic.Add(TensorArithmetic.Sub(TensorArithmetic.Sub(TensorArithmetic.Mul(-0.5, TensorArithmetic.Square((TensorArithmetic.Div(mu, 5)))), Math.Log(5)), 0.5 * Math.Log(2 * Math.PI)), Math.Log(2 / (Math.PI * 5))) - (TensorArithmetic.Add(1, TensorArithmetic.Square((TensorArithmetic.Div(tau, 5))))).log(), u[.., 1]);
        Assert.True((model.PriorLogDensity(u) - expected).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var model = ExampleModels.Bind("two_moons", ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var u = Points([0.3, -1.2], [2.0, 0.7]).requires_grad_(true);
        var gradient = autograd.grad([model.PriorLogDensity(u).sum()], [u])[0];
        const double h = 1e-6;
        for (int j = 0; j < 2; j++)
        {
            var step = zeros_like(u);
            step[.., j] = h;
            using var noGrad = no_grad();
            var central = TensorArithmetic.Div((model.PriorLogDensity(TensorArithmetic.Add(u, step)) - model.PriorLogDensity(u - step)), (2 * h));
            // Central differences of a smooth float64 function: error O(h²) plus rounding ~1e-16/h.
            Assert.True((gradient[.., j] - central).abs().max().item<double>() < 1e-7);
        }
    }

    [Fact]
    public void WrongWidthIsABug()
    {
        var model = ExampleModels.Bind("two_moons", ModelOptions.Float64);
        Assert.Throws<ArgumentException>(() => model.PriorLogDensity(zeros(3, 4, ScalarType.Float64)));
    }
}
