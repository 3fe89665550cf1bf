using Ppl.Runtime.Language;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli;

/// <summary>The `ppl` command.</summary>
public static class Program
{
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
            // Help, --version and the shell's completion requests ([suggest]) run no tensor code: they do not load libtorch.
            bool tensorsUnused = rest.Count == 0 || rest[0].StartsWith('[') || rest[0] is "help" or "version" or "--version"
                || rest.Contains("--help") || rest.Contains("-h");
            if (threads > 0 && !tensorsUnused) TorchSetup.SetThreads(threads);
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
        var tree = new CommandTree(ctx);
        if (rest.Count == 0)
        {
            tree.WriteHelp(ctx);
            return ExitCodes.UsageError;
        }
        if (rest[0] is "--version" or "version")
        {
            ctx.Out.WriteLine($"ppl {Ppl.Compiler.Driver.Version}");
            return ExitCodes.Ok;
        }
        // `ppl help` and `ppl help COMMAND` are `ppl --help` and `ppl COMMAND --help`.
        if (rest[0] == "help") rest = rest.Count > 1 ? [rest[1], "--help"] : ["--help"];
        return tree.Invoke(rest, ctx);
    }
}
