using Ppl.Cli;
using Ppl.Tests.Shared;

namespace Ppl.Sbi.Tests;

/// <summary>Runs `ppl` in-process, capturing its output, and locates example models and reference files.</summary>
public static class CliInvocation
{
    public sealed record Result(int Exit, string Out, string Err)
    {
        public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Err}";
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var ctx = new CliContext(output, error, interactive: false, CancellationToken.None);
        int exit = Program.Run(args, ctx);
        return new Result(exit, output.ToString(), error.ToString());
    }

    public static string Example(string name) => Path.Combine(ReferenceData.RepositoryRoot, "examples", name + ".ppl");

    public static string Sbibm(string task, string observation, string file) => ReferenceData.PathOf("sbibm", task, observation, file);
}
