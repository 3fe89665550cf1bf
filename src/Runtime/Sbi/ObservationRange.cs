using Ppl.Runtime.Tensors;
using System.Globalization;
using System.Text.Json;
using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// Where the training simulations' observations x lie: the per-element mean and standard deviation of the finite
/// training rows and the largest standardised distance of a training row from that mean. Recorded in the bundle by
/// `ppl train`, so that `ppl posterior` can warn when x_o lies farther out than every training simulation — there the
/// flow extrapolates and its confident-looking posterior has no support in the training data.
/// </summary>
/// <param name="Mean">The mean of each element of x.</param>
/// <param name="Scale">The standard deviation of each element of x (0 for an element that never changed).</param>
/// <param name="MaxTrainingDistance">The largest <see cref="Distance"/> of a training row.</param>
/// <param name="Rows">The number of finite training rows.</param>
public sealed record ObservationRange(double[] Mean, double[] Scale, double MaxTrainingDistance, long Rows)
{
    /// <summary>The bundle metadata entry.</summary>
    public const string MetadataKey = "observationRange";

    /// <summary>The range of the finite rows of x [n, ...]; null with fewer than two finite rows.</summary>
    public static ObservationRange? FromTraining(Tensor x)
    {
        using var scope = NewDisposeScope();
        var flat = x.detach().to(ScalarType.Float64, CPU).reshape(x.shape[0], -1);
        var finite = flat.isfinite().all(1);
        var rows = flat.index(finite);
        long n = rows.shape[0];
        if (n < 2) return null;
        var mean = rows.mean([0L]);
        var scale = rows.std(0, unbiased: true);
        var range = new ObservationRange(mean.data<double>().ToArray(), scale.data<double>().ToArray(), 0, n);
        // The same distance as Distance below, for every row at once (elements that never changed contribute 0).
        var safe = where(scale.gt(zeros_like(scale)), scale, ones_like(scale));
        var z = rows.sub(mean).div(safe);
        var distances = TensorArithmetic.Square(z).mean([1L]).sqrt();
        return range with { MaxTrainingDistance = distances.max().item<double>() };
    }

    /// <summary>
    /// The root mean square over elements of (x − mean)/scale; an element that never changed in training counts as
    /// infinitely far when x_o differs from it.
    /// </summary>
    public double Distance(IReadOnlyList<double> observation) => Standardised(observation) is { Length: > 0 } z
        ? Math.Sqrt(z.Average(v => v * v))
        : 0;

    /// <summary>A warning when the observation lies farther from the training mean than every training row; else null.</summary>
    public string? Warning(IReadOnlyList<double> observation)
    {
        if (observation.Count != Mean.Length) return null;
        double distance = Distance(observation);
        if (!(distance > MaxTrainingDistance)) return null;
        var z = Standardised(observation);
        int worst = Enumerable.Range(0, z.Length).MaxBy(i => Math.Abs(z[i]));
        var inv = CultureInfo.InvariantCulture;
        return string.Format(inv,
            "the observation lies outside the training simulations: its standardised distance from their mean is {0:G3}, beyond the farthest of the {1} training simulations ({2:G3}); " +
            "element {3} of x is {4:G4}, {5:G3} standard deviations from the training mean {6:G4}. The estimator extrapolates there and its posterior cannot be trusted: " +
            "simulate from a prior that covers this observation and retrain, or check the observation's units and layout",
            distance, Rows, MaxTrainingDistance, worst, observation[worst], z[worst], Mean[worst]);
    }

    private double[] Standardised(IReadOnlyList<double> observation)
    {
        var z = new double[Mean.Length];
        for (int i = 0; i < z.Length; i++)
        {
            double d = observation[i] - Mean[i];
            z[i] = Scale[i] > 0 ? d / Scale[i] : d == 0 ? 0 : double.PositiveInfinity;
        }
        return z;
    }

    /// <summary>The range as a bundle metadata entry.</summary>
    public KeyValuePair<string, string> ToMetadata() => new(MetadataKey, JsonSerializer.Serialize(this));

    /// <summary>The range recorded in a bundle, or null (bundles written before it was recorded, or unreadable).</summary>
    public static ObservationRange? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(MetadataKey, out var json)) return null;
        try
        {
            var range = JsonSerializer.Deserialize<ObservationRange>(json);
            return range is { Mean: not null, Scale: not null } && range.Mean.Length == range.Scale.Length ? range : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
