using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>
/// `ppl simulate MODEL --from-draws DIR|draws.npz [-n K]`: the simulator run at each posterior draw (see
/// <see cref="PredictiveDraws"/>) for posterior predictive checks. The output's arrays have the draw index first:
/// [S, ...shape], or [S, K, ...shape] when -n K is given.
/// </summary>
public static class PosteriorPredictive
{
    /// <summary>The options that do not combine with --from-draws, as a usage message, or null.</summary>
    public static string? Refusal(CommandLine line)
    {
        foreach (var option in new[] { "--shard", "--append", "--first-index" })
            if (line.Has(option))
                return $"--from-draws cannot be combined with {option}: a posterior predictive run simulates each draw of one file into one archive";
        return null;
    }

    /// <summary>Reads the draws; reports their problems and returns the exit code when they do not fit.</summary>
    public static (PredictiveDraws? Draws, int Exit) Load(CliContext ctx, Compiler.Compilation compilation, Model model, string source, long perDraw,
        IReadOnlyDictionary<string, DataInput> given)
    {
        var both = given.Keys.Where(k => model.Sites.Any(s => s.Name == k && s.Role != Runtime.Abstractions.SiteRole.Observed)).ToList();
        if (both.Count > 0)
            return (null, ctx.Usage($"--from-draws: {string.Join(", ", both.Select(n => "'" + n + "'"))} {(both.Count == 1 ? "is" : "are")} given with --set/--data too; the draws condition the params and latents",
                "leave the value out, or simulate without --from-draws"));
        var (draws, fileErrors, modelErrors) = PredictiveDraws.Load(source, model, perDraw);
        foreach (var e in fileErrors) ErrorRendering.Write(ctx.Err, e);
        foreach (var e in modelErrors) ErrorRendering.Write(ctx.Err, e, compilation.Source);
        if (draws is null) return (null, ExitCodes.ModelError);
        // Observations are redrawn: values given for them (the data file the posterior was sampled with) are left out.
        var dropped = given.Keys.Where(k => model.Sites.Any(s => s.Name == k && s.Role == Runtime.Abstractions.SiteRole.Observed)).ToList();
        if (dropped.Count > 0)
            ctx.Err.WriteLine($"note: the observed {string.Join(", ", dropped)} {(dropped.Count == 1 ? "is" : "are")} redrawn at each posterior draw; the given value{(dropped.Count == 1 ? " is" : "s are")} not used");
        return (draws, ExitCodes.Ok);
    }

    /// <summary>The arrays with their simulation axis split into [S, K] (kept as [S] without <paramref name="perDrawAxis"/>).</summary>
    public static List<KeyValuePair<string, Tensor>> ByDraw(List<KeyValuePair<string, Tensor>> arrays, long draws, bool perDrawAxis)
    {
        if (!perDrawAxis) return arrays;
        return arrays.Select(a =>
        {
            var shape = a.Value.shape;
            return KeyValuePair.Create(a.Key, a.Value.reshape(new[] { draws, shape[0] / draws }.Concat(shape.Skip(1)).ToArray()));
        }).ToList();
    }
}
