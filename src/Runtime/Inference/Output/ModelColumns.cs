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
    /// <summary>The columns of the params, followed by those of the latents when <paramref name="includeLatents"/> is set.</summary>
    public static ConstrainedColumns For(Model model, bool includeLatents)
    {
        var sites = model.UnconstrainedSites.Where(s => includeLatents || s.Role == Abstractions.SiteRole.Param).ToArray();
        var names = new List<string>();
        var orders = new long[sites.Length][];
        for (int i = 0; i < sites.Length; i++)
        {
            var shape = sites[i].Shape.Select(n => checked((int)n)).ToArray();
            names.AddRange(StanColumnNames.For(sites[i].Name, shape));
            orders[i] = StanColumnNames.ColumnMajorToRowMajor(shape).Select(k => (long)k).ToArray();
        }
        return new ConstrainedColumns(names, unconstrained =>
        {
            using var scope = NewDisposeScope();
            long n = unconstrained.shape[0];
            var values = model.Constrain(unconstrained);
            var parts = new Tensor[sites.Length];
            for (int i = 0; i < sites.Length; i++)
            {
                var flat = values[sites[i].Name].reshape(n, sites[i].Size).to(ScalarType.Float64, CPU);
                parts[i] = sites[i].Shape.Length <= 1 ? flat : flat.index_select(1, tensor(orders[i]));
            }
            var result = parts.Length == 0 ? zeros(n, 0, ScalarType.Float64) : cat(parts, 1);
            return result.MoveToOuterDisposeScope();
        });
    }

    /// <summary>The number of leading columns of <see cref="For"/> that belong to the params.</summary>
    public static int ParamColumnCount(Model model) => model.Params.Sum(s => s.Size);
}
