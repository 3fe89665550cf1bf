using Ppl.Runtime.Distributions;
using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class MultivariateNormalTests
{
    // Covariance [[4, 1.2], [1.2, 0.9]] and its Cholesky factor [[2, 0], [0.6, √0.54]].
    private static readonly double[] Mu = [0.5, -1.0];
    private static readonly double[,] Sigma = { { 4.0, 1.2 }, { 1.2, 0.9 } };
    private static readonly double[] Factor = [2.0, 0.0, 0.6, Math.Sqrt(0.9 - 0.36)];

    /// <summary>The 2-D normal density from the determinant and inverse of the covariance, in plain doubles.</summary>
    private static double ClosedForm(double[] mu, double[,] sigma, double x0, double x1)
    {
        double det = sigma[0, 0] * sigma[1, 1] - sigma[0, 1] * sigma[1, 0];
        double i00 = sigma[1, 1] / det, i11 = sigma[0, 0] / det, i01 = -sigma[0, 1] / det;
        double d0 = x0 - mu[0], d1 = x1 - mu[1];
        double quadratic = d0 * d0 * i00 + 2 * d0 * d1 * i01 + d1 * d1 * i11;
        return -0.5 * quadratic - 0.5 * Math.Log(det) - Math.Log(2 * Math.PI);
    }

    private static readonly double[][] Points = [[0.5, -1.0], [3.0, 0.2], [-4.0, -2.5], [1.0, 1.0]];

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void LogProbMatchesTheClosedFormAndIsNormalised(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var mvn = new MultivariateNormal(tensor(Mu, dtype: dtype), tensor(Factor, dtype: dtype).reshape(2, 2));
        Assert.Equal(1, mvn.EventRank);
        var values = tensor(Points.SelectMany(p => p).ToArray(), dtype: dtype).reshape(Points.Length, 2);
        var result = mvn.LogProb(values);
        Assert.Equal(new long[] { Points.Length }, result.shape);
        var actual = result.to_type(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < Points.Length; i++)
        {
            // The closed form is the normalised density, so agreement also shows the normalisation.
            double expected = ClosedForm(Mu, Sigma, Points[i][0], Points[i][1]);
            double tolerance = dtype == ScalarType.Float64 ? 1e-12 * (1 + Math.Abs(expected)) : 1e-5 * (1 + Math.Abs(expected));
            Assert.True(Math.Abs(actual[i] - expected) <= tolerance, $"{dtype} at point {i}: {actual[i]} vs {expected}");
        }
    }

    [Fact]
    public void FromCovarianceFactorsByCholesky()
    {
        using var scope = NewDisposeScope();
        var covariance = tensor(new[] { 4.0, 1.2, 1.2, 0.9 }).reshape(2, 2);
        var mvn = MultivariateNormal.FromCovariance(tensor(Mu), covariance);
        Assert.True(mvn.ScaleTril.allclose(tensor(Factor).reshape(2, 2), rtol: 1e-12, atol: 1e-12));
        Assert.Equal(new[] { 4.0, 0.9 }, mvn.Variance.data<double>().ToArray().Select(v => Math.Round(v, 12)).ToArray());
        Assert.Equal(Mu, mvn.Mean.data<double>().ToArray()); // exact: the mean is the stored loc
    }

    [Fact]
    public void BatchedAndUnbatchedParametersBroadcast()
    {
        using var scope = NewDisposeScope();
        // Row b has mean Mu + b and covariance scaled by (1 + b)², i.e. factor scaled by (1 + b).
        const int B = 3;
        var loc = tensor(Mu).unsqueeze(0).add(arange(ConstantScalars.Of(0), ConstantScalars.Of(B), ConstantScalars.Of(1), dtype: ScalarType.Float64).unsqueeze(1), TensorArithmetic.One);
        var factor = tensor(Factor).reshape(2, 2).unsqueeze(0).mul(arange(ConstantScalars.Of(1), ConstantScalars.Of(B + 1), ConstantScalars.Of(1), dtype: ScalarType.Float64).reshape(B, 1, 1));
        var value = tensor(new[] { 1.0, 0.0 });

        var batched = new MultivariateNormal(loc, factor).LogProb(value);
        Assert.Equal(new long[] { B }, batched.shape);
        for (int b = 0; b < B; b++)
        {
            double s2 = (1 + b) * (1 + b);
            double[,] sigma = { { Sigma[0, 0] * s2, Sigma[0, 1] * s2 }, { Sigma[1, 0] * s2, Sigma[1, 1] * s2 } };
            Assert.Equal(ClosedForm([Mu[0] + b, Mu[1] + b], sigma, 1.0, 0.0), batched[b].item<double>(), 12);
        }

        // Unbatched parameters against a [B, 2] value; batched mean with an unbatched factor.
        var values = tensor(Points.Take(B).SelectMany(p => p).ToArray()).reshape(B, 2);
        var shared = new MultivariateNormal(tensor(Mu), tensor(Factor).reshape(2, 2)).LogProb(values);
        Assert.Equal(new long[] { B }, shared.shape);
        var mixed = new MultivariateNormal(loc, tensor(Factor).reshape(2, 2)).LogProb(values);
        for (int b = 0; b < B; b++)
        {
            Assert.Equal(ClosedForm(Mu, Sigma, Points[b][0], Points[b][1]), shared[b].item<double>(), 12);
            Assert.Equal(ClosedForm([Mu[0] + b, Mu[1] + b], Sigma, Points[b][0], Points[b][1]), mixed[b].item<double>(), 12);
        }
    }

    [Fact]
    public void GradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        var loc = tensor(Mu).requires_grad_(true);
        var factor = tensor(Factor).reshape(2, 2).requires_grad_(true);
        var values = tensor(Points.SelectMany(p => p).ToArray()).reshape(Points.Length, 2).requires_grad_(true);
        new MultivariateNormal(loc, factor).LogProb(values).sum().backward();

        double Evaluate(double[] mu, double[] l, double[] x) =>
            new MultivariateNormal(tensor(mu), tensor(l).reshape(2, 2)).LogProb(tensor(x).reshape(Points.Length, 2)).sum().item<double>();

        double[] muBase = Mu, lBase = Factor, xBase = Points.SelectMany(p => p).ToArray();
        const double h = 1e-6;
        // Central differences in float64: truncation ~h²·|f'''| ≈ 1e-12, rounding ~1e-16·|f|/h ≈ 1e-9.
        void Check(double[] baseline, Tensor gradient, Func<double[], double> evaluate, string name, Func<int, bool>? include = null)
        {
            var g = gradient.data<double>().ToArray();
            for (int i = 0; i < baseline.Length; i++)
            {
                if (include is not null && !include(i)) continue;
                var plus = (double[])baseline.Clone();
                var minus = (double[])baseline.Clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = (evaluate(plus) - evaluate(minus)) / (2 * h);
                Assert.True(Math.Abs(numeric - g[i]) < 1e-6 * (1 + Math.Abs(numeric)), $"d/d{name}[{i}]: {g[i]} vs {numeric}");
            }
        }
        Check(muBase, loc.grad!, m => Evaluate(m, lBase, xBase), "loc");
        Check(xBase, values.grad!, x => Evaluate(muBase, lBase, x), "value");
        // Only the lower triangle is read; the entry above the diagonal (index 1) has zero gradient.
        Check(lBase, factor.grad!, l => Evaluate(muBase, l, xBase), "scale_tril", i => i != 1);
        Assert.Equal(0.0, factor.grad![0, 1].item<double>()); // exact: the upper triangle is masked out, not computed
    }

    [Fact]
    public void DrawsHaveTheMeanAndCovariance()
    {
        using var scope = NewDisposeScope();
        const int n = 100_000;
        var mvn = new MultivariateNormal(tensor(Mu), tensor(Factor).reshape(2, 2));
        var draws = mvn.Sample(new RandomStream(31, 7, 0, [n, 2], ScalarType.Float64, CPU));
        Assert.Equal(new long[] { n, 2 }, draws.shape);
        var x = draws.data<double>().ToArray();
        double m0 = 0, m1 = 0;
        for (int i = 0; i < n; i++) { m0 += x[2 * i]; m1 += x[2 * i + 1]; }
        m0 /= n;
        m1 /= n;
        // Means: five standard errors √(Σᵢᵢ/n).
        Assert.True(Math.Abs(m0 - Mu[0]) < 5 * Math.Sqrt(Sigma[0, 0] / n), $"mean 0: {m0}");
        Assert.True(Math.Abs(m1 - Mu[1]) < 5 * Math.Sqrt(Sigma[1, 1] / n), $"mean 1: {m1}");
        // Covariances: for a normal, Var[(xᵢ − μᵢ)(xⱼ − μⱼ)] = ΣᵢᵢΣⱼⱼ + Σᵢⱼ², so five standard errors √((ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n).
        for (int a = 0; a < 2; a++)
            for (int b = a; b < 2; b++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += (x[2 * i + a] - Mu[a]) * (x[2 * i + b] - Mu[b]);
                double covariance = sum / n;
                double error = Math.Sqrt((Sigma[a, a] * Sigma[b, b] + Sigma[a, b] * Sigma[a, b]) / n);
                Assert.True(Math.Abs(covariance - Sigma[a, b]) < 5 * error, $"covariance [{a},{b}]: {covariance} vs {Sigma[a, b]} ± {error}");
            }
    }

    [Fact]
    public void DrawsWithBatchedParametersFollowEachRow()
    {
        using var scope = NewDisposeScope();
        const int n = 20_000;
        // Two alternating settings down the batch: mean Mu or −Mu.
        var sign = tensor(Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray()).unsqueeze(1);
        var loc = tensor(Mu).unsqueeze(0).mul(sign);
        var draws = new MultivariateNormal(loc, tensor(Factor).reshape(2, 2)).Sample(new RandomStream(5, 5, 0, [n, 2], ScalarType.Float32, CPU));
        Assert.Equal(new long[] { n, 2 }, draws.shape);
        var even = draws[TensorIndex.Slice(0, null, 2)].mean([0]).data<double>().ToArray();
        var odd = draws[TensorIndex.Slice(1, null, 2)].mean([0]).data<double>().ToArray();
        for (int k = 0; k < 2; k++)
        {
            double error = 5 * Math.Sqrt(Sigma[k, k] / (n / 2));
            Assert.InRange(even[k], Mu[k] - error, Mu[k] + error);
            Assert.InRange(odd[k], -Mu[k] - error, -Mu[k] + error);
        }
    }
}
