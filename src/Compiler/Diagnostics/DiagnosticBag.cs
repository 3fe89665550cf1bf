using Microsoft.FSharp.Core;
using Ppl.Dsl;

namespace Ppl.Compiler;

/// <summary>Collects diagnostics of one compilation, in the order found.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = new();

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity.IsError);

    public void Add(Diagnostic d) => _items.Add(d);

    public void AddRange(IEnumerable<Diagnostic> ds) => _items.AddRange(ds);

    /// <summary>Drops the diagnostics after the first <paramref name="count"/> (a trial check that is redone).</summary>
    public void Truncate(int count) => _items.RemoveRange(count, _items.Count - count);

    /// <summary>Adds a diagnostic of a catalogued code, with the severity the catalogue gives it.</summary>
    public void Error(DiagnosticCode code, SourceRange range, string message, string? hint = null) =>
        _items.Add(new Diagnostic(code.Code, code.Level == DiagnosticLevel.Warning ? Severity.Warning : Severity.Error, range, message,
            hint is null ? FSharpOption<string>.None : FSharpOption<string>.Some(hint)));

    /// <summary>The diagnostics sorted by position (stable for equal positions).</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        _items.Select((d, i) => (d, i)).OrderBy(t => t.d.Range.Start.Line).ThenBy(t => t.d.Range.Start.Column).ThenBy(t => t.i).Select(t => t.d).ToList();
}
