using Ppl.Cli.Commands;

namespace Ppl.Cli;

/// <summary>One `ppl` command: its name, the name of its positional arguments in help, what it does, its options and
/// the code that runs it.</summary>
public sealed record CommandEntry(string Name, string Arguments, string Description, OptionSpec Options,
    Func<CliContext, CommandLine, int> Run);

/// <summary>Every `ppl` command, in the order help lists them.</summary>
public static class CommandRegistry
{
    public static readonly IReadOnlyList<CommandEntry> All =
    [
        new("check", "MODEL", "check a model: diagnostics, variables, supports, capabilities", CheckCommand.Options, CheckCommand.Run),
        new("compile", "MODEL", "compile a model (cached by a hash of the model and compiler); --emit-cs writes the generated C#",
            CompileCommand.Options, CompileCommand.Run),
        new("simulate", "MODEL", "draw simulations from a model (batched; conditioned with --set; shards with --shard; posterior predictive with --from-draws)",
            SimulateCommand.Options, SimulateCommand.Run),
        new("merge", "SHARDS", "join shards into one archive, byte-identical to one process (-o out.npz); or the folders of `sample` runs of separate chains into one (-o DIR)",
            MergeCommand.Options, MergeCommand.Run),
        new("summary", "RUN_DIR", "R-hat, ESS, MCSE and sampler health over all chains of one or more `ppl sample` folders",
            SummaryCommand.Options, SummaryCommand.Run),
        new("campaign", "MODEL", "write (not run) a sharded simulation campaign: a SLURM job array with a merge job and/or a Kubernetes indexed Job",
            CampaignCommand.Options, CampaignCommand.Run),
        new("sample", "MODEL", "NUTS (or ChEES-HMC) over params and latents: CmdStan CSVs, draws.npz, plots and a summary in -o DIR",
            SampleCommand.Options, SampleCommand.Run),
        new("train", "MODEL", "train a neural posterior (npe) or likelihood (nle) estimator on simulations of the model",
            TrainCommand.Options, TrainCommand.Run),
        new("posterior", "ESTIMATOR", "sample the posterior at an observation with a trained estimator (.pplz)",
            PosteriorCommand.Options, PosteriorCommand.Run),
        new("compress", "MODEL", "train a CNN compressor of an observed map (noise redrawn from the model every batch)",
            CompressCommand.Options, CompressCommand.Run),
        new("summarize", "COMPRESSOR", "the summaries [n, d] of one map or a batch of maps by a trained compressor",
            SummarizeCommand.Options, SummarizeCommand.Run),
        new("c2st", "DRAWS", "classifier two-sample test between two files of draws (0.5: indistinguishable)",
            C2stCommand.Options, C2stCommand.Run),
        new("compare", "DRAWS", "posteriors side by side: C2ST against --reference, FoM, marginals, one corner plot, in -o DIR",
            CompareCommand.Options, CompareCommand.Run),
        new("plot", "DRAWS", "a figure of draws: corner, trace, rank or energy plot (trace/rank/energy: CmdStan CSVs or `ppl sample` folders)",
            PlotCommand.Options, PlotCommand.Run),
    ];

    /// <summary>What the positional arguments of the commands are, by their name in help.</summary>
    public static readonly IReadOnlyDictionary<string, string> ArgumentHelp = new Dictionary<string, string>
    {
        ["MODEL"] = "the model file (.ppl)",
        ["SHARDS"] = "shard archives (or a folder of them), or the output folders of `ppl sample` runs",
        ["RUN_DIR"] = "output folders of `ppl sample`",
        ["ESTIMATOR"] = "an estimator bundle of `ppl train` (.pplz)",
        ["COMPRESSOR"] = "a compressor bundle of `ppl compress` (.pplz)",
        ["DRAWS"] = "files of draws (CSV, .npz) or output folders of `ppl sample`",
    };

    /// <summary>The command of a name, or null.</summary>
    public static CommandEntry? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
