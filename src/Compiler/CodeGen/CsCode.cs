using System.Text;

namespace Ppl.Compiler.CodeGen;

/// <summary>A statement of generated C#: a line, or a header with a nested block (if/for/lambda bodies).</summary>
public abstract record CsStatement;

public sealed record CsLine(string Text) : CsStatement;

/// <summary>`header { body }` followed by an optional trailer (e.g. `else { ... }`, or `);` after a lambda).</summary>
public sealed record CsBlock(string Header, List<CsStatement> Body, string? Trailer = null) : CsStatement;

public sealed record CsField(string Declaration, string? Comment = null);

public sealed record CsMethod(string Signature, List<CsStatement> Body, string? Doc = null);

/// <summary>The generated file: a model of the output, printed once at the end.</summary>
public sealed class CsFile
{
    public List<string> Header { get; } = new();

    public List<string> Usings { get; } = new();

    public string Namespace { get; set; } = "Ppl.Generated";

    public string ClassDeclaration { get; set; } = "";

    public List<CsField> Fields { get; } = new();

    public List<string> Members { get; } = new();

    public List<CsMethod> Methods { get; } = new();

    public string Print()
    {
        var sb = new StringBuilder();
        foreach (var h in Header) sb.Append(h).Append('\n');
        foreach (var u in Usings) sb.Append("using ").Append(u).Append(";\n");
        sb.Append('\n').Append("namespace ").Append(Namespace).Append(";\n\n");
        sb.Append(ClassDeclaration).Append("\n{\n");
        foreach (var f in Fields)
        {
            if (f.Comment is not null) sb.Append("    // ").Append(f.Comment).Append('\n');
            sb.Append("    ").Append(f.Declaration).Append('\n');
        }
        foreach (var m in Members) sb.Append('\n').Append(Indent(m, 1));
        foreach (var m in Methods)
        {
            sb.Append('\n');
            if (m.Doc is not null) sb.Append("    /// <summary>").Append(m.Doc).Append("</summary>\n");
            sb.Append("    ").Append(m.Signature).Append('\n').Append("    {\n");
            foreach (var s in m.Body) Write(sb, s, 2);
            sb.Append("    }\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, CsStatement s, int depth)
    {
        var pad = new string(' ', depth * 4);
        switch (s)
        {
            case CsLine l:
                sb.Append(pad).Append(l.Text).Append('\n');
                break;
            case CsBlock b:
                sb.Append(pad).Append(b.Header).Append('\n').Append(pad).Append("{\n");
                foreach (var inner in b.Body) Write(sb, inner, depth + 1);
                sb.Append(pad).Append('}').Append(b.Trailer ?? "").Append('\n');
                break;
        }
    }

    private static string Indent(string text, int depth)
    {
        var pad = new string(' ', depth * 4);
        return string.Concat(text.Split('\n').Select(l => l.Length == 0 ? "\n" : pad + l + "\n"));
    }
}
