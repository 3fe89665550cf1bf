using Ppl.Runtime.Tensors;
using static TorchSharp.torch;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Batched, unbatched and scalar parameters against [B, 3] values, in float32 and float64. Each family's first two
/// settings (with the same optional parameters) are interleaved in one tensor, so a misaligned broadcast shows up as a
/// wrong value, not only a wrong shape.
/// </summary>
public class BroadcastTests
{
    private const int B = 4;

    public static TheoryData<string, ScalarType> Groups
    {
        get
        {
            var data = new TheoryData<string, ScalarType>();
            foreach (var key in Settings.Keys)
            {
                data.Add(key, ScalarType.Float32);
                data.Add(key, ScalarType.Float64);
            }
            return data;
        }
    }

    private static Dictionary<string, DistributionCase[]> Settings { get; } = DistributionCases.All
        .GroupBy(c => c.Family + string.Concat(c.Named.Select(n => "/" + n.Name)))
        .Where(g => g.Count() >= 2)
        .ToDictionary(g => g.Key, g => g.Take(2).ToArray());

    [Theory]
    [MemberData(nameof(Groups))]
    public void LogProbBroadcastsBatchedUnbatchedAndScalarParameters(string group, ScalarType dtype)
    {
        var settings = Settings[group];
        using var scope = NewDisposeScope();

        // [B, 3] parameters with [B, 3] values: entry (b, j) uses setting (b + j) mod 2.
        CheckLogProb(settings, dtype, (b, j) => (b + j) % 2, parameterShape: [B, 3], valueShape: [B, 3]);
        // Unbatched [3] parameters with [B, 3] values: column j uses setting j mod 2.
        CheckLogProb(settings, dtype, (_, j) => j % 2, parameterShape: [3], valueShape: [B, 3]);
        // Scalar parameters with [B, 3] values.
        CheckLogProb(settings, dtype, (_, _) => 0, parameterShape: [], valueShape: [B, 3]);
        // [B, 1] parameters with unbatched [3] values: row b uses setting b mod 2.
        CheckLogProb(settings, dtype, (b, _) => b % 2, parameterShape: [B, 1], valueShape: [3]);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void SamplesHaveTheStreamShapeAndFollowEachColumnsParameters(string group, ScalarType dtype)
    {
        var settings = Settings[group];
        using var scope = NewDisposeScope();
        const int n = 20_000;
        foreach (bool batched in new[] { false, true })
        {
            // Column j uses setting j mod 2, given either as a [3] or as a [n, 3] parameter.
            long[] parameterShape = batched ? [n, 3] : [3];
            var distribution = settings[0].Build((k, _) =>
            {
                var row = Enumerable.Range(0, 3).Select(j => settings[j % 2].ParameterValues[k]).ToArray();
                var parameter = tensor(row, dtype: dtype);
                return batched ? parameter.expand(n, 3).contiguous() : parameter;
            });
            var stream = new RandomStream(99, RandomStream.SiteKey(group), 0, [n, 3], dtype, CPU);
            var draws = distribution.Sample(stream);
            Assert.Equal(new long[] { n, 3 }, draws.shape);
            Assert.Equal(dtype, draws.dtype);
            for (int j = 0; j < 3; j++)
            {
                var c = settings[j % 2];
                var column = draws[TensorIndex.Colon, j].to_type(ScalarType.Float64).data<double>().ToArray();
                Assert.All(column, v => Assert.True(double.IsFinite(v) && v >= (float)c.Lower && v <= (float)c.Upper));
                Array.Sort(column);
                // KS bound as in SamplingTests: exceeded by a correct sampler with probability ≈ 1e-6.
                double distance = SamplingTests.KolmogorovSmirnovDistance(column, c.Cdf);
                Assert.True(distance < 2.7 / Math.Sqrt(n), $"{group}, column {j} ({c.Id}), batched = {batched}: KS distance {distance}");
            }
        }
    }

    /// <summary>float32 parameters with float64 values (and float64 parameters with a float32 stream) promote as
    /// elementwise arithmetic does, rather than failing.</summary>
    [Fact]
    public void MixedFloatTypesPromote()
    {
        using var scope = NewDisposeScope();
        foreach (var c in DistributionCases.All)
        {
            var logProb = c.Build(ScalarType.Float32).LogProb(tensor(c.Points, dtype: ScalarType.Float64));
            Assert.Equal(ScalarType.Float64, logProb.dtype);
            Assert.All(logProb.data<double>().ToArray(), v => Assert.True(double.IsFinite(v), c.Id));
            var draws = c.Build(ScalarType.Float64).Sample(new RandomStream(1, 1, 0, [16], ScalarType.Float32, CPU));
            Assert.Equal(new long[] { 16 }, draws.shape);
            Assert.All(draws.to_type(ScalarType.Float64).data<double>().ToArray(), v => Assert.True(double.IsFinite(v), c.Id));
        }
        var mvn = new Ppl.Runtime.Distributions.MultivariateNormal(tensor(new[] { 0f, 1f }), eye(2, dtype: ScalarType.Float32));
        Assert.Equal(ScalarType.Float64, mvn.LogProb(tensor(new[] { 0.5, 0.5 })).dtype);
        Assert.Equal(new long[] { 4, 2 }, mvn.Sample(new RandomStream(1, 1, 0, [4, 2], ScalarType.Float64, CPU)).shape);
    }

    private static void CheckLogProb(DistributionCase[] settings, ScalarType dtype, Func<int, int, int> settingAt,
        long[] parameterShape, long[] valueShape)
    {
        using var scope = NewDisposeScope();
        // Broadcast grid indices: parameters and values are read at (b, j) of the [B, 3] result.
        int Row(long[] shape, int b) => shape.Length == 2 && shape[0] > 1 ? b : 0;
        int Col(long[] shape, int j) => shape.Length >= 1 && shape[^1] > 1 ? j : 0;

        var distribution = settings[0].Build((k, _) =>
        {
            long rows = parameterShape.Length == 2 ? parameterShape[0] : 1, cols = parameterShape.Length >= 1 ? parameterShape[^1] : 1;
            var values = new double[rows * cols];
            for (int b = 0; b < rows; b++)
                for (int j = 0; j < cols; j++)
                    values[b * cols + j] = settings[settingAt(b, j)].ParameterValues[k];
            return tensor(values, dtype: dtype).reshape(parameterShape);
        });

        // The setting a result entry sees is the one of the parameter entry it broadcasts from; values are picked to
        // lie in that setting's support.
        int SettingOf(int b, int j) => settingAt(Row(parameterShape, b), Col(parameterShape, j));
        long valueRows = valueShape.Length == 2 ? valueShape[0] : 1;
        var valueData = new double[valueRows * 3];
        for (int b = 0; b < valueRows; b++)
            for (int j = 0; j < 3; j++)
            {
                // An unbatched value is shared by all rows, so it must suit every setting: use the first setting's
                // point that lies in both supports.
                var c = settings[SettingOf(b, j)];
                valueData[b * 3 + j] = valueShape.Length == 2
                    ? c.Points[(b + 2 * j) % c.Points.Length]
                    : SharedPoint(settings, j);
            }
        var value = tensor(valueData.Select(v => dtype == ScalarType.Float32 ? (float)v : v).ToArray(), dtype: ScalarType.Float64)
            .to_type(dtype).reshape(valueShape);

        var result = distribution.LogProb(value);
        Assert.Equal(new long[] { B, 3 }, result.shape);
        Assert.Equal(dtype, result.dtype);
        var actual = result.to_type(ScalarType.Float64).data<double>().ToArray();
        for (int b = 0; b < B; b++)
            for (int j = 0; j < 3; j++)
            {
                var c = settings[SettingOf(b, j)];
                double x = valueData[Row(valueShape, b) * 3 + Col(valueShape, j)];
                if (dtype == ScalarType.Float32) x = (float)x;
                double expected = c.LogDensity(x);
                // Tolerances as in LogProbTests: 1e-10 relative in float64, 2e-5 relative (+1e-4) in float32.
                double tolerance = dtype == ScalarType.Float64 ? 1e-10 * (1 + Math.Abs(expected)) : 2e-5 * (1 + Math.Abs(expected)) + 1e-4;
                Assert.True(Math.Abs(actual[b * 3 + j] - expected) <= tolerance,
                    $"{c.Id} at [{b}, {j}] (parameters {string.Join("x", parameterShape)}, value {string.Join("x", valueShape)}): got {actual[b * 3 + j]}, expected {expected}");
            }
    }

    /// <summary>A point inside the supports of both settings (an unbatched value meets both across the batch).</summary>
    private static double SharedPoint(DistributionCase[] settings, int j)
    {
        foreach (double x in settings[0].Points.Skip(j).Concat(settings[0].Points).Concat(settings[1].Points))
            if (x > settings[0].Lower && x < settings[0].Upper && x > settings[1].Lower && x < settings[1].Upper) return x;
        throw new InvalidOperationException("The two settings' supports do not overlap at any table point.");
    }
}
