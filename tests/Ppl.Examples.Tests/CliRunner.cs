using Ppl.Tests.Shared;

namespace Ppl.Examples.Tests;

/// <summary>Runs `ppl` in-process and captures its output and exit code.</summary>
public static class CliRunner
{
    public static CliResult Run(params string[] args) => InProcessCli.Run(args);

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
