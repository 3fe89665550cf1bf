using Ppl.Compiler.Lowering;
using Ppl.Compiler.Semantics;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Distributions;

namespace Ppl.Compiler.CodeGen;

/// <summary>
/// The one place where a lowered model's static facts become a runtime <see cref="ModelDescription"/>: the compiler
/// hands it to the CLI (<see cref="Compilation.Description"/>, also when no code is built, as `ppl check` runs) and
/// the emitter writes the same object into the generated class as a C# literal, so the two cannot disagree.
/// </summary>
public static class ModelDescriptions
{
    /// <summary>Whether a statement-level let is recorded in simulation outputs (a batched tensor value).</summary>
    public static bool IsRecorded(IrLet let) =>
        let.Variable.Kind != VariableKind.Hoisted && let.Value.Type is TensorType && let.Variable.Batched;

    /// <summary>The description of a lowered model.</summary>
    public static ModelDescription Build(IrModel model, CapabilityReport capabilities, string sourceHash, string compilerVersion)
    {
        SourceLocation At(SourceRange r) => new(model.File, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column);
        var data = model.Data.Select(d => new DataDescription(d.Variable.Name, Element(d.Type.Elem), d.Type.Rank, d.TypeText, d.Default is not null, At(d.Range))).ToList();
        var sites = model.Sites.OrderBy(s => s.Variable.Index).Select(s => new SiteDescription(
            s.Variable.Name, s.Role, Element(s.Type.Elem), s.Type.Rank, s.Type.Display,
            s.Distribution is not null ? s.Distribution.Support().Kind : SupportKind.Real, s.SupportText, s.SourceText,
            s.Distribution is not null, At(s.Range), s.EnumerationSize)).ToList();
        var lets = model.Body.OfType<IrLet>().Where(IsRecorded).Select(l =>
        {
            var t = (TensorType)l.Value.Type;
            return new LetDescription(l.Variable.Name, Element(t.Elem), t.Rank, t.Display, At(l.Range));
        }).ToList();
        return new ModelDescription(model.Name, model.File, sourceHash, compilerVersion, data, sites, lets, capabilities);
    }

    private static ElementType Element(ElemType e) =>
        e.IsReal ? ElementType.Real : e.IsInt ? ElementType.Int : e.IsBool ? ElementType.Bool : ElementType.Complex;

    /// <summary>The description as the static field of a generated class.</summary>
    public static string Code(ModelDescription d)
    {
        static string Bool(bool b) => b ? "true" : "false";
        var sb = new System.Text.StringBuilder();
        sb.Append("private static readonly ModelDescription s_description = new(\n");
        sb.Append($"    {ModelEmitter.Quote(d.Name)},\n    {ModelEmitter.Quote(d.SourceFile)},\n    {ModelEmitter.Quote(d.SourceHash)},\n    {ModelEmitter.Quote(d.CompilerVersion)},\n");
        sb.Append("    new DataDescription[]\n    {\n");
        foreach (var x in d.Data)
            sb.Append($"        new({ModelEmitter.Quote(x.Name)}, ElementType.{x.Element}, {x.Rank}, {ModelEmitter.Quote(x.TypeText)}, {Bool(x.HasDefault)}, {Location(x.Location)}),\n");
        sb.Append("    },\n    new SiteDescription[]\n    {\n");
        foreach (var s in d.Sites)
            sb.Append($"        new({ModelEmitter.Quote(s.Name)}, SiteRole.{s.Role}, ElementType.{s.Element}, {s.Rank}, {ModelEmitter.Quote(s.TypeText)}, Ppl.Runtime.Distributions.SupportKind.{s.Support}, {ModelEmitter.Quote(s.SupportText)}, {ModelEmitter.Quote(s.DistributionText)}, {Bool(s.HasDensity)}, {Location(s.Location)}{(s.EnumerationSize > 0 ? $", EnumerationSize: {s.EnumerationSize}" : "")}),\n");
        sb.Append("    },\n    new LetDescription[]\n    {\n");
        foreach (var l in d.Lets)
            sb.Append($"        new({ModelEmitter.Quote(l.Name)}, ElementType.{l.Element}, {l.Rank}, {ModelEmitter.Quote(l.TypeText)}, {Location(l.Location)}),\n");
        sb.Append("    },\n");
        var c = d.Capabilities;
        sb.Append($"    new CapabilityReport({Bool(c.Explicit)}, {ModelEmitter.Quote(c.ExplicitReason)}, {Bool(c.Implicit)}, {ModelEmitter.Quote(c.ImplicitReason)}, {Bool(c.Score)}, {ModelEmitter.Quote(c.ScoreReason)}));\n");
        return sb.ToString();
    }

    private static string Location(SourceLocation l) =>
        $"new SourceLocation({ModelEmitter.Quote(l.File)}, {l.Line}, {l.Column}, {l.EndLine}, {l.EndColumn})";
}
