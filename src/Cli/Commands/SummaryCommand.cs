namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl summary DIR...`: the summary table (R̂, bulk/tail ESS, MCSE), the chains' health and the warnings over every
/// chain of one or more `ppl sample` folders — chains run as separate processes (<c>--chain-offset</c>) summarised
/// together, after the same checks as `ppl merge` (one model, seed and settings; every chain once). Writes nothing.
/// </summary>
public static class SummaryCommand
{
    public static readonly OptionSpec Options = new();

    public static int Run(CliContext ctx, CommandLine line)
    {
        if (line.Positional.Count == 0) return ctx.Usage("summary expects one or more `ppl sample` output folders", "ppl summary run_a/ run_b/");
        foreach (var folder in line.Positional)
            if (!Directory.Exists(folder)) return ctx.Usage($"'{folder}' is not a folder (give the output folders of `ppl sample`)");
        var (set, exit) = SampleRunMerge.Check(ctx, line.Positional);
        if (set is null) return exit;
        var text = DrawsSummary.Render(set);
        if (!text.Succeeded)
        {
            foreach (var e in text.Errors) ErrorRendering.Write(ctx.Err, e);
            return ExitCodes.ModelError;
        }
        ctx.Out.Write(text.Value);
        return ExitCodes.Ok;
    }
}
