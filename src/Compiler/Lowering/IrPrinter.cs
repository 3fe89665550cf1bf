using System.Globalization;
using System.Text;
using Ppl.Compiler.Semantics;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Lowering;

/// <summary>
/// Prints the IR after lowering (`ppl compile --dump-ir`): one statement per line, calls in prefix form, types after
/// names, and `@B` on every value that carries the batch dimension. Binding-time statements come first.
/// </summary>
public static class IrPrinter
{
    public static string Print(IrModel model, CapabilityReport? capabilities = null)
    {
        var sb = new StringBuilder();
        sb.Append("model ").Append(model.Name).Append('\n');
        sb.Append("# binding time (once per data set)\n");
        foreach (var d in model.Data)
        {
            sb.Append("data ").Append(d.Variable.Name).Append(": ").Append(d.Type.Display);
            if (d.Default is not null) sb.Append(" = ").Append(Expr(d.Default));
            sb.Append('\n');
            foreach (var check in d.DefaultChecks)
                sb.Append("  check ").Append(check.Left).Append(" == ").Append(check.Right).Append("  # ").Append(check.Message).Append(" (if the default is used)\n");
        }
        foreach (var check in model.DeferredChecks)
            sb.Append("check ").Append(check.Left).Append(" == ").Append(check.Right).Append("  # ").Append(check.Message).Append('\n');
        foreach (var let in model.Lets.Where(l => l.Variable.Kind == VariableKind.Hoisted))
            sb.Append("bind ").Append(let.Variable.Name).Append(": ").Append(let.Value.Type.Display).Append(" = ").Append(Expr(let.Value)).Append('\n');
        sb.Append("# run time (every batch of B simulations or chains)\n");
        foreach (var statement in model.Body)
        {
            switch (statement)
            {
                case IrLet let when let.Variable.Kind != VariableKind.Hoisted:
                    sb.Append("let ").Append(let.Variable.Name).Append(": ").Append(let.Value.Type.Display).Append(Mark(let.Value))
                        .Append(" = ").Append(Expr(let.Value)).Append('\n');
                    break;
                case IrFactor factor:
                    sb.Append("factor ").Append(Expr(factor.Value)).Append('\n');
                    break;
                case IrSite site:
                    sb.Append(site.Role switch
                    {
                        Runtime.Abstractions.SiteRole.Param => "param ",
                        Runtime.Abstractions.SiteRole.Latent => "latent ",
                        _ => "observe ",
                    });
                    sb.Append(site.Variable.Name).Append(": ").Append(site.Type.Display).Append("@B");
                    if (site.Distribution is not null)
                    {
                        var support = site.Distribution.Support();
                        sb.Append(" ~ ").Append(Expr(site.Distribution));
                        if (site.Loop is not null) sb.Append(" at each step of ").Append(site.Loop.Name);
                        sb.Append("  # support ").Append(SupportText(support));
                    }
                    else sb.Append(" = ").Append(Expr(site.Exact!));
                    if (site.EnumerationSize > 0) sb.Append("  # enumerated: ").Append(site.EnumerationSize).Append(" values per element");
                    if (site.ObservedData is not null) sb.Append("  # observes data: ").Append(Expr(site.ObservedData));
                    sb.Append('\n');
                    break;
            }
        }
        if (capabilities is not null)
        {
            sb.Append("# explicit: ").Append(capabilities.Explicit ? "yes" : "no").Append(" (").Append(capabilities.ExplicitReason).Append(")\n");
            if (capabilities.Implicit)
                sb.Append("# implicit: yes (score: ").Append(capabilities.Score ? "yes" : "no").Append(", ").Append(capabilities.ScoreReason).Append(")\n");
            else
                sb.Append("# implicit: no (").Append(capabilities.ImplicitReason).Append(")\n");
        }
        return sb.ToString();
    }

    public static string SupportText(SupportInfo s) => s.Kind switch
    {
        Runtime.Distributions.SupportKind.Interval => $"interval({Expr(s.Lower!)}, {Expr(s.Upper!)})",
        Runtime.Distributions.SupportKind.GreaterThan => $"greater_than({Expr(s.Lower!)})",
        Runtime.Distributions.SupportKind.LessThan => $"less_than({Expr(s.Upper!)})",
        Runtime.Distributions.SupportKind.UnitInterval => "interval(0, 1)",
        Runtime.Distributions.SupportKind.Positive => "positive",
        Runtime.Distributions.SupportKind.NonNegativeInteger => "counts",
        Runtime.Distributions.SupportKind.IntegerUpTo => $"counts_up_to({Expr(s.Upper!)})",
        _ => "real",
    };

    private static string Mark(IrExpr e) => e.Batched ? "@B" : "";

    public static string Expr(IrExpr e) => e switch
    {
        IrLiteral { Value: double d } => d.ToString("R", CultureInfo.InvariantCulture) is var s && !s.Contains('.') && !s.Contains('E') && !s.Contains("Infinity") && !s.Contains("NaN") ? s + ".0" : d.ToString("R", CultureInfo.InvariantCulture),
        IrLiteral { Value: bool b } => b ? "true" : "false",
        IrLiteral l => Convert.ToString(l.Value, CultureInfo.InvariantCulture) ?? "?",
        IrVarRef r => r.Variable.Name + Mark(r),
        IrCall c => c.Builtin.Name + "(" + string.Join(", ", CallArgs(c)) + ")",
        IrDistribution { Signature.Name: "Mixture" } d => $"Mixture({Expr(d.Args[0]!)}, [{string.Join(", ", d.Components.Select(Expr))}])",
        IrDistribution { Signature.Name: "MixtureSameFamily" } d => $"MixtureSameFamily({Expr(d.Args[0]!)}, {Expr(d.Components[0])})",
        IrDistribution d => d.Signature.Name + "(" + string.Join(", ", d.Args.Select((a, i) => a is null ? null : (d.Signature.Parameters[i].Optional ? d.Signature.Parameters[i].Name + " = " : "") + Expr(a)).Where(a => a is not null)) + ")",
        IrIndex ix => Expr(ix.Target) + "[" + string.Join(", ", ix.Items.Select(Item)) + "]",
        IrVector v => "[" + string.Join(", ", v.Items.Select(Expr)) + "]",
        IrComprehension c => $"[{Expr(c.Body)} for {c.Index.Name} in {Expr(c.Lo)}:{Expr(c.Hi)}]",
        IrConditional c => $"(if {Expr(c.Condition)} then {Expr(c.Then)} else {Expr(c.Else)})",
        IrField f => Expr(f.Target) + "." + f.Name,
        IrBlock b => "{ " + string.Concat(b.Lets.Select(l => $"let {l.Variable.Name}{(l.Variable.Batched ? "@B" : "")} = {Expr(l.Value)}; ")) + Expr(b.Result) + " }",
        IrUserCall u => u.Function.Name + "(" + string.Join(", ", u.Args.Select(Expr)) + ")",
        IrFunctionRef f => f.Function.Name,
        IrLambda l => "fun(" + string.Join(", ", l.Parameters.Select(p => p.Name + (p.Batched ? "@B" : ""))) + ") -> " + Expr(l.Body),
        IrScan s => Scan(s),
        IrSiteStep step => (step.Role == SiteRole.Latent ? "latent " : "observe ") + step.Site.Name + "[step] ~ " + Expr(step.Distribution),
        _ => e.GetType().Name,
    };

    /// <summary>A loop over several lines: its header with the states' initial values, one line per let (a state update
    /// as `set s = ...`), and the states' next values.</summary>
    private static string Scan(IrScan s)
    {
        var sb = new StringBuilder();
        sb.Append("for ").Append(s.Index.Name).Append(" in ").Append(Expr(s.Lo)).Append(':').Append(Expr(s.Hi)).Append(" (").Append(s.Steps).Append(" steps)");
        for (int i = 0; i < s.States.Count; i++)
            sb.Append(i == 0 ? " with " : ", ").Append(s.States[i].Variable.Name).Append(s.States[i].Variable.Batched ? "@B" : "").Append(" = ").Append(Expr(s.States[i].Init));
        sb.Append(" {\n");
        foreach (var (v, value) in s.Lets)
        {
            bool update = s.States.Any(st => st.Variable.Name == v.Name) && !s.Outputs.Contains(v);
            sb.Append("    ").Append(update ? "set " : "let ").Append(v.Name).Append(v.Batched ? "@B" : "").Append(" = ").Append(Expr(value)).Append('\n');
        }
        foreach (var st in s.States) sb.Append("    next ").Append(st.Variable.Name).Append(" = ").Append(Expr(st.Next)).Append('\n');
        sb.Append("  } -> ").Append(string.Join(", ", s.Outputs.Select(o => o.Name + "[]").Concat(s.States.Select(st => st.Variable.Name))));
        return sb.ToString();
    }

    private static IEnumerable<string> CallArgs(IrCall c)
    {
        for (int i = 0; i < c.Builtin.Parameters.Count; i++)
        {
            var p = c.Builtin.Parameters[i];
            if (i == c.Builtin.VariadicIndex)
            {
                foreach (var v in c.Variadic) yield return Expr(v);
                continue;
            }
            if (p.Kind == ArgKind.Static)
            {
                if (c.Attributes.TryGetValue(p.Name, out var value)) yield return p.Name + " = " + Attribute(value);
                continue;
            }
            if (i < c.Args.Count && c.Args[i] is { } a) yield return Expr(a);
        }
        foreach (var (k, v) in c.Attributes.Where(kv => c.Builtin.Parameters.All(p => p.Name != kv.Key)))
            yield return k + " = " + Attribute(v);
    }

    private static string Attribute(object value) => value switch
    {
        long[] xs => "[" + string.Join(", ", xs) + "]",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    private static string Item(IrIndexItem item) => item switch
    {
        IrIndexSingle s => Expr(s.Value),
        IrIndexSlice sl => (sl.Start is null ? "" : Expr(sl.Start)) + ":" + (sl.Stop is null ? "" : Expr(sl.Stop)) + (sl.Step is null ? "" : ":" + Expr(sl.Step)),
        IrIndexEllipsis => "...",
        _ => "_",
    };
}
