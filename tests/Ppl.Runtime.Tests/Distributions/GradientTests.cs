using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

public class GradientTests
{
    [Theory]
    [MemberData(nameof(DistributionCases.Ids), MemberType = typeof(DistributionCases))]
    public void LogProbGradientsMatchCentralDifferences(string id)
    {
        var c = DistributionCases.Get(id);
        using var scope = NewDisposeScope();
        double[] parameters = c.ParameterValues;
        var parameterTensors = parameters.Select(p => tensor(p, dtype: ScalarType.Float64, requires_grad: true)).ToArray();
        var value = tensor(c.Points, dtype: ScalarType.Float64, requires_grad: true);
        var distribution = c.Build((i, _) => parameterTensors[i]);
        distribution.LogProb(value).sum().backward();

        double[] Evaluate(double[] ps, double[] xs) =>
            c.Build((i, _) => tensor(ps[i], dtype: ScalarType.Float64)).LogProb(tensor(xs, dtype: ScalarType.Float64)).data<double>().ToArray();

        // Central differences in float64 with a step of 1e-5 relative to the point: truncation error ~h²·f'''/6, about
        // 1e-10 relative where f varies on the scale of the point, and rounding ~1e-16·|f|/h; for the table's points
        // both are far below 1e-6·(1 + |g|).
        var valueGradient = value.grad!.data<double>().ToArray();
        for (int i = 0; i < c.Points.Length; i++)
        {
            double x = c.Points[i], h = 1e-5 * Math.Max(Math.Abs(x), 1e-3);
            var plus = (double[])c.Points.Clone();
            var minus = (double[])c.Points.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (Evaluate(parameters, plus)[i] - Evaluate(parameters, minus)[i]) / (2 * h);
            AssertClose(numeric, valueGradient[i], $"{id}: d/dx at x = {x}");
        }

        for (int k = 0; k < parameters.Length; k++)
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(parameters[k]));
            var plus = (double[])parameters.Clone();
            var minus = (double[])parameters.Clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (Evaluate(plus, c.Points).Sum() - Evaluate(minus, c.Points).Sum()) / (2 * h);
            AssertClose(numeric, parameterTensors[k].grad!.item<double>(), $"{id}: d/d{c.ParameterNames[k]}");
        }
    }

    private static void AssertClose(double numeric, double automatic, string what) =>
        Assert.True(Math.Abs(numeric - automatic) <= 1e-6 * (1 + Math.Abs(numeric)),
            $"{what}: autograd {automatic}, central difference {numeric}");
}
