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
        var range = SourceRangeModule.make(l.File, l.Line, l.Column, l.EndLine, l.EndColumn);
        var d = new Diagnostic(e.Code, e.IsWarning ? Severity.Warning : Severity.Error, range, e.Message,
            e.Hint is null ? FSharpOption<string>.None : FSharpOption<string>.Some(e.Hint));
        w.Write(DiagnosticModule.render(source is null || l.Line == 0 ? FSharpOption<string>.None : FSharpOption<string>.Some(source), d));
        // Inside a user function: the chain of calls that reached it, innermost first.
        foreach (var call in l.CallChain) w.WriteLine($"  = note: called from {call}");
    }

    public static void Write(TextWriter w, DataFileError e)
    {
        var where = e.Line > 0 ? $"{e.Path}:{e.Line}:{e.Column}: " : string.IsNullOrEmpty(e.Path) ? "" : $"{e.Path}: ";
        w.WriteLine($"{where}error {e.Code}: {e.Message}");
    }
}
