using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Runtime.Inference.Output;

/// <summary>
/// The output columns of a model's draws: its params (and, when asked, its latents) in constrained space, named and
/// ordered as Stan names them (<c>theta.1</c>, matrices column-major), computed from unconstrained draws by the
/// model's own push-forward (<see cref="Model.Constrain"/>), one batched model run per block of draws.
/// </summary>
public static class ModelColumns
{
    /// <summary>The columns of the params, then those of the recorded lets (Stan's generated quantities, in the order
    /// given), then those of the latents when <paramref name="includeLatents"/> is set.</summary>
    /// <param name="model">The bound model.</param>
    /// <param name="includeLatents">Also the latents' columns.</param>
    /// <param name="recordLets">Names of lets of the model (<see cref="Model.Lets"/>) whose values are columns too,
    /// computed by the same push-forward run at each draw; see <see cref="UnknownLets"/> to check them first.</param>
    public static ConstrainedColumns For(Model model, bool includeLatents, IReadOnlyList<string>? recordLets = null)
    {
        // A recorded name is a let (its value) or a summed-out discrete latent (its values' probabilities, NAME_prob).
        var recorded = (recordLets ?? Array.Empty<string>()).Select(name =>
            model.Lets.FirstOrDefault(l => l.Name == name) is { } let ? (let.Name, let.Shape, Latent: (string?)null)
            : model.Sites.FirstOrDefault(s => s.IsEnumerated && s.Name == name) is { } latent
                ? (ProbabilityName(latent.Name), [.. latent.Shape, (long)latent.Description.EnumerationSize], latent.Name)
                : throw new ArgumentException($"'{name}' is not a recordable let or summed-out latent", nameof(recordLets))).ToArray();
        var lets = recorded.Select(r => (Name: r.Item1, Shape: r.Item2)).ToArray();
        var probabilityOf = recorded.Where(r => r.Latent is not null).ToDictionary(r => r.Item1, r => r.Latent!);
        var sites = model.UnconstrainedSites.Where(s => s.Role == Abstractions.SiteRole.Param).Select(s => (s.Name, s.Shape))
            .Concat(lets)
            .Concat(model.UnconstrainedSites.Where(s => includeLatents && s.Role != Abstractions.SiteRole.Param).Select(s => (s.Name, s.Shape)))
            .ToArray();
        var names = new List<string>();
        var orders = new long[sites.Length][];
        var sizes = new long[sites.Length];
        for (int i = 0; i < sites.Length; i++)
        {
            var shape = sites[i].Shape.Select(n => checked((int)n)).ToArray();
            names.AddRange(StanColumnNames.For(sites[i].Name, shape));
            orders[i] = StanColumnNames.ColumnMajorToRowMajor(shape).Select(k => (long)k).ToArray();
            sizes[i] = shape.Aggregate(1L, (a, b) => a * b);
        }
        var letNames = recorded.Where(r => r.Latent is null).Select(r => r.Item1).ToArray();
        return new ConstrainedColumns(names, unconstrained =>
        {
            using var scope = NewDisposeScope();
            long n = unconstrained.shape[0];
            var values = model.Constrain(unconstrained, letNames);
            if (probabilityOf.Count > 0)
            {
                var probabilities = model.EnumeratedProbabilities(unconstrained);
                foreach (var (column, latent) in probabilityOf) values[column] = probabilities[latent];
            }
            var parts = new Tensor[sites.Length];
            for (int i = 0; i < sites.Length; i++)
            {
                var flat = values[sites[i].Name].reshape(n, sizes[i]).to(ScalarType.Float64, CPU);
                parts[i] = sites[i].Shape.Length <= 1 ? flat : flat.index_select(1, tensor(orders[i]));
            }
            var result = parts.Length == 0 ? zeros(n, 0, ScalarType.Float64) : cat(parts, 1);
            return result.MoveToOuterDisposeScope();
        });
    }

    /// <summary>The names among <paramref name="requested"/> that are not recordable lets of the model (lets whose value
    /// depends on a param or latent; data-only lets are computed once at binding and are not per-draw quantities) nor
    /// discrete latents that the log density sums out (whose values' probabilities are recorded).</summary>
    public static IReadOnlyList<string> UnknownLets(Model model, IEnumerable<string> requested) =>
        requested.Where(name => model.Lets.All(l => l.Name != name) && !model.Sites.Any(s => s.IsEnumerated && s.Name == name)).ToList();

    /// <summary>The output name of the posterior probabilities of a summed-out latent's values: <c>z_prob</c>, shaped
    /// [...shape of z, K] (Stan columns <c>z_prob.i.k</c>, k − 1 the value).</summary>
    public static string ProbabilityName(string latent) => latent + "_prob";

    /// <summary>The number of leading columns of <see cref="For"/> that belong to the params.</summary>
    public static int ParamColumnCount(Model model) => model.Params.Sum(s => s.Size);
}
