using Ppl.Compiler;
using Ppl.Compiler.Lowering;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Cli.Commands;

/// <summary>`ppl check MODEL`: diagnostics, the model's variables with their shapes and supports, and its capabilities.
/// When every data value is known (defaults, --data, --set) the model is also bound, which checks data-dependent shapes.
/// `--format json|github` writes the diagnostics of every stage to standard output as a JSON document or as GitHub
/// Actions annotations instead (<see cref="DiagnosticFormats"/>), with the same exit code.</summary>
public static class CheckCommand
{
    public static readonly OptionSpec Options = new OptionSpec()
        .Data().Set()
        .Flag("--dump-ast", "print the syntax tree")
        .Flag("--dump-ir", "print the IR")
        .WithCompilerDumps()
        .Float64().Device()
        .Value("--format", "text|json|github", "diagnostics as text (default), one JSON document, or GitHub Actions annotations", DiagnosticFormats.Names.ToArray());

    public static int Run(CliContext ctx, CommandLine line)
    {
        if (line.Positional.Count != 1) return ctx.Usage("check expects one model file", "ppl check MODEL.ppl");
        var format = DiagnosticFormats.Parse(line.Get("--format"));
        if (format is null)
            return ctx.Usage($"--format must be one of {string.Join(", ", DiagnosticFormats.Names)}, got '{line.Get("--format")}'");
        if (format == DiagnosticFormat.Text) return Check(ctx, line);
        if (line.Has("--dump-ast") || line.Has("--dump-ir") || line.Has(CompilerDumps.DumpAfterOption) || line.Has(CompilerDumps.TimingsOption))
            return ctx.Usage("--dump-ast, --dump-ir, --dump-ir-after and --timings print text; use them without --format json|github");

        // The description of a good model is text for people: in these formats standard output holds the report only.
        var report = new DiagnosticReport();
        var reporting = new CliContext(TextWriter.Null, ctx.Err, ctx.Interactive, ctx.Cancellation) { Report = report };
        int exit = Check(reporting, line);
        if (exit == ExitCodes.UsageError) return exit;
        if (format == DiagnosticFormat.Json) DiagnosticFormats.WriteJson(ctx.Out, line.Positional[0], report.Items);
        else DiagnosticFormats.WriteGitHub(ctx.Out, report.Items);
        return exit;
    }

    private static int Check(CliContext ctx, CommandLine line)
    {
        var (pass, passError) = CompilerDumps.Pass(line);
        if (passError is not null) return ctx.Usage(passError);
        var (compilation, exit) = ModelLoading.Compile(ctx, line.Positional[0], new CompilationOptions { Build = false, DumpIrAfter = pass });
        if (compilation is null) return exit;
        CompilerDumps.Write(ctx.Out, compilation, line);
        if (line.Has("--dump-ast")) ctx.Out.Write(SyntaxPrinter.printModel(compilation.Syntax!));
        if (line.Has("--dump-ir")) ctx.Out.Write(IrPrinter.Print(compilation.Ir!, compilation.Capabilities));
        Describe(ctx.Out, compilation);

        bool allData = compilation.Description!.Data.All(d => d.HasDefault);
        if (allData || line.Has("--data") || line.Has("--set"))
        {
            var (data, dataExit) = DataArguments.Load(ctx, line.GetAll("--data"), line.GetAll("--set"));
            if (data is null) return dataExit;
            var (options, optionsExit) = ModelLoading.Options(ctx, line);
            if (options is null) return optionsExit;
            var built = Driver.Compile(compilation.File, compilation.Source);
            if (built.HasErrors)
            {
                ErrorRendering.Report(ctx, built.Diagnostics, built.Source);
                return ExitCodes.ModelError;
            }
            var (model, bindExit) = ModelLoading.Bind(ctx, built, data, options);
            if (model is null) return bindExit;
            ctx.Out.WriteLine($"bound: {model.Dimension} unconstrained dimensions ({model.ParamDimension} in params)");
            foreach (var s in model.Sites) ctx.Out.WriteLine($"  {s.Name,-12} {s.ShapeText}");
        }
        return ExitCodes.Ok;
    }

    public static void Describe(TextWriter w, Compilation c)
    {
        var d = c.Description!;
        var caps = d.Capabilities;
        w.WriteLine($"model {d.Name} ({c.File}): ok");
        // Observed data (a data name that is also an observed site) are needed to infer, not to simulate.
        var siteNames = d.Sites.Select(s => s.Name).ToHashSet();
        foreach (var x in d.Data)
            w.WriteLine($"  data     {x.Name,-12} {x.TypeText,-18}{(x.HasDefault ? "" : siteNames.Contains(x.Name) ? " (observed: required to infer)" : " (required)")}");
        foreach (var s in d.Sites)
        {
            var role = s.Role switch { SiteRole.Param => "param", SiteRole.Latent => "latent", _ => "observe" };
            var rhs = s.HasDensity ? "~ " + s.DistributionText : "= (deterministic)";
            w.WriteLine($"  {role,-8} {s.Name,-12} {s.TypeText,-18} {s.SupportText,-22} {rhs}");
        }
        foreach (var l in d.Lets)
            w.WriteLine($"  let      {l.Name,-12} {l.TypeText,-18} (recorded)");
        w.WriteLine($"explicit: {(caps.Explicit ? "yes" : "no")} ({caps.ExplicitReason})");
        if (caps.Implicit) w.WriteLine($"implicit: yes (score: {(caps.Score ? "yes" : "no")}; {caps.ScoreReason})");
        else w.WriteLine($"implicit: no ({caps.ImplicitReason})");
    }
}
