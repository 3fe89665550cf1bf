using Microsoft.FSharp.Core;
using Ppl.Compiler.CodeGen;
using Ppl.Compiler.Hosting;
using Ppl.Compiler.Lowering;
using Ppl.Compiler.Semantics;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler;

/// <summary>Options of a compilation.</summary>
public sealed record CompilationOptions
{
    /// <summary>Compile the generated C# to an assembly (otherwise stop after code generation).</summary>
    public bool Build { get; init; } = true;

    /// <summary>Use the on-disk assembly cache.</summary>
    public bool UseCache { get; init; } = true;

    public CompileCache? Cache { get; init; }

    /// <summary>Keep the IR as printed right after this pass (one of <see cref="Driver.Passes"/>) in
    /// <see cref="Compilation.IrAfterPass"/>.</summary>
    public string? DumpIrAfter { get; init; }
}

/// <summary>The outcome of each stage, as far as it got.</summary>
public sealed class Compilation
{
    public required string File { get; init; }

    public required string Source { get; init; }

    public Model? Syntax { get; internal set; }

    public IrModel? Ir { get; internal set; }

    public CapabilityReport? Capabilities { get; internal set; }

    /// <summary>The model's static description (data, sites, recorded lets, capabilities), as the generated class
    /// reports it; set once the model is lowered, also when no code is built.</summary>
    public ModelDescription? Description { get; internal set; }

    /// <summary>The IR right after the pass named by <see cref="CompilationOptions.DumpIrAfter"/>, when it ran.</summary>
    public string? IrAfterPass { get; internal set; }

    /// <summary>Each stage that ran, in order, with its wall-clock time.</summary>
    public List<(string Pass, TimeSpan Time)> PassTimings { get; } = new();

    /// <summary>The capabilities with where each "no" comes from (see <see cref="CapabilityRefusals"/>).</summary>
    public CapabilityAnalysisResult? CapabilitySources { get; internal set; }

    public string? CSharp { get; internal set; }

    public string? ClassName { get; internal set; }

    public string? SourceHash { get; internal set; }

    public bool FromCache { get; internal set; }

    public Func<IGeneratedModel>? Factory { get; internal set; }

    public List<Diagnostic> Diagnostics { get; } = new();

    public bool HasErrors => Diagnostics.Any(d => d.Severity.IsError);

    /// <summary>Renders every diagnostic with its source line and caret.</summary>
    public string RenderDiagnostics() =>
        string.Concat(Diagnostics.Select(d => DiagnosticModule.render(FSharpOption<string>.Some(Source), d)));
}

/// <summary>
/// Runs the stages in order — parse, check (names, types, shapes), lower (inline, batching, hoisting), capability analysis,
/// C# generation, Roslyn compilation (with the disk cache) — stopping after the first stage that reports errors.
/// </summary>
public static class Driver
{
    public static string Version => typeof(Driver).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Compilation CompileFile(string path, CompilationOptions? options = null) =>
        Compile(path, File.ReadAllText(path), options);

    /// <summary>Stack of the thread that compiles: the passes recurse once per expression level, and expressions may be as
    /// deep as <see cref="ExpressionDepthLimit.MaxDepth"/> (Roslyn, given a deeper tree than its stack allows, reports
    /// an error instead of overflowing). Reserved, not committed: untouched pages cost nothing.</summary>
    public const int CompilerStackBytes = 256 * 1024 * 1024;

    public static Compilation Compile(string file, string text, CompilationOptions? options = null)
    {
        Compilation? result = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = CompileOnThisThread(file, text, options);
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }, CompilerStackBytes)
        { Name = "ppl compiler", IsBackground = true };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    private static Compilation CompileOnThisThread(string file, string text, CompilationOptions? options)
    {
        options ??= new CompilationOptions();
        var result = new Compilation { File = file, Source = text };
        var parsed = Timed(result, "parse", () => Parser.parseModel(file, text));
        result.Diagnostics.AddRange(parsed.Item2);
        result.Syntax = parsed.Item1?.Value;
        if (result.Syntax is null || result.HasErrors) return result;

        var bag = new DiagnosticBag();
        var ir = Timed(result, "check", () => Checker.Check(result.Syntax, file, text, bag));
        if (!bag.HasErrors) ExpressionDepthLimit.Check(ir, bag, inlined: false);
        result.Diagnostics.AddRange(bag.Sorted());
        if (result.HasErrors) return result;
        Dump(result, options, "check", ir);

        Pass(result, options, "inline", ir, Inliner.Run);
        var deep = new DiagnosticBag();
        ExpressionDepthLimit.Check(ir, deep, inlined: true);
        result.Diagnostics.AddRange(deep.Sorted());
        if (result.HasErrors) return result;
        Pass(result, options, "batching", ir, BatchingAnalysis.Run);
        Pass(result, options, "hoisting", ir, Hoisting.Run);
        Pass(result, options, "enumeration", ir, Enumeration.Run);
        result.Ir = ir;
        var capabilities = Timed(result, "capabilities", () => CapabilityAnalysis.Analyse(ir));
        result.Capabilities = capabilities.Report;
        result.CapabilitySources = capabilities;
        var key = CompileCache.Key(file, text);
        result.SourceHash = CompileCache.ModelHash(text);
        result.Description = Ppl.Compiler.CodeGen.ModelDescriptions.Build(ir, result.Capabilities, result.SourceHash, Version);

        var emitted = Timed(result, "emit", () => ModelEmitter.Emit(ir, result.Capabilities, result.SourceHash, Version));
        result.Diagnostics.AddRange(emitted.Diagnostics);
        if (result.HasErrors) return result;
        result.CSharp = emitted.Source;
        result.ClassName = emitted.ClassName;
        if (!options.Build) return result;

        var cache = options.UseCache ? options.Cache ?? CompileCache.Default() : null;
        var image = cache?.TryRead(key);
        result.FromCache = image is not null;
        if (image is null)
        {
            var (compiled, errors) = Timed(result, "roslyn", () => AssemblyCompiler.Compile(emitted.Source, "PplModel_" + key));
            if (compiled is null)
            {
                var range = result.Syntax.Name.Range;
                result.Diagnostics.Add(new Diagnostic(DiagnosticCatalogue.InternalCompilerError, Severity.Error, range,
                    "internal compiler error: the generated C# does not compile (this is a bug in ppl, not in your model): "
                    + string.Join("; ", errors.Take(3)),
                    FSharpOption<string>.Some("write the generated code with --emit-cs DIR and report it")));
                return result;
            }
            image = compiled;
            cache?.Write(key, image);
        }
        result.Factory = Timed(result, "load", () => AssemblyCompiler.Load(key, image, emitted.ClassName));
        return result;
    }

    /// <summary>The stages of a compilation in order; the IR can be printed after any of the IR passes
    /// (check, inline, batching, hoisting, enumeration).</summary>
    public static readonly IReadOnlyList<string> Passes = ["parse", "check", "inline", "batching", "hoisting", "enumeration", "capabilities", "emit", "roslyn", "load"];

    /// <summary>The passes after which the IR exists and can be printed.</summary>
    public static readonly IReadOnlyList<string> IrPasses = ["check", "inline", "batching", "hoisting", "enumeration"];

    private static T Timed<T>(Compilation result, string pass, Func<T> stage)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var value = stage();
        result.PassTimings.Add((pass, clock.Elapsed));
        return value;
    }

    private static void Pass(Compilation result, CompilationOptions options, string pass, IrModel ir, Action<IrModel> transform)
    {
        Timed(result, pass, () => { transform(ir); return 0; });
        Dump(result, options, pass, ir);
    }

    private static void Dump(Compilation result, CompilationOptions options, string pass, IrModel ir)
    {
        if (options.DumpIrAfter == pass) result.IrAfterPass = IrPrinter.Print(ir);
    }
}
