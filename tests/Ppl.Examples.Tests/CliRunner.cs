using Ppl.Cli;

namespace Ppl.Examples.Tests;

/// <summary>Runs `ppl` in-process and captures its output and exit code.</summary>
public static class CliRunner
{
    public sealed record Result(int Exit, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var ctx = new CliContext(output, error, interactive: false, CancellationToken.None);
        int exit = Program.Run(args, ctx);
        return new Result(exit, output.ToString(), error.ToString());
    }

    /// <summary>A model written to a temporary file.</summary>
    public static string WriteModel(string text, string name = "model")
    {
        var dir = Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".ppl");
        File.WriteAllText(path, text);
        return path;
    }
}
