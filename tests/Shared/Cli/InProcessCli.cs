using Ppl.Cli;

namespace Ppl.Tests.Shared;

/// <summary>What one in-process `ppl` run printed and returned.</summary>
public sealed record CliResult(int Exit, string Out, string Err)
{
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs `ppl` in-process (non-interactive, not cancelled), capturing standard output and error.</summary>
public static class InProcessCli
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var ctx = new CliContext(output, error, interactive: false, CancellationToken.None);
        int exit = Program.Run(args, ctx);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
