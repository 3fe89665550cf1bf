using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Examples.Tests;

/// <summary>The simulator's score against closed forms (float64): the eight-schools joint score in the constrained and the
/// unconstrained space, and the Gaussian-linear likelihood score.</summary>
public class ScoreTests
{
    private static readonly double[] Sigma = { 15, 10, 16, 11, 9, 11, 10, 18 };

    [Fact]
    public void EightSchoolsLikelihoodScoreInConstrainedSpace()
    {
        var model = ExampleModels.Bind("eight_schools", ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(5, 21) { Score = true });
        var s2 = TensorArithmetic.Square(tensor(Sigma));
        var (mu, tau, eta, y) = (sim.Values["mu"], sim.Values["tau"], sim.Values["eta"], sim.Values["y"]);
        var residual = (y - (TensorArithmetic.Add(mu.unsqueeze(1), tau.unsqueeze(1) * eta))) / s2;
        // d/dmu Σ log N(y | mu + tau·eta, σ) = Σ r;  d/dtau = Σ r·eta  (the latents' N(0, 1) does not depend on θ).
        var expected = stack(new[] { residual.sum(1), (residual * eta).sum(1) }, 1);
        Assert.True((sim.Score! - expected).abs().max().item<double>() < 1e-10);
    }

    [Fact]
    public void EightSchoolsJointScoreInUnconstrainedSpace()
    {
        var model = ExampleModels.Bind("eight_schools", ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(5, 22)
        {
            Score = true,
            ScoreKind = ScoreKind.Joint,
            ScoreSpace = ParamSpace.Unconstrained,
            UnconstrainedParams = true,
        });
        var s2 = TensorArithmetic.Square(tensor(Sigma));
        var (mu, tau, eta, y) = (sim.Values["mu"], sim.Values["tau"], sim.Values["eta"], sim.Values["y"]);
        var residual = (y - (TensorArithmetic.Add(mu.unsqueeze(1), tau.unsqueeze(1) * eta))) / s2;
        var dMu = residual.sum(1) - TensorArithmetic.Div(mu, 25);                                        // + log N(mu | 0, 5)
        var dTau = (residual * eta).sum(1) - TensorArithmetic.Div(TensorArithmetic.Mul(2, tau), 25) / (TensorArithmetic.Add(1, TensorArithmetic.Div(TensorArithmetic.Square(tau), 25)));  // + log HalfCauchy(tau | 5)
        // tau = exp(u): d/du = tau · d/dtau, plus d/du log|d tau/du| = 1.
        var expected = stack(new[] { dMu, TensorArithmetic.Add(tau * dTau, 1) }, 1);
        Assert.True((sim.Score! - expected).abs().max().item<double>() < 1e-9);
        Assert.True((sim.UnconstrainedParams![.., 1] - tau.log()).abs().max().item<double>() < 1e-12);
        Assert.True((sim.UnconstrainedParams![.., 0] - mu).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void GaussianLinearScoreIsResidualOverNoiseVariance()
    {
        var model = ExampleModels.Bind("gaussian_linear", ModelOptions.Float64);
        using var scope = NewDisposeScope();
        var sim = model.Simulate(new SimulationRequest(4, 23) { Score = true });
        var expected = TensorArithmetic.Div((sim.Values["x"] - sim.Values["theta"]), 0.1);
        Assert.True((sim.Score! - expected).abs().max().item<double>() < 1e-9);
    }
}
