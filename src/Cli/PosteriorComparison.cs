using Ppl.Runtime.Metrics;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>One posterior of a comparison: its draws of the compared params, [n, k], all finite.</summary>
/// <param name="Label">The name shown in tables, the legend and compare.json.</param>
/// <param name="Source">The file or folder the draws came from.</param>
/// <param name="Draws">The draws, one column per compared param.</param>
public sealed record ComparedPosterior(string Label, string Source, double[,] Draws)
{
    public int Count => Draws.GetLength(0);

    /// <summary>Column <paramref name="j"/> of the draws.</summary>
    public double[] Column(int j)
    {
        var column = new double[Count];
        for (int i = 0; i < column.Length; i++) column[i] = Draws[i, j];
        return column;
    }
}

/// <summary>The figure of merit 1/√det Cov of one pair of params (NaN when the pair's covariance is singular).</summary>
public sealed record PairFigureOfMerit(int First, int Second, double Value);

/// <summary>The C2ST of one posterior against the reference, on <paramref name="Rows"/> draws of each.</summary>
public sealed record ReferenceTest(long Rows, TwoSampleTestResult Result);

/// <summary>Everything `ppl compare` measured about one posterior.</summary>
/// <param name="Posterior">The posterior.</param>
/// <param name="IsReference">Whether it is the reference (it has no C2ST).</param>
/// <param name="Marginals">One summary per param.</param>
/// <param name="FiguresOfMerit">One per pair of params (i &lt; j, row-major).</param>
/// <param name="Test">The C2ST against the reference; null for the reference itself.</param>
public sealed record PosteriorMeasures(ComparedPosterior Posterior, bool IsReference, IReadOnlyList<MarginalSummary> Marginals,
    IReadOnlyList<PairFigureOfMerit> FiguresOfMerit, ReferenceTest? Test);

/// <summary>
/// The measurements of `ppl compare`: per posterior the marginals, the FoM of every pair of params and the C2ST
/// against the reference (sbibm's protocol; both sets cut to the same size by a seeded subset, at most
/// <see cref="ComparisonSettings.MaxRows"/> draws each).
/// </summary>
public static class PosteriorComparison
{
    /// <summary>Fewest draws a posterior may have: a 5-fold C2ST needs two per fold and class.</summary>
    public const int MinDraws = 10;

    /// <summary>Measures every posterior; <paramref name="posteriors"/>[0] is the reference. Null when cancelled (checked
    /// before each C2ST); <paramref name="progress"/> hears of each C2ST as it starts.</summary>
    public static IReadOnlyList<PosteriorMeasures>? Measure(IReadOnlyList<ComparedPosterior> posteriors, ComparisonSettings settings,
        CancellationToken cancellation, Action<ComparedPosterior, long>? progress = null)
    {
        var reference = posteriors[0];
        int k = reference.Draws.GetLength(1);
        var measures = new List<PosteriorMeasures>();
        for (int p = 0; p < posteriors.Count; p++)
        {
            var posterior = posteriors[p];
            var columns = Enumerable.Range(0, k).Select(posterior.Column).ToArray();
            var marginals = columns.Select(MarginalSummary.Of).ToArray();
            var foms = new List<PairFigureOfMerit>();
            for (int i = 0; i < k; i++)
                for (int j = i + 1; j < k; j++) foms.Add(new PairFigureOfMerit(i, j, FigureOfMerit.FromColumns(columns[i], columns[j])));
            ReferenceTest? test = null;
            if (p > 0)
            {
                if (cancellation.IsCancellationRequested) return null;
                progress?.Invoke(posterior, Math.Min(Math.Min(reference.Count, posterior.Count), settings.MaxRows));
                test = TestAgainstReference(reference, posterior, p, settings);
            }
            measures.Add(new PosteriorMeasures(posterior, p == 0, marginals, foms, test));
        }
        return measures;
    }

    private static ReferenceTest TestAgainstReference(ComparedPosterior reference, ComparedPosterior candidate, int index, ComparisonSettings settings)
    {
        using var scope = NewDisposeScope();
        long n = Math.Min(Math.Min(reference.Count, candidate.Count), settings.MaxRows);
        var x = DrawSubset.Take(ToTensor(reference.Draws), n, settings.Seed, "compare.reference");
        var y = DrawSubset.Take(ToTensor(candidate.Draws), n, settings.Seed, $"compare.posterior{index}");
        var result = ClassifierTwoSampleTest.Compute(x, y, (int)settings.Seed, settings.Folds);
        return new ReferenceTest(n, result);
    }

    private static Tensor ToTensor(double[,] values)
    {
        var flat = new double[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(double));
        return tensor(flat, ScalarType.Float64).reshape(values.GetLength(0), values.GetLength(1));
    }
}

/// <summary>How `ppl compare` runs its C2STs.</summary>
/// <param name="Seed">Seeds the subsets and the classifier.</param>
/// <param name="MaxRows">At most this many draws of each posterior enter a C2ST (sbibm: 10,000).</param>
/// <param name="Folds">Cross-validation folds.</param>
public sealed record ComparisonSettings(ulong Seed, long MaxRows, int Folds = 5);
