using System.Globalization;
using System.Text.RegularExpressions;
using Ppl.Runtime.Campaigns;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl campaign MODEL --sims N --shards S --slurm [--partition P --time T --gpus-per-task G] [--kubernetes] -o DIR`:
/// writes (does not run) a simulation campaign: the model and data copied into DIR, a SLURM job array whose task K runs
/// `ppl simulate --shard K/S` with a merge job that depends on it (<c>simulate.sbatch</c>, <c>merge.sbatch</c>,
/// <c>submit.sh</c>), and/or a Kubernetes indexed Job with its merge Job (<c>k8s/</c>). The merged <c>DIR/sims.npz</c>
/// equals `ppl simulate MODEL -n N --chunk C` in one process byte for byte.
/// </summary>
public static partial class CampaignCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Value("--sims", "N", "simulations in the campaign")
        .Value("--shards", "S", "shards (jobs) to split them into")
        .Value("--seed", "S", "random seed (default 0)")
        .Value("--chunk", "C", "simulations per chunk (default: chosen to divide the shards evenly, at most 1000)")
        .Data().Set()
        .Flag("--score", "also write the score of each simulation")
        .Flag("--joint-score", "also write the joint score (gradient of the joint log density)")
        .Value("--record", "LET,...", "also write these lets per simulation")
        .Float64()
        .Flag("--compress", "deflate the archives")
        .Device()
        .Flag("--slurm", "write a SLURM job array and a dependent merge job")
        .Value("--partition", "P", "SLURM partition")
        .Value("--time", "T", "SLURM time limit per shard, e.g. 01:00:00")
        .Value("--gpus-per-task", "G", "GPUs per shard (the shards then run with --device cuda)")
        .Value("--cpus-per-task", "C", "CPUs per shard")
        .Value("--mem", "M", "memory per shard, e.g. 8G")
        .Value("--account", "A", "SLURM account")
        .Value("--max-parallel", "P", "at most P shards running at once")
        .Flag("--kubernetes", "write a Kubernetes indexed Job")
        .Value("--image", "I", "container image of the Kubernetes Job (default ppl:latest)")
        .Value("--claim", "PVC", "persistent volume claim holding the campaign folder (default ppl-campaign)")
        .Value("-o, --output", "DIR", "the campaign folder to write");

    /// <summary>The largest chunk a campaign picks by itself (the default chunk of `ppl simulate`).</summary>
    private const long LargestChunk = 1000;

    public static int Run(CliContext ctx, CommandLine line)
    {
        const string Example = "ppl campaign model.ppl --sims 100000 --shards 64 --seed 1 --slurm --time 01:00:00 -o campaign/";
        if (line.Positional.Count != 1) return ctx.Usage("campaign expects one model file", Example);
        var inv = CultureInfo.InvariantCulture;
        if (!long.TryParse(line.Get("--sims"), NumberStyles.None, inv, out long sims) || sims < 1)
            return ctx.Usage("--sims must be a positive integer (the simulations of the whole campaign)", Example);
        if (!int.TryParse(line.Get("--shards"), NumberStyles.None, inv, out int shards) || shards < 1)
            return ctx.Usage("--shards must be a positive integer (the array's tasks)", Example);
        if (!ulong.TryParse(line.Get("--seed") ?? "0", NumberStyles.None, inv, out ulong seed)) return ctx.Usage("--seed must be a non-negative integer");
        long chunk = ShardPlan.EvenChunk(sims, shards, LargestChunk);
        if (line.Get("--chunk") is { } chunkText && (!long.TryParse(chunkText, NumberStyles.None, inv, out chunk) || chunk < 1))
            return ctx.Usage("--chunk must be a positive integer");
        if (new ShardPlan(sims, chunk, shards).Problem() is { } problem) return ctx.Usage(problem);
        if (!line.Has("--slurm") && !line.Has("--kubernetes")) return ctx.Usage("campaign writes --slurm scripts, a --kubernetes Job, or both: give at least one", Example);
        int? gpus = null, cpus = null, maxParallel = null;
        if (line.Get("--gpus-per-task") is { } g)
        {
            if (!int.TryParse(g, NumberStyles.None, inv, out int n) || n < 1) return ctx.Usage("--gpus-per-task must be a positive integer");
            gpus = n;
        }
        if (line.Get("--cpus-per-task") is { } c)
        {
            if (!int.TryParse(c, NumberStyles.None, inv, out int n) || n < 1) return ctx.Usage("--cpus-per-task must be a positive integer");
            cpus = n;
        }
        if (line.Get("--max-parallel") is { } p)
        {
            if (!int.TryParse(p, NumberStyles.None, inv, out int n) || n < 1) return ctx.Usage("--max-parallel must be a positive integer");
            maxParallel = n;
        }
        foreach (var option in new[] { "--partition", "--time", "--mem", "--account", "--image", "--claim" })
            if (line.Get(option) is { } value && !SafeValue().IsMatch(value))
                return ctx.Usage($"{option} '{value}' has characters a job script cannot carry safely");
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("campaign needs an output folder: -o DIR", Example);
        var folder = Path.GetFullPath(output).TrimEnd('/');
        if (File.Exists(folder)) return ctx.Usage($"-o {output} is a file; campaign writes a folder");

        // The model must compile and simulate here before a cluster spends hours on it.
        var (loaded, model, exit) = ModelLoading.CompileForSimulation(ctx, line);
        if (loaded is null) return exit;
        var name = JobName().Replace(model!.Description.Name.ToLowerInvariant(), "-");

        var args = new List<string> { "model.ppl", "-n", sims.ToString(inv), "--seed", seed.ToString(inv), "--chunk", chunk.ToString(inv) };
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "logs"));
            Directory.CreateDirectory(Path.Combine(folder, "shards"));
            CopyInto(line.Positional[0], Path.Combine(folder, "model.ppl"));
            var dataFiles = line.GetAll("--data");
            if (dataFiles.Count > 0) Directory.CreateDirectory(Path.Combine(folder, "data"));
            foreach (var file in dataFiles)
            {
                var copy = Path.Combine("data", Path.GetFileName(file));
                CopyInto(file, Path.Combine(folder, copy));
                args.AddRange(new[] { "--data", copy });
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Usage($"cannot write the campaign to '{output}': {e.Message}");
        }
        foreach (var set in line.GetAll("--set")) args.AddRange(new[] { "--set", set });
        foreach (var flag in new[] { "--score", "--joint-score", "--float64", "--compress" })
            if (line.Has(flag)) args.Add(flag);
        if (line.Get("--record") is { } record) args.AddRange(new[] { "--record", record });
        var device = line.Get("--device") ?? (gpus is null ? null : "cuda");
        if (device is not null) args.AddRange(new[] { "--device", device });

        var header = $"# Written by `ppl campaign` (ppl {Ppl.Compiler.Driver.Version}): {sims} simulations of {model.Description.Name} (seed {seed}) in {shards} shards\n"
            + $"# of whole chunks of {chunk}; merged, sims.npz equals `ppl simulate {string.Join(" ", args.Select(CampaignScripts.Quote))} -o sims.npz`.\n";
        var jobs = new CampaignJobs(name, folder, args, shards);
        var written = new List<string>();
        void Write(string relative, string text, bool executable = false)
        {
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            if (executable && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
            written.Add(relative);
        }
        try
        {
            if (line.Has("--slurm"))
            {
                var resources = new SlurmResources(line.Get("--partition"), line.Get("--time"), gpus, cpus, line.Get("--mem"), line.Get("--account"), maxParallel);
                Write("simulate.sbatch", CampaignScripts.SlurmSimulate(jobs, resources, header));
                Write("merge.sbatch", CampaignScripts.SlurmMerge(jobs, resources, header));
                Write("submit.sh", CampaignScripts.SlurmSubmit(jobs), executable: true);
            }
            if (line.Has("--kubernetes"))
            {
                var yamlHeader = string.Join("", header.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n"));
                var image = line.Get("--image") ?? "ppl:latest";
                var claim = line.Get("--claim") ?? "ppl-campaign";
                Write("k8s/simulate-job.yaml", CampaignScripts.KubernetesSimulate(jobs with { Folder = "/campaign" }, image, claim, gpus, maxParallel ?? shards, yamlHeader));
                Write("k8s/merge-job.yaml", CampaignScripts.KubernetesMerge(jobs with { Folder = "/campaign" }, image, claim, yamlHeader));
                Write("k8s/submit.sh", CampaignScripts.KubernetesSubmit(jobs), executable: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ctx.Usage($"cannot write the campaign to '{output}': {e.Message}");
        }
        var plan = new ShardPlan(sims, chunk, shards);
        var sizes = Enumerable.Range(0, shards).Select(k => plan.Range(k).Count).ToArray();
        ctx.Out.WriteLine($"campaign of {sims} simulations of {model.Description.Name} in {shards} shards of {sizes.Min()}–{sizes.Max()} simulations (chunks of {chunk}) written to {output}:");
        foreach (var file in written) ctx.Out.WriteLine($"  {file}");
        if (line.Has("--slurm")) ctx.Out.WriteLine($"submit with: {Path.Combine(output, "submit.sh")}   (then {Path.Combine(output, "sims.npz")} appears when the merge job ends)");
        return ExitCodes.Ok;
    }

    /// <summary>Copies a file into the campaign folder (nothing to do when it is already there).</summary>
    private static void CopyInto(string source, string destination)
    {
        if (Path.GetFullPath(source) != Path.GetFullPath(destination)) File.Copy(source, destination, overwrite: true);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:/@%+,=-]+$")]
    private static partial Regex SafeValue();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex JobName();
}
