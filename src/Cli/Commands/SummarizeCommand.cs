using Ppl.Runtime.Compression;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sbi;
using static TorchSharp.torch;

namespace Ppl.Cli.Commands;

/// <summary>
/// `ppl summarize comp.pplz --data obs -o t.npy [--model MODEL]`: compresses one map (the site's shape) or a batch of maps
/// ([n, ...shape]) with a compressor written by `ppl compress`, and writes the summaries [n, d] as a NumPy array. The maps
/// are the data value named like the compressor's site, or the only value given (e.g. a .npy file). With --model, a
/// compressor trained for another version of the model is refused.
/// </summary>
public static class SummarizeCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Data().Set()
        .Value("-o, --output", "FILE", "the summaries to write (.npy)")
        .Value("--model", "MODEL", "the model file (default: the one recorded in the bundle)")
        .Device();

    public static int Run(CliContext ctx, CommandLine line)
    {
        if (line.Positional.Count != 1)
            return ctx.Usage("summarize expects one compressor bundle", "ppl summarize comp.pplz --data obs.npy -o t.npy");
        var bundlePath = line.Positional[0];
        var output = line.Get("-o");
        if (output is null) return ctx.Usage("summarize needs an output file: -o t.npy");
        if (!output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return ctx.Usage($"the output '{output}' must end in .npy");
        var outputDir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outputDir is not null && !Directory.Exists(outputDir)) return ctx.Usage($"the folder of '{output}' does not exist");
        if (line.GetAll("--data").Count + line.GetAll("--set").Count == 0)
            return ctx.Usage("summarize needs the maps: --data obs.npy|obs.npz|obs.json or --set NAME=@maps.npy");
        var (device, deviceError) = Ppl.Runtime.Tensors.TorchSetup.ResolveDevice(line.Get("--device") ?? Environment.GetEnvironmentVariable("PPL_DEVICE"));
        if (deviceError is not null) return ctx.Usage(deviceError);
        if (!File.Exists(bundlePath)) return ctx.Usage($"compressor bundle '{bundlePath}' not found", "write one with `ppl compress`");

        string? expectedHash = null;
        if (line.Get("--model") is { } modelPath)
        {
            var (compilation, exit) = ModelLoading.Compile(ctx, modelPath);
            if (compilation is null) return exit;
            expectedHash = compilation.SourceHash;
        }
        var loaded = CompressorBundle.Load(bundlePath, expectedHash, device);
        if (!loaded.IsSuccess) return SbiErrorRendering.Report(ctx, loaded.Error);
        using var compressor = loaded.Value;

        var (values, dataExit) = DataArguments.Load(ctx, line.GetAll("--data"), line.GetAll("--set"));
        if (values is null) return dataExit;
        var site = compressor.Record.Site;
        DataInput? maps = values.TryGetValue(site, out var named) ? named : values.Count == 1 ? values.Values.Single() : null;
        if (maps is null)
            return SbiErrorRendering.Report(ctx, new SbiError(SbiError.ObservationMismatch,
                $"the data hold no '{site}' (the site {bundlePath} compresses) but {string.Join(", ", values.Keys.Select(k => $"'{k}'"))}"),
                $"give the maps as '{site}' (e.g. --set {site}=@maps.npy) or alone in one file");

        using var scope = NewDisposeScope();
        var summaries = compressor.Summarize(maps.Value, maps.Origin);
        if (!summaries.IsSuccess) return SbiErrorRendering.Report(ctx, summaries.Error);
        var written = NpyWriter.Write(output, summaries.Value);
        if (!written.Succeeded)
        {
            foreach (var e in written.Errors) ErrorRendering.Write(ctx.Err, e);
            return ExitCodes.UsageError;
        }
        ctx.Out.WriteLine($"wrote {summaries.Value.shape[0]} × {summaries.Value.shape[1]} summaries of '{site}' to {output}");
        return ExitCodes.Ok;
    }
}
