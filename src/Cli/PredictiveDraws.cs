using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// The posterior draws `ppl simulate --from-draws` conditions the simulator on: the <c>draws.npz</c> of a `ppl sample`
/// folder (arrays [chain, draw, ...shape], flattened chain-major so that draw s = chain·N + i) or any <c>.npz</c> whose
/// arrays are [draw, ...shape]. Every param must be there; a latent is conditioned when it is there and redrawn
/// otherwise; observations are always redrawn. Each draw's values are repeated <c>perDraw</c> times, so simulation
/// s·perDraw + j belongs to draw s.
/// </summary>
/// <param name="Draws">How many posterior draws (S).</param>
/// <param name="Source">The file read.</param>
/// <param name="Conditioning">Per-simulation values [S·perDraw, ...shape] by site name.</param>
public sealed record PredictiveDraws(long Draws, string Source, IReadOnlyDictionary<string, DataInput> Conditioning)
{
    /// <summary>Reads and checks the draws; the errors (data-file or located model errors) when they do not fit.</summary>
    public static (PredictiveDraws? Draws, IReadOnlyList<DataFileError> FileErrors, IReadOnlyList<ModelError> ModelErrors) Load(string source, Model model, long perDraw)
    {
        string path = Directory.Exists(source) ? Path.Combine(source, Commands.SampleCommand.DrawsFile) : source;
        if (!File.Exists(path))
            return Fail(new DataFileError(DiagnosticCatalogue.FileNotFound,
                Directory.Exists(source) ? $"the folder has no {Commands.SampleCommand.DrawsFile}: is it the output of ppl sample?" : "the draws file does not exist", path));
        var read = NpzReader.ReadAllTensors(path);
        if (!read.Succeeded) return (null, read.Errors, Array.Empty<ModelError>());
        var arrays = read.Value;
        var errors = new List<ModelError>();
        var leading = new List<(string Name, long[] Lead)>();
        var values = new Dictionary<string, Tensor>();
        string file = Path.GetFileName(path);
        foreach (var site in model.Sites.Where(s => s.Role != Runtime.Abstractions.SiteRole.Observed))
        {
            if (!arrays.TryGetValue(site.Name, out var array))
            {
                if (site.Role == Runtime.Abstractions.SiteRole.Param)
                    errors.Add(new ModelError(DiagnosticCatalogue.DrawsMismatch, $"'{site.Name}' is a param of model {model.Description.Name} but {file} has no array '{site.Name}'",
                        site.Description.Location, $"give draws of every param ({string.Join(", ", model.Params.Select(p => p.Name))}); {path} holds {string.Join(", ", arrays.Keys)}"));
                continue;
            }
            int lead = (int)array.dim() - site.Shape.Length;
            if (lead is < 1 or > 2 || !array.shape.Skip(lead).SequenceEqual(site.Shape))
            {
                errors.Add(new ModelError(DiagnosticCatalogue.DrawsMismatch,
                    $"{file}: '{site.Name}' has shape [{string.Join(", ", array.shape)}], which is not [chain, draw{ShapeSuffix(site.Shape)}] or [draw{ShapeSuffix(site.Shape)}] for {site.Description.TypeText}",
                    site.Description.Location));
                continue;
            }
            leading.Add((site.Name, array.shape.Take(lead).ToArray()));
            values[site.Name] = array.reshape(new long[] { -1 }.Concat(site.Shape).ToArray());
        }
        var counts = leading.Select(l => l.Lead.Aggregate(1L, (a, b) => a * b)).Distinct().ToList();
        if (errors.Count == 0 && counts.Count > 1)
            errors.Add(new ModelError(DiagnosticCatalogue.DrawsMismatch, $"{file}: the arrays hold different numbers of draws: " +
                string.Join(", ", leading.Select(l => $"'{l.Name}' [{string.Join(", ", l.Lead)}]")), Runtime.Abstractions.SourceLocation.None));
        if (errors.Count == 0 && counts.Count == 1 && counts[0] == 0)
            errors.Add(new ModelError(DiagnosticCatalogue.DrawsMismatch, $"{file} holds no draws", Runtime.Abstractions.SourceLocation.None));
        if (errors.Count > 0 || counts.Count == 0)
        {
            foreach (var t in arrays.Values) t.Dispose();
            return (null, Array.Empty<DataFileError>(), errors.Count > 0 ? errors
                : new[] { new ModelError(DiagnosticCatalogue.DrawsMismatch, $"model {model.Description.Name} has no param to condition on", Runtime.Abstractions.SourceLocation.None) });
        }
        foreach (var (name, t) in arrays)
            if (!values.ContainsKey(name)) t.Dispose(); // the sampler statistics and unconstrained__ are not needed
        var conditioning = values.ToDictionary(kv => kv.Key,
            kv => new DataInput(perDraw == 1 ? kv.Value : kv.Value.repeat_interleave(perDraw, 0), $"{file} ('{kv.Key}')"));
        return (new PredictiveDraws(counts[0], path, conditioning), Array.Empty<DataFileError>(), Array.Empty<ModelError>());
    }

    private static string ShapeSuffix(long[] shape) => string.Concat(shape.Select(n => ", " + n));

    private static (PredictiveDraws?, IReadOnlyList<DataFileError>, IReadOnlyList<ModelError>) Fail(DataFileError e) =>
        (null, new[] { e }, Array.Empty<ModelError>());
}
