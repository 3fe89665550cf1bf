using System.Globalization;
using System.Text;

namespace Ppl.Cli;

/// <summary>What a campaign runs: the shard command line (with a placeholder for the shard index) and the merge.</summary>
/// <param name="Name">A job-name-safe name (the model's).</param>
/// <param name="Folder">The campaign folder as the jobs see it.</param>
/// <param name="SimulateArguments">`ppl simulate` arguments, the model and data paths relative to <paramref name="Folder"/>,
/// without --shard.</param>
/// <param name="Shards">The number of shards.</param>
public sealed record CampaignJobs(string Name, string Folder, IReadOnlyList<string> SimulateArguments, int Shards)
{
    /// <summary>Where the shards go, relative to the campaign folder.</summary>
    public const string ShardOutput = "shards/sims.npz";

    public const string MergedOutput = "sims.npz";
}

/// <summary>SLURM resources for the array's tasks.</summary>
public sealed record SlurmResources(string? Partition, string? Time, int? GpusPerTask, int? CpusPerTask, string? Memory, string? Account, int? MaxParallel);

/// <summary>
/// The files `ppl campaign` writes: a SLURM job array (one task per shard) with a merge job that depends on it, and a
/// Kubernetes indexed Job with its merge Job. The scripts only call `ppl`; the shards' resumption (a complete shard is
/// skipped) makes resubmitting the whole array after a failure safe.
/// </summary>
public static class CampaignScripts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Quotes a word for a POSIX shell (single quotes unless it is plainly safe).</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\"'\"'") + "'";

    private static string Command(string verb, IEnumerable<string> args) => "$PPL " + verb + " " + string.Join(" ", args.Select(Quote));

    /// <summary>The array job: task K runs shard K.</summary>
    public static string SlurmSimulate(CampaignJobs jobs, SlurmResources r, string header)
    {
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.Append(header);
        sb.AppendLine($"#SBATCH --job-name=ppl-sim-{jobs.Name}");
        sb.AppendLine(string.Format(Inv, "#SBATCH --array=0-{0}{1}", jobs.Shards - 1, r.MaxParallel is int p ? "%" + p.ToString(Inv) : ""));
        sb.AppendLine("#SBATCH --ntasks=1");
        sb.AppendLine($"#SBATCH --output={jobs.Folder}/logs/simulate-%A_%a.out");
        Resources(sb, r);
        sb.AppendLine("set -euo pipefail");
        sb.AppendLine("PPL=${PPL:-ppl}");
        sb.AppendLine("K=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch (a job array), or set SLURM_ARRAY_TASK_ID}");
        sb.AppendLine($"cd {Quote(jobs.Folder)}");
        sb.AppendLine("# A shard already complete (record and SHA-256 agree) is skipped, so resubmitting the array resumes the campaign.");
        sb.AppendLine(Command("simulate", jobs.SimulateArguments) + string.Format(Inv, " --shard \"$K/{0}\" -o {1}", jobs.Shards, CampaignJobs.ShardOutput));
        return sb.ToString();
    }

    /// <summary>The merge job (submitted with a dependency on the array).</summary>
    public static string SlurmMerge(CampaignJobs jobs, SlurmResources r, string header)
    {
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.Append(header);
        sb.AppendLine($"#SBATCH --job-name=ppl-merge-{jobs.Name}");
        sb.AppendLine("#SBATCH --ntasks=1");
        sb.AppendLine($"#SBATCH --output={jobs.Folder}/logs/merge-%j.out");
        Resources(sb, r with { GpusPerTask = null });
        sb.AppendLine("set -euo pipefail");
        sb.AppendLine("PPL=${PPL:-ppl}");
        sb.AppendLine($"cd {Quote(jobs.Folder)}");
        sb.AppendLine($"$PPL merge shards -o {CampaignJobs.MergedOutput}");
        return sb.ToString();
    }

    /// <summary>Submits the array and the merge job after it (afterok: only when every task succeeded).</summary>
    public static string SlurmSubmit(CampaignJobs jobs) => $"""
        #!/bin/bash
        # Submits the simulation array, then the merge job to run when every task of the array has succeeded.
        # Prints the two job ids. Set PPL (e.g. PPL="dotnet /opt/ppl/ppl.dll") if ppl is not on the PATH of the jobs.
        set -euo pipefail
        cd {Quote(jobs.Folder)}
        mkdir -p logs shards
        array=$(sbatch --parsable --export=ALL simulate.sbatch)
        array=${"{"}array%%;*{"}"}
        merge=$(sbatch --parsable --export=ALL --dependency=afterok:$array merge.sbatch)
        echo "$array $merge"

        """;

    private static void Resources(StringBuilder sb, SlurmResources r)
    {
        if (r.Partition is not null) sb.AppendLine($"#SBATCH --partition={r.Partition}");
        if (r.Account is not null) sb.AppendLine($"#SBATCH --account={r.Account}");
        if (r.Time is not null) sb.AppendLine($"#SBATCH --time={r.Time}");
        if (r.GpusPerTask is int g) sb.AppendLine(string.Format(Inv, "#SBATCH --gpus-per-task={0}", g));
        if (r.CpusPerTask is int c) sb.AppendLine(string.Format(Inv, "#SBATCH --cpus-per-task={0}", c));
        if (r.Memory is not null) sb.AppendLine($"#SBATCH --mem={r.Memory}");
    }

    /// <summary>An indexed Job: pod K runs shard K; the campaign folder is a persistent volume mounted at /campaign.</summary>
    public static string KubernetesSimulate(CampaignJobs jobs, string image, string claim, int? gpus, int parallelism, string header) =>
        KubernetesJob($"ppl-sim-{jobs.Name}", image, claim, gpus, jobs.Shards, parallelism, indexed: true, header,
            Command("simulate", jobs.SimulateArguments) + string.Format(Inv, " --shard \"$JOB_COMPLETION_INDEX/{0}\" -o {1}", jobs.Shards, CampaignJobs.ShardOutput));

    public static string KubernetesMerge(CampaignJobs jobs, string image, string claim, string header) =>
        KubernetesJob($"ppl-merge-{jobs.Name}", image, claim, null, 1, 1, indexed: false, header, $"$PPL merge shards -o {CampaignJobs.MergedOutput}");

    private static string KubernetesJob(string name, string image, string claim, int? gpus, int completions, int parallelism, bool indexed, string header, string command)
    {
        var script = "set -eu; PPL=${PPL:-ppl}; cd /campaign; mkdir -p shards; " + command;
        var sb = new StringBuilder();
        sb.Append(header);
        sb.AppendLine("apiVersion: batch/v1");
        sb.AppendLine("kind: Job");
        sb.AppendLine("metadata:");
        sb.AppendLine($"  name: {name}");
        sb.AppendLine("spec:");
        if (indexed) sb.AppendLine("  completionMode: Indexed");
        sb.AppendLine(string.Format(Inv, "  completions: {0}", completions));
        sb.AppendLine(string.Format(Inv, "  parallelism: {0}", parallelism));
        sb.AppendLine(string.Format(Inv, "  backoffLimit: {0}", Math.Max(3, completions)));
        sb.AppendLine("  template:");
        sb.AppendLine("    spec:");
        sb.AppendLine("      restartPolicy: Never");
        sb.AppendLine("      containers:");
        sb.AppendLine($"        - name: ppl");
        sb.AppendLine($"          image: {image}");
        sb.AppendLine("          command: [\"/bin/sh\", \"-c\"]");
        sb.AppendLine($"          args: [{Json(script)}]");
        if (gpus is int g)
        {
            sb.AppendLine("          resources:");
            sb.AppendLine("            limits:");
            sb.AppendLine(string.Format(Inv, "              nvidia.com/gpu: {0}", g));
        }
        sb.AppendLine("          volumeMounts:");
        sb.AppendLine("            - name: campaign");
        sb.AppendLine("              mountPath: /campaign");
        sb.AppendLine("      volumes:");
        sb.AppendLine("        - name: campaign");
        sb.AppendLine("          persistentVolumeClaim:");
        sb.AppendLine($"            claimName: {claim}");
        return sb.ToString();
    }

    /// <summary>Submits the indexed Job, waits for it to complete, then runs the merge Job (Kubernetes has no job dependencies).</summary>
    public static string KubernetesSubmit(CampaignJobs jobs) => $"""
        #!/bin/bash
        # Copy the campaign folder (model.ppl, data) onto the volume first; then:
        set -euo pipefail
        cd "$(dirname "$0")"
        kubectl apply -f simulate-job.yaml
        kubectl wait --for=condition=complete --timeout=-1s job/ppl-sim-{jobs.Name}
        kubectl apply -f merge-job.yaml
        kubectl wait --for=condition=complete --timeout=-1s job/ppl-merge-{jobs.Name}

        """;

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text, JsonScalar);

    private static readonly System.Text.Json.JsonSerializerOptions JsonScalar =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
