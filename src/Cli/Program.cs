using Ppl.Cli.Commands;
using Ppl.Runtime.Language;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli;

/// <summary>The `ppl` command.</summary>
public static class Program
{
    private const string Help = """
        ppl — probabilistic programming for simulation-based inference

        usage: ppl <command> [options]

        commands:
          check MODEL      check a model: diagnostics, variables, supports, capabilities
                           [--format text|json|github] (diagnostics as JSON or GitHub Actions annotations)
          compile MODEL    compile a model (cached); --emit-cs DIR writes the generated C#
          simulate MODEL   draw simulations: -n N --seed S -o out.npz|out.h5 [--append] [--set name=value] [--score]
                           [--shard K/N] (shard K of N into out.shard-K-of-N.npz; a complete shard is skipped)
          merge SHARDS...  join shards into one archive, byte-identical to one process: -o out.npz;
                           or the folders of `sample` runs of separate chains into one: -o DIR
          summary DIR...   summary (R-hat, ESS, MCSE) over all chains of one or more `sample` folders
          campaign MODEL   write (not run) a sharded simulation campaign: --sims N --shards S [--seed S]
                           --slurm [--partition P --time T --gpus-per-task G] and/or --kubernetes -o DIR
          sample MODEL     NUTS over params and latents: --data obs.json -o DIR [--chains 4] [--warmup 1000]
                           [--draws 1000] [--seed S] [--max-depth 10] [--adapt-delta 0.8] [--dense]
                           [--init prior|uniform|FILE] [--init-radius 2] [--init-set name=value]
                           [--save-latents] [--save-warmup] [--time-limit SEC] [--no-plots]
                           [--chain-offset C0] (chains C0+1..C0+C, for runs split over processes)
          train MODEL      train a neural estimator: --method npe|nle --flow spline|affine|maf|smooth --sims N
                           [--score-weight λ] [--embedding identity|mlp|cnn] [--from sims.npz] --seed S -o est.pplz
                           [--from DIR [--buffer N]] (stream the shards of `simulate --shard`, N in memory)
                           (also --epochs --batch-size --lr --schedule --patience --layers --hidden --bins --components)
                           [--compressor comp.pplz] (NLE/NPE on the summaries of a compressor) [--no-plots]
          posterior EST    sample the posterior with a trained estimator: --data obs -n N --seed S -o post.csv|post.npz
                           [--no-plots]
          compress MODEL   train a CNN compressor of an observed map: --loss vmim|mse|mae|gnll --sims N|--from sims.npz
                           [--from DIR [--buffer N]] (stream the shards of `simulate --shard`, N in memory)
                           [--arch cnn|resnet18] [--summaries d] [--site NAME] [--augment] [--fixed-noise] --seed S -o comp.pplz
          summarize COMP   summaries of maps by a compressor: --data obs.npy -o t.npy [--model MODEL]
          c2st A B         classifier two-sample test between two files of draws (0.5: indistinguishable)
          compare A B ...  posteriors side by side: C2ST against --reference, FoM, marginals, corner plot:
                           [--reference R] [--params a,b] [--labels A,B] [--seed S] -o DIR
          plot DRAWS...    a figure of draws: --kind corner|trace|rank|energy -o out.png [--params a,b]
                           [--labels A,B] [--title T] (trace/rank/energy: CmdStan CSVs or `ppl sample` folders)

        common options:
          --data FILE        data (CmdStan JSON, .npz or .npy); repeatable
          --set NAME=VALUE   a data value or a conditioned variable: 3, [1, 2], @file.npy, @file.npz:entry, @file.h5:dataset
          --float64          compute in double precision (default float32)
          --device DEV       cpu (default), cuda, cuda:N or auto
          --torch-lib DIR    load libtorch from a PyTorch installation's torch/lib (for CUDA); also PPL_TORCH_LIB
          --threads N        CPU threads for tensor operations (default: the cores not already busy, at least 1;
                             also PPL_THREADS)
          --max-elements N   most elements a data value, site or created tensor may have (default 2^28; also PPL_MAX_ELEMENTS)
          --dump-ast, --dump-ir  print the syntax tree or the IR

        exit codes: 0 ok, 1 model or data errors, 2 usage errors, 3 internal errors, 130 interrupted (SIGINT),
                    143 terminated (SIGTERM); both write what was computed
        """;

    public static int Main(string[] args)
    {
        using var signals = new InterruptSignals(Console.Error);
        var ctx = new CliContext(Console.Out, Console.Error, !Console.IsErrorRedirected, signals.Token);
        return signals.ExitCode(Run(args, ctx, defaultThreads: true));
    }

    /// <summary>Runs a command in-process (also used by the tests, which keep their own thread setting).</summary>
    public static int Run(string[] args, CliContext ctx) => Run(args, ctx, defaultThreads: false);

    /// <summary>Runs a command; with <paramref name="defaultThreads"/>, a process without --threads gets
    /// <see cref="ThreadDefaults.ForThisProcess"/> threads (never libtorch's own default, which oversubscribes).</summary>
    public static int Run(string[] args, CliContext ctx, bool defaultThreads)
    {
        try
        {
            var rest = new List<string>(args);
            // Global options that must act before any tensor exists.
            string? torchLib = Environment.GetEnvironmentVariable("PPL_TORCH_LIB");
            int threads = 0;
            long? maxElements = null;
            for (int i = 0; i < rest.Count; i++)
            {
                if (rest[i] == "--max-elements" && i + 1 < rest.Count)
                {
                    maxElements = ElementLimit.Parse(rest[i + 1]);
                    if (maxElements is null) return ctx.Usage("--max-elements must be a positive integer (digits, or a power such as 2^30)");
                    rest.RemoveRange(i, 2);
                    i--;
                    continue;
                }
                if (rest[i] == "--torch-lib" && i + 1 < rest.Count) { torchLib = rest[i + 1]; rest.RemoveRange(i, 2); i--; }
                else if (rest[i] == "--threads" && i + 1 < rest.Count)
                {
                    if (!int.TryParse(rest[i + 1], out threads) || threads < 1) return ctx.Usage("--threads must be a positive integer");
                    rest.RemoveRange(i, 2);
                    i--;
                }
            }
            if (!string.IsNullOrEmpty(torchLib) && TorchSetup.LoadExternalLibTorch(torchLib) is { } libError) return ctx.Usage(libError);
            if (threads == 0 && defaultThreads)
            {
                var (chosen, threadsError) = ThreadDefaults.ForThisProcess();
                if (threadsError is not null) return ctx.Usage(threadsError);
                threads = chosen ?? 0;
            }
            if (threads > 0) TorchSetup.SetThreads(threads);
            using (maxElements is { } limit ? ElementLimit.Scope(limit) : null)
                return RunCommand(rest, ctx);
        }
        catch (Ppl.Runtime.Models.ModelInternalException e)
        {
            return InternalErrorRendering.Write(ctx, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ctx.Err.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            ctx.Err.WriteLine("this is a bug in ppl; please report it with the command line and the model");
            if (Environment.GetEnvironmentVariable("PPL_DEBUG") == "1") ctx.Err.WriteLine(e.ToString());
            else ctx.Err.WriteLine("(set PPL_DEBUG=1 for the stack trace)");
            return ExitCodes.InternalError;
        }
    }

    private static int RunCommand(List<string> rest, CliContext ctx)
    {
        {

            if (rest.Count == 0 || rest[0] is "-h" or "--help" or "help")
            {
                ctx.Out.WriteLine(Help);
                return rest.Count == 0 ? ExitCodes.UsageError : ExitCodes.Ok;
            }
            if (rest[0] is "--version" or "version")
            {
                ctx.Out.WriteLine($"ppl {Ppl.Compiler.Driver.Version}");
                return ExitCodes.Ok;
            }
            var command = rest[0];
            var commandArgs = rest.Skip(1).ToList();
            (OptionSpec spec, Func<CliContext, CommandLine, int> run)? entry = command switch
            {
                "check" => (CheckCommand.Options, CheckCommand.Run),
                "compile" => (CompileCommand.Options, CompileCommand.Run),
                "simulate" => (SimulateCommand.Options, SimulateCommand.Run),
                "sample" => (SampleCommand.Options, SampleCommand.Run),
                "train" => (TrainCommand.Options, TrainCommand.Run),
                "posterior" => (PosteriorCommand.Options, PosteriorCommand.Run),
                "c2st" => (C2stCommand.Options, C2stCommand.Run),
                "compare" => (CompareCommand.Options, CompareCommand.Run),
                "compress" => (CompressCommand.Options, CompressCommand.Run),
                "summarize" => (SummarizeCommand.Options, SummarizeCommand.Run),
                "plot" => (PlotCommand.Options, PlotCommand.Run),
                "merge" => (MergeCommand.Options, MergeCommand.Run),
                "summary" => (SummaryCommand.Options, SummaryCommand.Run),
                "campaign" => (CampaignCommand.Options, CampaignCommand.Run),
                _ => null,
            };
            if (entry is null)
            {
                var hint = Ppl.Runtime.Abstractions.Spelling.Suggest(command, new[] { "check", "compile", "simulate", "sample", "train", "posterior", "c2st", "compare", "compress", "summarize", "plot", "merge", "summary", "campaign" });
                return ctx.Usage($"unknown command '{command}'", hint ?? "run 'ppl --help' for the list of commands");
            }
            var (line, error) = CommandLine.Parse(commandArgs, entry.Value.spec);
            if (line is null) return ctx.Usage($"{command}: {error}", $"run 'ppl --help' for the options");
            return entry.Value.run(ctx, line);
        }
    }
}
