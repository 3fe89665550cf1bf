using Ppl.Runtime.Inference.Mcmc;
using Ppl.Runtime.IO;

namespace Ppl.Runtime.Inference.Output;

/// <summary>
/// Writes a run's post-warm-up draws as a NumPy <c>.npz</c>: one array per variable, shaped [chain, draw, ...shape]
/// (variables grouped from Stan column names, <c>theta.1 … theta.8</c> → <c>theta</c> [C, N, 8], indices 1-based and
/// column-major as in the CSV, stored C-order), the sampler statistics (<c>lp__</c>, <c>accept_stat__</c>, …) as
/// [C, N], and the unconstrained draws as <c>unconstrained__</c> [C, N, D]. Chains are cut to the shortest one.
/// The archive is written atomically (<see cref="NpzWriter"/>).
/// </summary>
public static class DrawsNpzWriter
{
    /// <summary>Writes the file.</summary>
    /// <param name="path">The archive to write.</param>
    /// <param name="run">The run.</param>
    /// <param name="columns">The named output columns.</param>
    /// <param name="unconstrainedCoordinates">How many leading unconstrained coordinates <c>unconstrained__</c> keeps
    /// (all when null): a model's params come first, so this can leave out large latent fields.</param>
    /// <returns>Success, or the operating system's refusal to write.</returns>
    public static DataFileResult Write(string path, SamplingRun run, ConstrainedColumns columns, int? unconstrainedCoordinates = null)
    {
        int c = run.Chains.Count;
        int n = run.Chains.Min(ch => ch.Samples.Count);
        int d = Math.Clamp(unconstrainedCoordinates ?? run.Dimension, 0, run.Dimension);
        var draws = run.Chains.Select(ch => ch.Samples.Take(n).ToArray()).ToArray();
        var values = draws.Select(ch => columns.Apply(ch.Select(x => x.Position).ToArray())).ToArray();
        var arrays = new List<(string, long[], double[])>();

        foreach (var (name, members) in GroupColumns(columns.Names))
        {
            var shape = members[0].Index.Length == 0 ? Array.Empty<int>() : members.Select(m => m.Index).Aggregate(
                new int[members[0].Index.Length], (max, idx) => max.Zip(idx, Math.Max).ToArray());
            int size = shape.Aggregate(1, (a, b) => a * b);
            var data = new double[(long)c * n * size];
            foreach (var (column, index) in members)
            {
                int flat = 0;
                for (int axis = 0; axis < shape.Length; axis++) flat = flat * shape[axis] + (index[axis] - 1);
                for (int ch = 0; ch < c; ch++)
                    for (int i = 0; i < n; i++)
                        data[((long)ch * n + i) * size + flat] = values[ch][i][column];
            }
            arrays.Add((name, new long[] { c, n }.Concat(shape.Select(s => (long)s)).ToArray(), data));
        }

        void Stat(string name, Func<Draw, double> f) =>
            arrays.Add((name, new long[] { c, n }, draws.SelectMany(ch => ch.Select(f)).ToArray()));
        Stat("lp__", x => x.LogDensity);
        Stat("accept_stat__", x => x.AcceptStat);
        Stat("stepsize__", x => x.StepSize);
        Stat("treedepth__", x => x.TreeDepth);
        Stat("n_leapfrog__", x => x.LeapfrogSteps);
        Stat("divergent__", x => x.Divergent ? 1 : 0);
        Stat("energy__", x => x.Energy);
        arrays.Add(("unconstrained__", new long[] { c, n, d }, draws.SelectMany(ch => ch.SelectMany(x => x.Position.Take(d))).ToArray()));

        var created = NpzWriter.Create(path);
        if (!created.Succeeded) return created;
        using var writer = created.Value;
        foreach (var (name, shape, data) in arrays) writer.Add(name, NpyArray.Create(data, shape));
        return writer.Commit();
    }

    private static List<(string Name, List<(int Column, int[] Index)> Members)> GroupColumns(IReadOnlyList<string> names)
    {
        var groups = new List<(string, List<(int, int[])>)>();
        var byName = new Dictionary<string, List<(int, int[])>>();
        for (int k = 0; k < names.Count; k++)
        {
            var parts = names[k].Split('.');
            var index = parts.Skip(1).Select(p => int.TryParse(p, out var v) && v >= 1 ? v : -1).ToArray();
            string key = index.Any(v => v < 0) ? names[k] : parts[0];
            if (index.Any(v => v < 0)) index = Array.Empty<int>();
            if (!byName.TryGetValue(key, out var list))
            {
                list = new List<(int, int[])>();
                byName[key] = list;
                groups.Add((key, list));
            }
            list.Add((k, index));
        }
        return groups;
    }
}
