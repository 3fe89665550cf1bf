using Microsoft.FSharp.Core;
using Ppl.Dsl;
using Ppl.Runtime.IO;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>A diagnostic as `ppl check --format json|github` reports it: the compiler's <see cref="Diagnostic"/> (code,
/// severity, range, message, hint) and, for a failure inside a user function, the call sites that reached it.</summary>
public sealed record ReportedDiagnostic(Diagnostic Diagnostic, IReadOnlyList<string> CalledFrom);

/// <summary>
/// Collects the diagnostics of every stage (compiler, data files, binding) for a machine-readable report instead of
/// printing them. A command that reports this way puts one on its <see cref="CliContext.Report"/>; the stages then call
/// <see cref="ErrorRendering.Report(CliContext, DataFileError)"/> and its overloads, which print when there is none.
/// </summary>
public sealed class DiagnosticReport
{
    private readonly List<ReportedDiagnostic> items = new();

    public IReadOnlyList<ReportedDiagnostic> Items => items;

    public void Add(Diagnostic diagnostic, IReadOnlyList<string>? calledFrom = null) =>
        items.Add(new ReportedDiagnostic(diagnostic, calledFrom ?? Array.Empty<string>()));

    public void Add(ModelError error) =>
        Add(ToDiagnostic(error), error.Location.CallChain.Select(c => c.ToString()).ToList());

    public void Add(DataFileError error)
    {
        var range = SourceRangeModule.make(error.Path, error.Line, error.Column, error.Line, error.Line > 0 ? error.Column + 1 : 0);
        Add(new Diagnostic(error.Code, Severity.Error, range, error.Message, FSharpOption<string>.None));
    }

    /// <summary>The compiler's form of a binding or run-time error (as <see cref="ErrorRendering"/> renders it).</summary>
    public static Diagnostic ToDiagnostic(ModelError e)
    {
        var l = e.Location;
        var range = SourceRangeModule.make(l.File, l.Line, l.Column, l.EndLine, l.EndColumn);
        return new Diagnostic(e.Code, e.IsWarning ? Severity.Warning : Severity.Error, range, e.Message,
            e.Hint is null ? FSharpOption<string>.None : FSharpOption<string>.Some(e.Hint));
    }
}
