using System.Text.RegularExpressions;
using Ppl.Cli;
using Ppl.Cli.Commands;

namespace Ppl.Examples.Tests;

/// <summary>The command line on System.CommandLine: help lists every command and option (iterated from the registry),
/// typos get a suggestion and exit 2, the [suggest] directive completes options and their values, parsing reads what it
/// read before (negative values, --name=value, --, repeats, aliases) and errors keep their messages and exit codes.</summary>
public class CliCommandLineTests
{
    private static bool Lists(string help, string name) => Regex.IsMatch(help, $@"(?<![\w-]){Regex.Escape(name)}(?![\w-])");

    public static TheoryData<string> Commands() => new(CommandRegistry.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Commands))]
    public void HelpOfEveryCommandListsEveryOptionWithItsHelp(string name)
    {
        var command = CommandRegistry.Find(name)!;
        var help = CliRunner.Run(name, "--help");
        Assert.Equal(ExitCodes.Ok, help.Exit);
        Assert.Contains($"ppl {name}", help.Out);
        Assert.Contains(command.Description[..20], help.Out);
        foreach (var option in command.Options.Entries.Concat(CommandTree.GlobalOptions.Entries))
        {
            foreach (var alias in option.Aliases.Prepend(option.Name)) Assert.True(Lists(help.Out, alias), $"{name} --help lacks {alias}:\n{help.Out}");
            Assert.False(string.IsNullOrWhiteSpace(option.Help), $"{name} {option.Name} has no help text");
            // Help wraps long texts: compare the first words only.
            Assert.Contains(string.Join(' ', option.Help.Split(' ').Take(3)), help.Out);
        }
        Assert.Equal(help.Out, CliRunner.Run(name, "-h").Out);
        Assert.Equal(help.Out, CliRunner.Run("help", name).Out);
    }

    [Fact]
    public void RootHelpListsEveryCommandAndTheExitCodes()
    {
        var help = CliRunner.Run("--help");
        Assert.Equal(ExitCodes.Ok, help.Exit);
        foreach (var command in CommandRegistry.All) Assert.True(Lists(help.Out, command.Name), $"ppl --help lacks {command.Name}");
        Assert.Contains("2 usage errors", help.Out);
        Assert.Equal(help.Out, CliRunner.Run("-h").Out);
        var bare = CliRunner.Run();
        Assert.Equal(ExitCodes.UsageError, bare.Exit);
        Assert.Equal(help.Out, bare.Out);
        var version = CliRunner.Run("--version");
        Assert.Equal(ExitCodes.Ok, version.Exit);
        Assert.StartsWith("ppl ", version.Out);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void AMisspeltOptionOfEveryCommandIsAUsageErrorWithASuggestion(string name)
    {
        var option = CommandRegistry.Find(name)!.Options.Entries.Select(e => e.Aliases.Prepend(e.Name).Last())
            .FirstOrDefault(n => n.Length >= 7) ?? "--threads";
        var typo = option[..^1] + option[^1] + option[^1]; // one letter doubled: edit distance 1
        var r = CliRunner.Run(name, "x", typo, "1");
        Assert.Equal(ExitCodes.UsageError, r.Exit);
        Assert.Contains($"{name}: unknown option '{typo}' (did you mean '{option}'?)", r.Err);
        Assert.Contains($"run 'ppl {name} --help'", r.Err);
    }

    [Fact]
    public void AMisspeltCommandIsAUsageErrorWithASuggestion()
    {
        var r = CliRunner.Run("sampel", "model.ppl");
        Assert.Equal(ExitCodes.UsageError, r.Exit);
        Assert.Contains("unknown command 'sampel'", r.Err);
        Assert.Contains("did you mean 'sample'?", r.Err);
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run("--seed", "3").Exit);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void TheSuggestDirectiveCompletesEveryOptionOfEveryCommand(string name)
    {
        var line = $"ppl {name} -";
        var r = CliRunner.Run($"[suggest:{line.Length}]", line);
        Assert.Equal(ExitCodes.Ok, r.Exit);
        var words = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        foreach (var option in CommandRegistry.Find(name)!.Options.Entries)
            foreach (var alias in option.Aliases.Prepend(option.Name)) Assert.Contains(alias, words);
    }

    [Fact]
    public void TheSuggestDirectiveCompletesCommandsPrefixesAndValues()
    {
        Assert.Equal(["sample", "simulate"], Complete("ppl s").Where(w => w.StartsWith("sa") || w.StartsWith("si")).Order());
        Assert.Equal(["--seed", "--set"], Complete("ppl sample --se"));
        Assert.Equal(["corner", "energy", "rank", "trace"], Complete("ppl plot --kind "));
        Assert.Equal(["nle", "npe"], Complete("ppl train --method n").Order());
    }

    private static string[] Complete(string line)
    {
        var r = CliRunner.Run($"[suggest:{line.Length}]", line);
        Assert.Equal(ExitCodes.Ok, r.Exit);
        return r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The <see cref="CommandLine"/> a command receives for <paramref name="args"/>, parsed with sample's options.</summary>
    private static (int Exit, CommandLine? Line, string Err) Parse(params string[] args)
    {
        CommandLine? seen = null;
        var err = new StringWriter();
        var ctx = new CliContext(TextWriter.Null, err, interactive: false, CancellationToken.None);
        var entry = new CommandEntry("sample", "MODEL", "test", SampleCommand.Options, (_, line) => { seen = line; return 7; });
        int exit = new CommandTree(ctx, [entry]).Invoke(["sample", .. args], ctx);
        return (exit, seen, err.ToString());
    }

    [Fact]
    public void ValuesParseAsBefore()
    {
        var (exit, line, _) = Parse("m.ppl", "--set", "mu=-1", "--init-radius", "-1", "--seed=3", "--set=tau=2.5e-3",
            "--output", "out", "--dense", "--data", "a.json", "--data", "b.npz", "-5", "--", "--not-an-option");
        Assert.Equal(7, exit);
        Assert.Equal(["m.ppl", "-5", "--not-an-option"], line!.Positional);
        Assert.Equal(["mu=-1", "tau=2.5e-3"], line.GetAll("--set"));
        Assert.Equal("-1", line.Get("--init-radius"));
        Assert.Equal("3", line.Get("--seed"));
        Assert.Equal("out", line.Get("-o"));
        Assert.True(line.Has("--dense"));
        Assert.False(line.Has("--float64"));
        Assert.Equal(["a.json", "b.npz"], line.GetAll("--data"));
        // `@file` is a value, never a response file.
        Assert.Equal(["@x.npy"], Parse("m.ppl", "--init-set", "@x.npy").Line!.GetAll("--init-set"));
    }

    [Theory]
    [InlineData("option '--seed' needs a value", "--seed")]
    [InlineData("option '--seed' is given more than once", "--seed", "1", "--seed", "2")]
    [InlineData("option '-o' is given more than once", "-o", "a", "--output", "b")]
    [InlineData("option '--dense' takes no value", "--dense=true")]
    [InlineData("unknown option '--dens' (did you mean '--dense'?)", "--dens")]
    [InlineData("unknown option '-x'", "-x")]
    public void UsageErrorsKeepTheirMessagesAndExitTwo(string message, params string[] args)
    {
        var (exit, line, err) = Parse(["m.ppl", .. args]);
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Null(line);
        Assert.Contains($"error: sample: {message}", err);
    }

    [Fact]
    public void AnExceptionInACommandReachesTheCallerUnwrapped()
    {
        // Program turns it into exit 3 (internal error); System.CommandLine must neither absorb nor wrap it.
        var failure = new InvalidOperationException("a bug");
        var ctx = new CliContext(TextWriter.Null, TextWriter.Null, interactive: false, CancellationToken.None);
        var entry = new CommandEntry("sample", "MODEL", "test", SampleCommand.Options, (_, _) => throw failure);
        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => new CommandTree(ctx, [entry]).Invoke(["sample", "m.ppl"], ctx)));
    }
}
