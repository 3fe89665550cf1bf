using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ppl.Dsl;

namespace Ppl.Cli;

/// <summary>How `ppl check` writes diagnostics: <c>text</c> (rendered with source lines, on standard error),
/// <c>json</c> (one document on standard output, for editors and scripts) or <c>github</c> (GitHub Actions workflow
/// commands on standard output, which put the diagnostics on the lines of the pull request).</summary>
public enum DiagnosticFormat
{
    Text,
    Json,
    GitHub,
}

/// <summary>Writes a <see cref="DiagnosticReport"/> in the <see cref="DiagnosticFormat.Json"/> and
/// <see cref="DiagnosticFormat.GitHub"/> formats.</summary>
public static class DiagnosticFormats
{
    public static readonly string[] Names = { "text", "json", "github" };

    public static DiagnosticFormat? Parse(string? name) => name switch
    {
        null or "text" => DiagnosticFormat.Text,
        "json" => DiagnosticFormat.Json,
        "github" => DiagnosticFormat.GitHub,
        _ => null,
    };

    /// <summary>
    /// <c>{"model": FILE, "ok": bool, "errors": n, "warnings": n, "diagnostics": [{"code", "severity", "file", "line",
    /// "column", "endLine", "endColumn", "message", "hint"?, "calledFrom"?}]}</c>. Lines and columns are 1-based and
    /// count characters; the end is exclusive (the position just after the range); a diagnostic without a place in a
    /// file has null line and column fields.
    /// </summary>
    public static void WriteJson(TextWriter output, string model, IReadOnlyList<ReportedDiagnostic> items)
    {
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var w = new Utf8JsonWriter(buffer, options))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            int errors = items.Count(i => i.Diagnostic.Severity.IsError);
            w.WriteBoolean("ok", errors == 0);
            w.WriteNumber("errors", errors);
            w.WriteNumber("warnings", items.Count(i => i.Diagnostic.Severity.IsWarning));
            w.WriteStartArray("diagnostics");
            foreach (var (d, calledFrom) in items)
            {
                var r = d.Range;
                w.WriteStartObject();
                w.WriteString("code", d.Code);
                w.WriteString("severity", SeverityName(d.Severity));
                w.WriteString("file", r.File);
                bool located = r.Start.Line > 0;
                WriteNumberOrNull(w, "line", located, r.Start.Line);
                WriteNumberOrNull(w, "column", located, r.Start.Column);
                WriteNumberOrNull(w, "endLine", located, End(r).Line);
                WriteNumberOrNull(w, "endColumn", located, End(r).Column);
                w.WriteString("message", d.Message);
                if (d.Hint is { } hint) w.WriteString("hint", hint.Value);
                if (calledFrom.Count > 0)
                {
                    w.WriteStartArray("calledFrom");
                    foreach (var call in calledFrom) w.WriteStringValue(call);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>
    /// One workflow command per diagnostic: <c>::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=CODE::message</c>
    /// (<c>::warning</c>, <c>::notice</c> for the other severities). The end column is the last column of the range
    /// (inclusive, as GitHub reads it). Values are escaped as the runner expects (<c>%</c>, CR and LF everywhere;
    /// <c>:</c> and <c>,</c> in properties). A hint and the call sites follow the message on lines of their own.
    /// </summary>
    public static void WriteGitHub(TextWriter output, IReadOnlyList<ReportedDiagnostic> items)
    {
        foreach (var (d, calledFrom) in items)
        {
            var r = d.Range;
            var properties = new List<string>();
            if (!string.IsNullOrEmpty(r.File)) properties.Add("file=" + EscapeProperty(r.File));
            if (r.Start.Line > 0)
            {
                var end = End(r);
                int lastColumn = end.Line == r.Start.Line ? Math.Max(r.Start.Column, end.Column - 1) : end.Column;
                properties.Add($"line={r.Start.Line}");
                properties.Add($"endLine={end.Line}");
                properties.Add($"col={r.Start.Column}");
                properties.Add($"endColumn={lastColumn}");
            }
            properties.Add("title=" + EscapeProperty(d.Code));
            var message = new StringBuilder(d.Message);
            if (d.Hint is { } hint) message.Append("\nhint: ").Append(hint.Value);
            foreach (var call in calledFrom) message.Append("\ncalled from ").Append(call);
            var command = d.Severity.IsError ? "error" : d.Severity.IsWarning ? "warning" : "notice";
            output.WriteLine($"::{command} {string.Join(",", properties)}::{EscapeData(message.ToString())}");
        }
    }

    // The exclusive end; an empty or missing one becomes the character at the start.
    private static SourcePosition End(SourceRange r) =>
        r.End.Line > r.Start.Line || (r.End.Line == r.Start.Line && r.End.Column > r.Start.Column)
            ? r.End
            : new SourcePosition(r.Start.Line, r.Start.Column + 1);

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, bool present, int value)
    {
        if (present) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    private static string SeverityName(Severity s) => s.IsError ? "error" : s.IsWarning ? "warning" : "note";

    private static string EscapeData(string s) => s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string EscapeProperty(string s) => EscapeData(s).Replace(":", "%3A").Replace(",", "%2C");
}
