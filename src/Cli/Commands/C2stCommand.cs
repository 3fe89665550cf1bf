using System.Globalization;
using Ppl.Runtime.Metrics;
using static TorchSharp.torch;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl c2st a.csv b.csv [--seed S]`: the classifier two-sample test between two sets of draws (CSV or .npz), sbibm's
/// protocol — z-scored by the first file, MLP classifier, 5-fold accuracy. 0.5 means the classifier cannot tell them
/// apart; 1 means it always can. Columns are matched by name (Stan's theta.1 is our theta[0]); `--by-position` pairs
/// files whose names differ (e.g. sbibm's parameter_1, parameter_2).
/// </summary>
public static class C2stCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Value("--seed", "S", "seed of the subsets and folds (default 1)")
        .Value("--columns", "a,b", "the columns to compare (default: the columns both files have)")
        .Flag("--by-position", "pair the columns in order rather than by name")
        .Value("--max-rows", "N", "at most N draws of each file (a seeded subset; default 10,000)")
        .Value("--folds", "K", "folds of the classifier's cross-validation, 2 to 100 (default 5)");

    public static int Run(CliContext ctx, CommandLine line)
    {
        var inv = CultureInfo.InvariantCulture;
        if (line.Positional.Count != 2) return ctx.Usage("c2st expects two files of draws", "ppl c2st reference.csv candidate.csv");
        if (!SimulateCommand.TryLong(line.Get("--seed") ?? "1", 0, out long seed) || seed > int.MaxValue) return ctx.Usage("--seed must be a non-negative integer");
        if (!SimulateCommand.TryLong(line.Get("--folds") ?? "5", 2, out long folds) || folds > 100) return ctx.Usage("--folds must be an integer from 2 to 100");
        long? maxRows = null;
        if (line.Get("--max-rows") is { } maxText)
        {
            if (!SimulateCommand.TryLong(maxText, 10, out long m)) return ctx.Usage("--max-rows must be an integer of at least 10");
            maxRows = m;
        }
        var (a, exitA) = SampleTable.Read(ctx, line.Positional[0]);
        if (a is null) return exitA;
        var (b, exitB) = SampleTable.Read(ctx, line.Positional[1]);
        if (b is null) return exitB;

        var (columnsA, columnsB, names, error, hint) = MatchColumns(a, b, line.Get("--columns"), line.Has("--by-position"));
        if (error is not null) return ctx.Usage(error, hint);

        using var scope = NewDisposeScope();
        var x = a.ToTensor(columnsA);
        var y = b.ToTensor(columnsB);
        long droppedA = a.Rows - x.shape[0], droppedB = b.Rows - y.shape[0];
        // Accuracy is only comparable to 0.5 with balanced classes: both sets are cut to the same size by a seeded subset.
        long n = Math.Min(x.shape[0], y.shape[0]);
        if (maxRows is { } cap) n = Math.Min(n, cap);
        if (n < 2 * folds) return ctx.Usage($"too few finite rows for a {folds}-fold test ({x.shape[0]} in {a.Origin}, {y.shape[0]} in {b.Origin})");
        x = DrawSubset.Take(x, n, (ulong)seed, "c2st.first");
        y = DrawSubset.Take(y, n, (ulong)seed, "c2st.second");

        var clock = ModelLoading.Start();
        var result = ClassifierTwoSampleTest.Compute(x, y, (int)seed, (int)folds);
        ctx.Out.WriteLine(string.Create(inv, $"C2ST accuracy: {result.Accuracy:F4}"));
        ctx.Out.WriteLine($"  {n} draws from each of {a.Origin} (reference, z-scoring) and {b.Origin}; {names.Count} column{(names.Count == 1 ? "" : "s")}: {string.Join(", ", names)}");
        ctx.Out.WriteLine(string.Create(inv, $"  {folds}-fold MLP classifier, seed {seed}; fold accuracies {string.Join(" ", result.FoldAccuracies.Select(v => v.ToString("F3", inv)))}; {ModelLoading.Seconds(clock.Elapsed)}"));
        ctx.Out.WriteLine("  0.5: indistinguishable; 1: always told apart");
        if (droppedA + droppedB > 0) ctx.Err.WriteLine($"warning: rows with NaN or infinite values were left out ({droppedA} in {a.Origin}, {droppedB} in {b.Origin})");
        return ExitCodes.Ok;
    }

    /// <summary>Pairs the columns of the two tables: by canonical name, by the names given in --columns, or by position.</summary>
    private static (int[] A, int[] B, IReadOnlyList<string> Names, string? Error, string? Hint) MatchColumns(SampleTable a, SampleTable b, string? only, bool byPosition)
    {
        var namesA = a.Names.Select(SampleTable.CanonicalName).ToList();
        var namesB = b.Names.Select(SampleTable.CanonicalName).ToList();
        if (byPosition)
        {
            if (a.Names.Count != b.Names.Count)
                return ([], [], [], $"--by-position needs the same number of columns; {a.Origin} has {a.Names.Count} and {b.Origin} has {b.Names.Count}", null);
            var all = Enumerable.Range(0, a.Names.Count).ToArray();
            return (all, all, a.Names.Zip(b.Names, (p, q) => p == q ? p : $"{p}~{q}").ToList(), null, null);
        }
        List<string> wanted;
        if (only is not null)
        {
            wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SampleTable.CanonicalName).ToList();
            var missing = wanted.Where(w => !namesA.Contains(w) || !namesB.Contains(w)).ToList();
            if (missing.Count > 0)
                return ([], [], [], $"--columns: {string.Join(", ", missing)} not found in both files", $"{a.Origin}: {string.Join(", ", a.Names)}; {b.Origin}: {string.Join(", ", b.Names)}");
        }
        else wanted = namesA.Where(namesB.Contains).Distinct().ToList();
        if (wanted.Count == 0)
            return ([], [], [], $"{a.Origin} and {b.Origin} share no column names",
                $"{a.Origin}: {string.Join(", ", a.Names.Take(8))}; {b.Origin}: {string.Join(", ", b.Names.Take(8))}; use --by-position to pair columns in order");
        return (wanted.Select(w => namesA.IndexOf(w)).ToArray(), wanted.Select(w => namesB.IndexOf(w)).ToArray(), wanted, null, null);
    }
}
