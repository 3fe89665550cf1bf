using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Tensors;

/// <summary>Adam against the update written out in doubles, on a quadratic, with a learning-rate change midway.</summary>
public class AdamOptimizerTests
{
    [Fact]
    public void StepsEqualTheAdamUpdateComputedByHand()
    {
        double[] start = { 1.5, -0.3, 4.0 };
        double[] centre = { 0.2, 0.7, -1.0 };
        var theta = tensor(start, dtype: ScalarType.Float64).requires_grad_(true);
        var c = tensor(centre, dtype: ScalarType.Float64);
        var unused = zeros(2, dtype: ScalarType.Float64).requires_grad_(true);   // never gets a gradient: left alone
        using var adam = new AdamOptimizer(new[] { theta, unused }, learningRate: 0.1, beta1: 0.8, beta2: 0.95, epsilon: 1e-6);

        var x = (double[])start.Clone();
        var m = new double[3];
        var v = new double[3];
        for (int t = 1; t <= 25; t++)
        {
            double lr = t <= 10 ? 0.1 : 0.03;
            adam.LearningRate = lr;
            adam.ZeroGrad();
            using (var scope = NewDisposeScope())
            {
                var loss = TensorArithmetic.Square(TensorArithmetic.Sub(theta, c)).sum();
                loss.backward();
            }
            adam.Step();
            for (int i = 0; i < 3; i++)
            {
                double g = 2 * (x[i] - centre[i]);
                m[i] = 0.8 * m[i] + 0.2 * g;
                v[i] = 0.95 * v[i] + 0.05 * g * g;
                double denominator = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.95, t)) + 1e-6;
                x[i] -= lr / (1 - Math.Pow(0.8, t)) * m[i] / denominator;
            }
            var actual = theta.detach().data<double>().ToArray();
            for (int i = 0; i < 3; i++) Assert.Equal(x[i], actual[i], 12);
        }
        Assert.Equal(new[] { 0.0, 0.0 }, unused.detach().data<double>().ToArray());
    }
}
