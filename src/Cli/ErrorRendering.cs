using Microsoft.FSharp.Core;
using Ppl.Dsl;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>Prints errors from every layer in the compiler's format: `file:line:col: error CODE: message`, the source line
/// and a caret where the source is known, then the hint.</summary>
public static class ErrorRendering
{
    public static void Write(TextWriter w, ModelError e, string? source)
    {
        var l = e.Location;
        var d = DiagnosticReport.ToDiagnostic(e);
        w.Write(DiagnosticModule.render(source is null || l.Line == 0 ? FSharpOption<string>.None : FSharpOption<string>.Some(source), d));
        // Inside a user function: the chain of calls that reached it, innermost first.
        foreach (var call in l.CallChain) w.WriteLine($"  = note: called from {call}");
    }

    /// <summary>Records <paramref name="e"/> in the context's report, or prints it when there is none.</summary>
    public static void Report(CliContext ctx, ModelError e, string? source)
    {
        if (ctx.Report is { } report) report.Add(e);
        else Write(ctx.Err, e, source);
    }

    /// <summary>Records <paramref name="e"/> in the context's report, or prints it when there is none.</summary>
    public static void Report(CliContext ctx, DataFileError e)
    {
        if (ctx.Report is { } report) report.Add(e);
        else Write(ctx.Err, e);
    }

    /// <summary>Records compiler diagnostics in the context's report, or prints them with their source lines.</summary>
    public static void Report(CliContext ctx, IEnumerable<Diagnostic> diagnostics, string? source)
    {
        foreach (var d in diagnostics)
        {
            if (ctx.Report is { } report) report.Add(d);
            else ctx.Err.Write(DiagnosticModule.render(source is null ? FSharpOption<string>.None : FSharpOption<string>.Some(source), d));
        }
    }

    public static void Write(TextWriter w, DataFileError e)
    {
        var where = e.Line > 0 ? $"{e.Path}:{e.Line}:{e.Column}: " : string.IsNullOrEmpty(e.Path) ? "" : $"{e.Path}: ";
        w.WriteLine($"{where}error {e.Code}: {e.Message}");
    }
}
