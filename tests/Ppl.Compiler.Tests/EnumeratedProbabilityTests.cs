using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Compiler.Tests;

/// <summary>
/// The posterior probabilities of a summed-out discrete latent's values (<see cref="Model.EnumeratedProbabilities"/>,
/// what `ppl sample --record z` saves): for a two-component mixture written with an explicit indicator per observation,
/// p(z_i = 1 | mu, w, y) = w N(y_i; mu_1, 1) / (w N(y_i; mu_1, 1) + (1 − w) N(y_i; mu_0, 1)) in closed form; with two
/// enumerated latents the joint configurations are marginalised to each latent's own values.
/// </summary>
public class EnumeratedProbabilityTests
{
    private static Model Compile(string text, string observed, double[] values)
    {
        var c = Driver.Compile("test.ppl", text);
        Assert.False(c.HasErrors, c.RenderDiagnostics());
        var binding = Model.Bind(c.Factory!(), new Dictionary<string, DataInput> { [observed] = new(tensor(values, ScalarType.Float64), "test") },
            ModelOptions.Float64);
        Assert.True(binding.Succeeded, string.Join("\n", binding.Errors));
        return binding.Model!;
    }

    [Fact]
    public void IndicatorProbabilitiesAreTheClosedFormAtEachPoint()
    {
        double[] y = [-1.3, 0.4, 2.9];
        var model = Compile("""
            model WithIndicators
            param mu: real[2] ~ Normal(0, 3)
            param w ~ Beta(2, 2)
            latent z: int[3] ~ Bernoulli(w)
            observe y: real[3] ~ Normal(if z == 1 then mu[1] else mu[0], 1)
            """, "y", y);
        using var scope = NewDisposeScope();
        var u = randn(new long[] { 5, 3 }, ScalarType.Float64, generator: new Generator(21));
        var probabilities = model.EnumeratedProbabilities(u)["z"];
        Assert.Equal(new long[] { 5, 3, 2 }, probabilities.shape);
        var values = model.Constrain(u);
        var mu = values["mu"].data<double>().ToArray();
        var w = values["w"].data<double>().ToArray();
        var p = probabilities.data<double>().ToArray();
        for (int b = 0; b < 5; b++)
            for (int i = 0; i < 3; i++)
            {
                double one = w[b] * Math.Exp(-0.5 * Math.Pow(y[i] - mu[2 * b + 1], 2));
                double zero = (1 - w[b]) * Math.Exp(-0.5 * Math.Pow(y[i] - mu[2 * b], 2));
                double expected = one / (one + zero);
                Assert.Equal(expected, p[(b * 3 + i) * 2 + 1], 12);
                Assert.Equal(1 - expected, p[(b * 3 + i) * 2], 12);
            }
    }

    [Fact]
    public void TwoEnumeratedLatentsGiveEachItsOwnMarginal()
    {
        // c picks one of three means for both observations; s flips the sign of the second. p(c, s | y) ∝
        // p(c) p(s) N(y_0; m_c, 1) N(y_1; (1 − 2s) m_c, 1), marginalised by brute force over the 6 configurations.
        double[] y = [1.1, -0.7];
        var model = Compile("""
            model TwoLatents
            param m: real[3] ~ Normal(0, 2)
            latent c ~ Categorical([0.2, 0.3, 0.5])
            latent s ~ Bernoulli(0.4)
            let mc = if c == 0 then m[0] else if c == 1 then m[1] else m[2]
            observe y: real[2] ~ Normal([mc, (1 - 2 * s) * mc], 1)
            """, "y", y);
        using var scope = NewDisposeScope();
        var u = randn(new long[] { 4, 3 }, ScalarType.Float64, generator: new Generator(5));
        var result = model.EnumeratedProbabilities(u);
        var pc = result["c"].data<double>().ToArray();
        var ps = result["s"].data<double>().ToArray();
        var m = model.Constrain(u)["m"].data<double>().ToArray();
        double[] priorC = [0.2, 0.3, 0.5], priorS = [0.6, 0.4];
        for (int b = 0; b < 4; b++)
        {
            var joint = new double[3, 2];
            double total = 0;
            for (int c = 0; c < 3; c++)
                for (int s = 0; s < 2; s++)
                {
                    double mean = m[3 * b + c];
                    joint[c, s] = priorC[c] * priorS[s] * Math.Exp(-0.5 * Math.Pow(y[0] - mean, 2) - 0.5 * Math.Pow(y[1] - (1 - 2 * s) * mean, 2));
                    total += joint[c, s];
                }
            for (int c = 0; c < 3; c++) Assert.Equal((joint[c, 0] + joint[c, 1]) / total, pc[b * 3 + c], 12);
            for (int s = 0; s < 2; s++) Assert.Equal((joint[0, s] + joint[1, s] + joint[2, s]) / total, ps[b * 2 + s], 12);
        }
    }
}
