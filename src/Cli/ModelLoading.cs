using System.Diagnostics;
using Ppl.Compiler;
using Ppl.Runtime.Models;
using static TorchSharp.torch;

namespace Ppl.Cli;

/// <summary>Reads, compiles and binds a model for a command, printing every diagnostic.</summary>
public static class ModelLoading
{
    /// <summary>Compiles a model file; null (with the exit code) when the file is missing or has errors.</summary>
    public static (Compilation? Compilation, int Exit) Compile(CliContext ctx, string path, CompilationOptions? options = null)
    {
        if (!File.Exists(path))
            return (null, ctx.Usage($"model file '{path}' not found"));
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, ctx.Usage($"cannot read model file '{path}': {e.Message}"));
        }
        var compilation = Driver.Compile(path, text, options);
        ErrorRendering.Report(ctx, compilation.Diagnostics, compilation.Source);
        if (compilation.HasErrors)
        {
            int errors = compilation.Diagnostics.Count(d => d.Severity.IsError);
            if (ctx.Report is null) ctx.Err.WriteLine($"{path}: {errors} error{(errors == 1 ? "" : "s")}");
            return (null, ExitCodes.ModelError);
        }
        return (compilation, ExitCodes.Ok);
    }

    /// <summary>
    /// Compiles the model named by the first positional argument and reads its `--data`/`--set` values and the
    /// `--float64`/`--device` options: the start of every command that runs a model.
    /// </summary>
    public static (CommandInputs? Inputs, int Exit) CompileWithInputs(CliContext ctx, CommandLine line)
    {
        var (compilation, exit) = Compile(ctx, line.Positional[0]);
        if (compilation is null) return (null, exit);
        var (values, dataExit) = DataArguments.Load(ctx, line.GetAll("--data"), line.GetAll("--set"));
        if (values is null) return (null, dataExit);
        var (options, optionsExit) = Options(ctx, line);
        if (options is null) return (null, optionsExit);
        return (new CommandInputs(compilation, values, options), ExitCodes.Ok);
    }

    /// <summary>
    /// The start of the commands that train on simulations (`train`, `compress`): compiles the model, binds only its
    /// `data` declarations (observations play no part in training) and refuses a model that cannot be simulated. The inputs returned hold the bound data only.
    /// </summary>
    public static (CommandInputs? Inputs, Model? Model, int Exit) CompileForSimulation(CliContext ctx, CommandLine line)
    {
        var (loaded, exit) = CompileWithInputs(ctx, line);
        if (loaded is null) return (null, null, exit);
        var dataNames = loaded.Compilation.Description!.Data.Select(d => d.Name).ToHashSet();
        var data = loaded.Values.Where(kv => dataNames.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var (model, bindExit) = Bind(ctx, loaded.Compilation, data, loaded.Options);
        if (model is null) return (null, null, bindExit);
        if (Compiler.CapabilityRefusals.Simulation(loaded.Compilation) is { } refusal)
        {
            ErrorRendering.Report(ctx, new[] { refusal }, loaded.Compilation.Source);
            return (null, null, ExitCodes.ModelError);
        }
        return (loaded with { Values = data }, model, ExitCodes.Ok);
    }

    /// <summary>Binds data to a compiled model; prints errors and warnings with the model's source lines.</summary>
    public static (Model? Model, int Exit) Bind(CliContext ctx, Compilation compilation, IReadOnlyDictionary<string, DataInput> data, ModelOptions options)
    {
        var binding = Model.Bind(compilation.Factory!(), data, options);
        foreach (var e in binding.Errors) ErrorRendering.Report(ctx, e, compilation.Source);
        return binding.Model is null ? (null, ExitCodes.ModelError) : (binding.Model, ExitCodes.Ok);
    }

    /// <summary>The `real` type and device requested by `--float64` and `--device`.</summary>
    public static (ModelOptions? Options, int Exit) Options(CliContext ctx, CommandLine line)
    {
        var (device, error) = Ppl.Runtime.Tensors.TorchSetup.ResolveDevice(line.Get("--device") ?? Environment.GetEnvironmentVariable("PPL_DEVICE"));
        if (error is not null) return (null, ctx.Usage(error));
        return (new ModelOptions { RealType = line.Has("--float64") ? ScalarType.Float64 : ScalarType.Float32, Device = device! }, ExitCodes.Ok);
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:F0} ms" : $"{t.TotalSeconds:F2} s";

    public static Stopwatch Start() => Stopwatch.StartNew();
}

/// <summary>A compiled model with the values and options given on the command line.</summary>
public sealed record CommandInputs(Compilation Compilation, Dictionary<string, DataInput> Values, ModelOptions Options);
