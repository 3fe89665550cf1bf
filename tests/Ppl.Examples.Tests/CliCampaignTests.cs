using System.Diagnostics;
using Ppl.Cli;

namespace Ppl.Examples.Tests;

/// <summary>
/// `ppl campaign`: the SLURM array and merge scripts it writes, run as SLURM would run them (each task with its
/// SLURM_ARRAY_TASK_ID, then the merge), give the single-process archive byte for byte; the Kubernetes Job runs the same
/// command per completion index.
/// </summary>
public class CliCampaignTests
{
    private static string Folder() => Path.Combine(Path.GetTempPath(), "ppl-tests", "campaign-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Runs a generated script with bash, ppl being this build's ppl.dll.</summary>
    private static (int Exit, string Output) Bash(string script, params (string Name, string Value)[] environment)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.Environment["PPL"] = $"{dotnet} {Path.Combine(AppContext.BaseDirectory, "ppl.dll")} --threads 1";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the script did not finish in two minutes");
        return (process.ExitCode, stdout.Result + stderr);
    }

    [Fact]
    public void SlurmScriptsRunAsAnArrayMergeIntoTheSingleRun()
    {
        if (!OperatingSystem.IsLinux()) return;
        var dir = Folder();
        var r = CliRunner.Run("campaign", ExampleModels.PathOf("gaussian_linear"), "--sims", "7", "--shards", "3", "--chunk", "2", "--seed", "11",
            "--score", "--slurm", "--partition", "debug", "--time", "00:10:00", "--kubernetes", "-o", dir);
        Assert.True(r.Exit == ExitCodes.Ok, r.ToString());
        var array = File.ReadAllText(Path.Combine(dir, "simulate.sbatch"));
        Assert.Contains("#SBATCH --array=0-2\n", array);
        Assert.Contains("#SBATCH --partition=debug\n", array);
        Assert.Contains("#SBATCH --time=00:10:00\n", array);
        Assert.Contains("--dependency=afterok:$array merge.sbatch", File.ReadAllText(Path.Combine(dir, "submit.sh")));

        for (int k = 0; k < 3; k++)
        {
            var (exit, output) = Bash(Path.Combine(dir, "simulate.sbatch"), ("SLURM_ARRAY_TASK_ID", k.ToString()));
            Assert.True(exit == 0, output);
        }
        // A resubmitted task finds its shard complete.
        var (again, log) = Bash(Path.Combine(dir, "simulate.sbatch"), ("SLURM_ARRAY_TASK_ID", "1"));
        Assert.True(again == 0 && log.Contains("already complete"), log);
        var (merged, mergeLog) = Bash(Path.Combine(dir, "merge.sbatch"));
        Assert.True(merged == 0, mergeLog);

        var single = Path.Combine(dir, "single.npz");
        var s = CliRunner.Run("simulate", ExampleModels.PathOf("gaussian_linear"), "-n", "7", "--seed", "11", "--chunk", "2", "--score", "-o", single);
        Assert.True(s.Exit == ExitCodes.Ok, s.ToString());
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(Path.Combine(dir, "sims.npz")));

        // The Kubernetes Job runs the same shard command, indexed by JOB_COMPLETION_INDEX.
        var job = File.ReadAllText(Path.Combine(dir, "k8s", "simulate-job.yaml"));
        Assert.Contains("completionMode: Indexed", job);
        Assert.Contains("completions: 3", job);
        string Command(string text, string variable) => text.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("$PPL simulate model.ppl"))
            .Split("$PPL ")[1].Replace(variable, "K").TrimEnd('"', ']');
        Assert.Equal(Command(array, "$K"), Command(job, "$JOB_COMPLETION_INDEX").Replace("\\\"", "\""));
    }

    [Fact]
    public void CampaignUsageErrors()
    {
        var dir = Folder();
        var model = ExampleModels.PathOf("two_moons");
        foreach (var (args, message) in new[]
        {
            (new[] { "--sims", "10", "--shards", "2", "-o", dir }, "--slurm scripts, a --kubernetes Job, or both"),
            (new[] { "--sims", "10", "--shards", "20", "--slurm", "-o", dir }, "fewer than the 20 shards"),
            (new[] { "--sims", "0", "--shards", "2", "--slurm", "-o", dir }, "--sims must be a positive integer"),
            (new[] { "--sims", "10", "--shards", "2", "--slurm", "--partition", "a b;rm", "-o", dir }, "cannot carry safely"),
        })
        {
            var r = CliRunner.Run(new[] { "campaign", model }.Concat(args).ToArray());
            Assert.True(r.Exit == ExitCodes.UsageError, r.ToString());
            Assert.Contains(message, r.Err);
        }
        Assert.False(Directory.Exists(dir));
    }
}
