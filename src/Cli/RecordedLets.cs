using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>
/// `ppl sample --record NAME[,NAME...]`: the lets whose values are saved per draw (as Stan's generated quantities), and
/// the summed-out discrete latents whose values' posterior probabilities are saved per draw (as <c>NAME_prob</c>).
/// The names are checked against the bound model; an unknown name, or one that is not a per-draw let, is a usage error
/// listing the names that can be recorded.
/// </summary>
public static class RecordedLets
{
    /// <summary>The option's name.</summary>
    public const string Option = "--record";

    /// <summary>The requested lets in order (duplicates dropped), or null with the usage exit code after the error was written.</summary>
    public static (IReadOnlyList<string>? Lets, int Exit) Parse(CliContext ctx, CommandLine line, Model model)
    {
        var names = line.GetAll(Option).SelectMany(v => v.Split(',')).Select(n => n.Trim()).ToList();
        if (names.Count == 0) return (Array.Empty<string>(), ExitCodes.Ok);
        var enumerated = model.Sites.Where(s => s.IsEnumerated).Select(s => s.Name).ToList();
        string recordable = model.Lets.Count == 0 && enumerated.Count == 0
            ? $"model {model.Description.Name} has no let that depends on a param or latent"
            : string.Join("; ", new[]
            {
                model.Lets.Count == 0 ? null : "the lets that can be recorded: " + string.Join(", ", model.Lets.Select(l => l.Name)),
                enumerated.Count == 0 ? null : "the summed-out latents whose values' probabilities can be recorded: " + string.Join(", ", enumerated),
            }.Where(t => t is not null));
        if (names.Any(n => n.Length == 0))
            return (null, ctx.Usage($"{Option} expects let names separated by commas", recordable));
        var unknown = ModelColumns.UnknownLets(model, names);
        if (unknown.Count > 0)
            return (null, ctx.Usage($"{Option}: {string.Join(", ", unknown.Select(n => "'" + n + "'"))} {(unknown.Count == 1 ? "is not a let" : "are not lets")} of model {model.Description.Name} that can be recorded per draw",
                recordable + " (a let of data alone is computed once, not per draw)"));
        if (enumerated.Count > 0 && names.FirstOrDefault(n => !enumerated.Contains(n)) is { } let)
            return (null, ctx.Usage($"{Option}: model {model.Description.Name} sums out a discrete latent, so the value of let '{let}' per draw is not defined",
                "record the summed-out latent itself (its values' probabilities), or compute the quantity from the saved params"));
        var taken = model.Description.Data.Select(d => d.Name).Concat(model.Sites.Select(s => s.Name)).Concat(model.Lets.Select(l => l.Name)).ToHashSet();
        if (names.Where(enumerated.Contains).Select(ModelColumns.ProbabilityName).FirstOrDefault(taken.Contains) is { } clash)
            return (null, ctx.Usage($"{Option}: the probabilities of '{clash[..^"_prob".Length]}' would be saved as '{clash}', which the model already names",
                "rename the model's variable"));
        return (names.Distinct().ToList(), ExitCodes.Ok);
    }
}
