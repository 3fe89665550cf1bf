using Ppl.Runtime.Inference.Output;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>
/// `ppl sample --record NAME[,NAME...]`: the lets whose values are saved per draw (as Stan's generated quantities).
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
        string recordable = model.Lets.Count == 0
            ? $"model {model.Description.Name} has no let that depends on a param or latent"
            : "the lets that can be recorded: " + string.Join(", ", model.Lets.Select(l => l.Name));
        if (names.Any(n => n.Length == 0))
            return (null, ctx.Usage($"{Option} expects let names separated by commas", recordable));
        var unknown = ModelColumns.UnknownLets(model, names);
        if (unknown.Count > 0)
            return (null, ctx.Usage($"{Option}: {string.Join(", ", unknown.Select(n => "'" + n + "'"))} {(unknown.Count == 1 ? "is not a let" : "are not lets")} of model {model.Description.Name} that can be recorded per draw",
                recordable + " (a let of data alone is computed once, not per draw)"));
        if (model.Sites.Any(s => s.IsEnumerated))
            return (null, ctx.Usage($"{Option}: model {model.Description.Name} sums out a discrete latent, so a let's value per draw is not defined",
                "record the quantity by sampling without the enumeration, or compute it from the saved params"));
        return (names.Distinct().ToList(), ExitCodes.Ok);
    }
}
