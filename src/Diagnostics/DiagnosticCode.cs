namespace Ppl.Diagnostics;

/// <summary>Whether a diagnostic stops the command (an error) or is reported and passed over (a warning).</summary>
public enum DiagnosticLevel
{
    Error,
    Warning,
}

/// <summary>
/// One entry of <see cref="DiagnosticCatalogue"/>: the stable code (<c>PPL0301</c>), a short title, the severity it is
/// reported with and the page of docs/ that explains it (<see cref="Anchor"/> is the link to its row there).
/// </summary>
public sealed class DiagnosticCode
{
    internal DiagnosticCode(string code, string title, DiagnosticLevel level, string page)
    {
        Code = code;
        Title = title;
        Level = level;
        Page = page;
    }

    /// <summary>The code as printed: <c>PPL</c> and four digits.</summary>
    public string Code { get; }

    /// <summary>A few words saying what went wrong; the documentation's row for the code carries the same title.</summary>
    public string Title { get; }

    /// <summary>Error or warning: the severity every diagnostic of this code is reported with.</summary>
    public DiagnosticLevel Level { get; }

    /// <summary>The documentation page, relative to the repository root (<c>docs/language-diagnostics.md</c>).</summary>
    public string Page { get; }

    /// <summary>The link to the code's row: the page and <c>#ppl0301</c>.</summary>
    public string Anchor => Page + "#" + Code.ToLowerInvariant();

    /// <summary>The code's text, so that APIs holding codes as strings (error records, generated code) take an entry.</summary>
    public static implicit operator string(DiagnosticCode code) => code.Code;

    public override string ToString() => Code;
}
