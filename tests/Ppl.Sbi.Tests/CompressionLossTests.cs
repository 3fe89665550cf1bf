using Ppl.Runtime.Compression;
using Ppl.Runtime.Flows;
using static TorchSharp.torch;

namespace Ppl.Sbi.Tests;

/// <summary>The compressor losses against values computed by hand (float64).</summary>
public class CompressionLossTests
{
    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    [Fact]
    public void MseAndMaeSumOverSummariesAndAverageOverRows()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new[] { 1.0, 2.0, -1.0, 0.5 }).reshape(2, 2);
        var theta = tensor(new[] { 0.0, 4.0, 1.0, 0.0 }).reshape(2, 2);
        Assert.Equal(((1 + 4) + (4 + 0.25)) / 2.0, CompressionLosses.MeanSquaredError(t, theta).item<double>(), 12);
        Assert.Equal(((1 + 2) + (2 + 0.5)) / 2.0, CompressionLosses.MeanAbsoluteError(t, theta).item<double>(), 12);
    }

    [Fact]
    public void GaussianNllEqualsTheHandComputedValue()
    {
        using var scope = NewDisposeScope();
        // Two rows, d = 2: raw = (diag0, diag1, lower(1,0)).
        double[][] raw = [[0.3, -1.2, 0.7], [-4.0, 2.0, -0.4]];
        double[][] t = [[0.1, -0.5], [1.5, 0.2]];
        double[][] theta = [[0.4, 0.3], [1.0, -1.1]];
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            double l00 = Softplus(raw[i][0]) + 1e-3, l11 = Softplus(raw[i][1]) + 1e-3, l10 = raw[i][2];
            double z0 = (theta[i][0] - t[i][0]) / l00;
            double z1 = (theta[i][1] - t[i][1] - l10 * z0) / l11;
            expected += 0.5 * (z0 * z0 + z1 * z1) + Math.Log(l00) + Math.Log(l11) + Math.Log(2 * Math.PI);
        }
        expected /= 2;
        var value = CompressionLosses.GaussianNegativeLogLikelihood(
            tensor(t.SelectMany(r => r).ToArray()).reshape(2, 2),
            tensor(raw.SelectMany(r => r).ToArray()).reshape(2, 3),
            tensor(theta.SelectMany(r => r).ToArray()).reshape(2, 2)).item<double>();
        Assert.Equal(expected, value, 10);
    }

    [Fact]
    public void CholeskyDiagonalNeverFallsBelowTheFloor()
    {
        using var scope = NewDisposeScope();
        var factor = CompressionLosses.CholeskyFactor(tensor(new[] { -80.0, -1e4, 3.0 }).reshape(1, 3), 2);
        var diagonal = factor.diagonal(0, 1, 2).data<double>().ToArray();
        Assert.All(diagonal, v => Assert.True(v >= CompressionLosses.MinimumDiagonal && v < 1.01e-3));
        Assert.Equal(3.0, factor[0, 1, 0].item<double>(), 12);
        Assert.Equal(0.0, factor[0, 0, 1].item<double>());
    }

    [Fact]
    public void VmimEqualsTheHandComputedFlowDensity()
    {
        using var scope = NewDisposeScope();
        // One affine coupling of a 1-D θ on a 2-D summary: conditioner 2 → 3 (SiLU) → 2 (shift, raw log-scale).
        var flow = new ConditionalFlow(new FlowArchitecture
        {
            Kind = FlowKind.AffineCoupling, Dimension = 1, ContextShape = [2], Layers = 1, HiddenUnits = 3, HiddenLayers = 1,
            Activation = ActivationKind.Silu,
        }, seed: 5).ConvertTo(ScalarType.Float64);
        var weights = flow.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var w0 = weights.Single(p => p.Key.EndsWith("layers.0.weight")).Value;
        var b0 = weights.Single(p => p.Key.EndsWith("layers.0.bias")).Value;
        var w1 = weights.Single(p => p.Key.EndsWith("layers.1.weight")).Value;
        var b1 = weights.Single(p => p.Key.EndsWith("layers.1.bias")).Value;
        using (no_grad())
        {
            // The last layer starts at zero (identity flow); give it values so the test sees a real transform.
            w1.copy_(tensor(new[] { 0.5, -0.3, 0.2, -0.4, 0.6, 0.1 }).reshape(2, 3));
            b1.copy_(tensor(new[] { 0.25, -0.15 }));
        }
        double[][] t = [[0.3, -0.8], [1.2, 0.4], [-0.5, 2.0]];
        double[] theta = [0.7, -1.3, 0.05];
        var W0 = w0.data<double>().ToArray();
        var B0 = b0.data<double>().ToArray();
        var W1 = w1.data<double>().ToArray();
        var B1 = b1.data<double>().ToArray();
        double expected = 0;
        for (int i = 0; i < 3; i++)
        {
            var h = new double[3];
            for (int j = 0; j < 3; j++)
            {
                double a = B0[j] + W0[j * 2] * t[i][0] + W0[j * 2 + 1] * t[i][1];
                h[j] = a / (1 + Math.Exp(-a));
            }
            double shift = B1[0] + W1[0] * h[0] + W1[1] * h[1] + W1[2] * h[2];
            double rawScale = B1[1] + W1[3] * h[0] + W1[4] * h[1] + W1[5] * h[2];
            double logScale = 3 * Math.Tanh(rawScale / 3);
            double u = theta[i] * Math.Exp(logScale) + shift;
            double logQ = -0.5 * u * u - 0.5 * Math.Log(2 * Math.PI) + logScale;
            expected -= logQ / 3;
        }
        var value = CompressionLosses.VariationalMutualInformation(flow,
            tensor(t.SelectMany(r => r).ToArray()).reshape(3, 2), tensor(theta).reshape(3, 1)).item<double>();
        Assert.Equal(expected, value, 10);
    }
}
