using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Ppl.Runtime.Abstractions;

namespace Ppl.Cli;

/// <summary>
/// The `ppl` command line on System.CommandLine: a root command with one subcommand per <see cref="CommandRegistry"/>
/// entry, built from the commands' option tables. It gives help (<c>--help</c>, <c>-h</c>), shell completion (the
/// <c>[suggest]</c> directive that dotnet-suggest calls) and parsing; parse errors become the project's usage errors
/// (exit 2, with a suggestion for a misspelt option or command), and a parsed command runs with a
/// <see cref="CommandLine"/> of its positional arguments and options by canonical name.
/// </summary>
public sealed class CommandTree
{
    /// <summary>Options read by <see cref="Program"/> before any command runs (they act before any tensor exists).</summary>
    public static readonly OptionSpec GlobalOptions = new OptionSpec()
        .Value("--threads", "N", "CPU threads for tensor operations (default: the cores not already busy, at least 1; also PPL_THREADS)")
        .Value("--max-elements", "N", "most elements a data value, site or created tensor may have (default 2^28; also PPL_MAX_ELEMENTS)")
        .Value("--torch-lib", "DIR", "load libtorch from a PyTorch installation's torch/lib (for CUDA; also PPL_TORCH_LIB)");

    private const string Epilogue = """
        Exit codes: 0 ok, 1 model or data errors, 2 usage errors, 3 internal errors (a bug in ppl), 130 interrupted (SIGINT),
        143 terminated (SIGTERM); after a signal, sample, simulate and train write what was computed.
        Run 'ppl COMMAND --help' for the options of a command.
        """;

    private static readonly ParserConfiguration Parsing = new()
    {
        // `-n5` is not `-n 5` and `@file` is an argument, not a response file, as always in ppl.
        EnablePosixBundling = false,
        ResponseFileTokenReplacer = null,
    };

    private sealed record Built(CommandEntry Entry, Argument<string[]> Positional, IReadOnlyList<(OptionEntry Entry, Option Option)> Options);

    private readonly Dictionary<Command, Built> _commands = new();

    public RootCommand Root { get; }

    /// <summary>The tree of <paramref name="commands"/> (default: every `ppl` command); each command's action runs
    /// <see cref="CommandEntry.Run"/> with <paramref name="ctx"/>.</summary>
    public CommandTree(CliContext ctx, IReadOnlyList<CommandEntry>? commands = null)
    {
        Root = new RootCommand("ppl — probabilistic programming for simulation-based inference") { HelpName = "ppl" };
        foreach (var option in Root.Options.Where(o => o is HelpOption or VersionOption).ToList()) Root.Options.Remove(option);
        var help = new HelpOption("--help", "-h");
        if (help.Action is HelpAction helpAction)
        {
            helpAction.MaxWidth = 120;
            help.Action = new HelpWithEpilogue(helpAction, Epilogue);
        }
        Root.Options.Add(help);
        Root.Options.Add(new Option<bool>("--version") { Description = "print the version of ppl", Arity = ArgumentArity.Zero });
        foreach (var global in GlobalOptions.Entries)
        {
            var option = Make(global);
            option.Recursive = true;
            Root.Options.Add(option);
        }
        foreach (var entry in commands ?? CommandRegistry.All)
        {
            var command = new Command(entry.Name, entry.Description);
            var positional = new Argument<string[]>(entry.Arguments)
            {
                Arity = ArgumentArity.ZeroOrMore,
                Description = CommandRegistry.ArgumentHelp.GetValueOrDefault(entry.Arguments),
            };
            command.Arguments.Add(positional);
            var options = entry.Options.Entries.Select(o => (o, Make(o))).ToList();
            foreach (var (_, option) in options) command.Options.Add(option);
            var built = new Built(entry, positional, options);
            command.SetAction(result => entry.Run(ctx, ToCommandLine(result, built)));
            _commands[command] = built;
            Root.Subcommands.Add(command);
        }
    }

    private static Option Make(OptionEntry entry)
    {
        var names = entry.Aliases.ToArray();
        Option option = entry.Kind switch
        {
            OptionKind.Flag => new Option<bool>(entry.Name, names) { Arity = ArgumentArity.Zero },
            OptionKind.Value => new Option<string>(entry.Name, names) { Arity = ArgumentArity.ExactlyOne },
            _ => new Option<string[]>(entry.Name, names) { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false },
        };
        option.Description = entry.Help;
        if (entry.ValueName is not null) option.HelpName = entry.ValueName;
        if (entry.Completions.Count > 0) option.CompletionSources.Add(entry.Completions.ToArray());
        return option;
    }

    /// <summary>Parses and runs <paramref name="args"/> (without the global options, which the caller has taken out).</summary>
    public int Invoke(IReadOnlyList<string> args, CliContext ctx)
    {
        var result = Root.Parse(args, Parsing);
        if (UsageError(result, args) is { } error) return ctx.Usage(error.Text, error.Hint);
        return result.Invoke(new InvocationConfiguration
        {
            Output = ctx.Out,
            Error = ctx.Err,
            // Exceptions are ppl's bugs (exit 3, rendered by Program), and SIGINT/SIGTERM are ppl's own (InterruptSignals).
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }

    /// <summary>Writes the help of the root command (all commands and global options).</summary>
    public void WriteHelp(CliContext ctx) =>
        Root.Parse(["--help"], Parsing).Invoke(new InvocationConfiguration { Output = ctx.Out, Error = ctx.Err, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });

    /// <summary>The usage error of a parse in ppl's words, or null when there is none: an unknown command or option (with
    /// the closest name), a flag given a value, an option without its value or given twice.</summary>
    private (string Text, string? Hint)? UsageError(ParseResult result, IReadOnlyList<string> args)
    {
        if (result.Action is not null && result.Action is not ParseErrorAction && result.Action.ClearsParseErrors) return null;
        if (!_commands.TryGetValue(result.CommandResult.Command, out var built))
        {
            if (result.Errors.Count == 0) return null;
            var word = result.UnmatchedTokens.Count > 0 ? result.UnmatchedTokens[0] : args.Count > 0 ? args[0] : "";
            var hint = Spelling.Suggest(word, _commands.Values.Select(c => c.Entry.Name));
            return ($"unknown command '{word}'", hint ?? "run 'ppl --help' for the list of commands");
        }
        var name = built.Entry.Name;
        string optionsHint = $"run 'ppl {name} --help' for the options";
        var spec = built.Entry.Options;

        // Before `--`: `--flag=value` and words that look like options but are none (a negative number is a value).
        int dashDash = result.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        var rawBeforeDash = dashDash < 0 ? args : args.Take(args.ToList().IndexOf("--"));
        foreach (var a in rawBeforeDash)
        {
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 2 && spec.Find(a[..eq]) is { Kind: OptionKind.Flag })
                return ($"{name}: option '{a[..eq]}' takes no value", optionsHint);
        }
        var positional = result.GetResult(built.Positional)?.Tokens.Select(t => t.Value).ToList() ?? [];
        int afterDash = dashDash < 0 ? 0 : result.Tokens.Count - dashDash - 1;
        foreach (var word in positional.Take(Math.Max(0, positional.Count - afterDash)))
            if (LooksLikeOption(word))
            {
                var hint = Spelling.Suggest(word, spec.Names.Concat(GlobalOptions.Names).Append("--help"));
                return ($"{name}: unknown option '{word}'" + (hint is null ? "" : $" ({hint})"), optionsHint);
            }
        foreach (var (entry, option) in built.Options)
        {
            if (result.GetResult(option) is not { Implicit: false } r) continue;
            var typed = r.IdentifierToken?.Value ?? entry.Name;
            if (entry.Kind != OptionKind.Repeated && r.IdentifierTokenCount > 1)
                return ($"{name}: option '{typed}' is given more than once", optionsHint);
            if (entry.Kind != OptionKind.Flag && r.Tokens.Count == 0)
                return ($"{name}: option '{typed}' needs a value", optionsHint);
        }
        foreach (var global in Root.Options.Where(o => o.Recursive && o is not HelpOption))
            if (result.GetResult(global) is { Implicit: false, Tokens.Count: 0 } g)
                return ($"{name}: option '{g.IdentifierToken?.Value ?? global.Name}' needs a value", optionsHint);
        return result.Errors.Count == 0 ? null : ($"{name}: {result.Errors[0].Message}", optionsHint);
    }

    private static bool LooksLikeOption(string word) =>
        word.Length > 1 && word[0] == '-' &&
        !double.TryParse(word, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static CommandLine ToCommandLine(ParseResult result, Built built)
    {
        var line = new CommandLine();
        if (result.GetResult(built.Positional) is { } positional) line.Positional.AddRange(positional.Tokens.Select(t => t.Value));
        foreach (var (entry, option) in built.Options)
        {
            if (result.GetResult(option) is not { Implicit: false } r) continue;
            if (entry.Kind == OptionKind.Flag) line.Add(entry.Name, "true");
            else foreach (var token in r.Tokens) line.Add(entry.Name, token.Value);
        }
        return line;
    }
}

/// <summary>System.CommandLine's help, followed on the root command by ppl's exit codes.</summary>
internal sealed class HelpWithEpilogue(HelpAction help, string epilogue) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int exit = help.Invoke(parseResult);
        if (parseResult.CommandResult.Command is RootCommand) parseResult.InvocationConfiguration.Output.WriteLine(epilogue);
        return exit;
    }
}
