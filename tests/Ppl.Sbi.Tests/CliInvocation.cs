using Ppl.Tests.Shared;

namespace Ppl.Sbi.Tests;

/// <summary>Runs `ppl` in-process, capturing its output, and locates example models and reference files.</summary>
public static class CliInvocation
{
    public static CliResult Run(params string[] args) => InProcessCli.Run(args);

    public static string Example(string name) => Path.Combine(ReferenceData.RepositoryRoot, "examples", name + ".ppl");

    public static string Sbibm(string task, string observation, string file) => ReferenceData.PathOf("sbibm", task, observation, file);
}
