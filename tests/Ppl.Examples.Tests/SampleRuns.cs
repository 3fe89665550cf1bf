using Ppl.Tests.Shared;
using Ppl.Cli;
using Ppl.Runtime.IO;

namespace Ppl.Examples.Tests;

/// <summary>Runs `ppl sample` into a fresh folder and reads its CSV files back.</summary>
public static class SampleRuns
{
    public sealed record Outcome(CliResult Cli, string Directory)
    {
        public string Csv(int chain) => Path.Combine(Directory, $"samples_{chain}.csv");

        /// <summary>The per-chain CSV tables, parsed by the IO library's reader (which must accept them).</summary>
        public CsvTable[] Tables(int chains) => Enumerable.Range(1, chains).Select(c =>
        {
            var read = CsvReader.Read(Csv(c));
            Assert.True(read.Succeeded, read.ToString());
            return read.Value;
        }).ToArray();

        /// <summary>One column of every chain, as [chain][draw].</summary>
        public static double[][] Column(IEnumerable<CsvTable> tables, string name) => tables.Select(t => t.Column(name)).ToArray();
    }

    public static string NewDirectory(string name) =>
        Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8] + "-" + name);

    public static Outcome Run(string name, params string[] args)
    {
        var dir = NewDirectory(name);
        var r = CliRunner.Run(new[] { "sample" }.Concat(args).Concat(new[] { "-o", dir }).ToArray());
        return new Outcome(r, dir);
    }

    public static void Succeeded(CliResult r) =>
        Assert.True(r.Exit == ExitCodes.Ok, $"exit {r.Exit}\n{r.Err}\n{r.Out}");
}
