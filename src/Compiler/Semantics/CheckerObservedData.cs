using Ppl.Compiler.Lowering;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Semantics;

/// <summary>
/// Data reused as an observation: `observe y ~ d` where `y` is declared `data`, or `observe y[5:N] ~ d` for a part of it.
/// Statements before the observation (and its own distribution) read the data value, so they stay data-only and are
/// hoisted to binding time; after a whole `observe y ~ d`, `y` names the observed site (the bound data when inferring, the
/// draw when simulating). The observed value is the data (or its part), bound once. Whether a simulation can draw the
/// site — not when its distribution depends on `y` itself, as an autoregression written with shifted `y` does — is
/// decided by <see cref="ObservedDataDependencies"/>.
/// </summary>
public sealed partial class Checker
{
    private readonly Dictionary<string, IrSite> _observedData = new();

    /// <summary>Whether <paramref name="decl"/> observes data (and was checked here).</summary>
    private bool TryCheckObservedData(Decl decl)
    {
        switch (decl)
        {
            case Decl.ObservePart part:
                CheckObservedData(Syntax.declName(decl), part.Target, part.Dist, part.Range, whole: false);
                return true;
            case Decl.Observe { Rhs: ObserveRhs.Distributed dist } o
                when _globals.TryGetValue(o.Name.Name, out var existing) && existing is IrVariable { Kind: VariableKind.Data }:
                CheckObservedData(o.Name, Expr.NewVar(o.Name), dist.Dist, o.Range, whole: true, o.Type?.Value);
                return true;
            default:
                return false;
        }
    }

    private void CheckObservedData(Ident name, Expr targetSyntax, Expr distSyntax, SourceRange range, bool whole, TypeExpr? typeSyntax = null)
    {
        if (_observedData.TryGetValue(name.Name, out var earlier))
        {
            _diagnostics.Error(DiagnosticCatalogue.BadObservedData, name.Range, $"data '{name.Name}' is already observed at line {earlier.Range.Start.Line}",
                "observe each data value once; split it into separate data declarations to observe parts with different distributions");
            return;
        }
        if (_globals.TryGetValue(name.Name, out var existing) && existing is not IrVariable { Kind: VariableKind.Data })
        {
            var where = existing switch { IrVariable v => v.Range, IrFunction f => f.Range, _ => name.Range };
            _diagnostics.Error(DiagnosticCatalogue.BadObservedData, name.Range, $"observe {name.Name}[...]: '{name.Name}' (line {where.Start.Line}) is not data; only a part of data can be observed",
                $"declare it 'data {name.Name}: ...' to observe a part of it");
            return;
        }
        var target = CheckExpr(targetSyntax);
        var dist = CheckDistribution(distSyntax, name.Name, SiteRole.Observed);
        if (target.Type is not TensorType type || dist is null) return;
        if (typeSyntax is not null && ResolveType(typeSyntax) is { } declared)
            RequireAssignable(target, declared, $"observe {name.Name}", allowScalarBroadcast: false);
        var valueType = (TensorType)dist.Type;
        if (type.Elem.IsInt != valueType.Elem.IsInt || !(type.Elem.IsReal || type.Elem.IsInt))
        {
            _diagnostics.Error(DiagnosticCatalogue.DistributionDoesNotFit, target.Range,
                $"'{Text(target)}' is {type.Display}, but {dist.Signature.Name} gives {(valueType.Elem.IsInt ? "int" : "real")} values",
                valueType.Elem.IsInt ? $"declare it data {name.Name}: int[...] (counts as integers)" : null);
            return;
        }
        CheckSiteShape(name.Name, dist, valueType, type, target.Range);
        if (dist.Signature.IsFlat)
        {
            _diagnostics.Error(DiagnosticCatalogue.ImproperPriorMisused, dist.Range, $"observe {name.Name}: Flat() is an improper prior, not a likelihood");
            return;
        }
        var data = (IrVariable)_globals[name.Name];
        var variable = new IrVariable(name.Name, VariableKind.Site, type, name.Range)
        {
            Batched = true,
            Role = SiteRole.Observed,
            Index = _siteCount++,
        };
        dist.Type = type.WithElem(valueType.Elem);
        var site = new IrSite(variable, SiteRole.Observed, dist, null, type, type.Display, range)
        {
            SourceText = Text(dist),
            SupportText = SupportText(dist.Support()),
            ObservedData = target,
            ObservedDataVariable = data,
        };
        _model.Body.Add(site);
        _observedData[name.Name] = site;
        // After a whole observation the name is the site: the bound data when inferring, the draw when simulating.
        if (whole) _globals[name.Name] = variable;
    }
}
