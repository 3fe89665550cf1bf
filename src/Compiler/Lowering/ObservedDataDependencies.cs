using Ppl.Dsl;

namespace Ppl.Compiler.Lowering;

/// <summary>
/// Decides whether a simulation can run a model that observes some of its data (`observe y ~ d` or `observe y[5:N] ~ d`
/// with `y` declared `data`). When inferring, every statement reads the bound data, so nothing changes. A simulation
/// draws the observation instead, so a statement that needs the data value `y` to compute something random — a
/// distribution's argument, a `factor`, a let depending on a random variable (a simulation output) — would read values
/// that the simulation replaces, or draws only later: the model is then not simulatable, with the reason. The common
/// case is an autoregression written with shifted copies of `y` (`y[t - k]` as covariates of `y[t]`): the
/// observation's distribution depends on `y` itself, a cycle that only drawing the elements one at a time can resolve.
/// Statements after a whole `observe y ~ d` name the site itself, not the data, and are fine.
/// </summary>
public static class ObservedDataDependencies
{
    public static void Run(IrModel model)
    {
        foreach (var observed in model.Sites.Where(s => s.ObservedDataVariable is not null))
        {
            if (Blocker(model, observed) is { } blocker)
            {
                model.ObservedDataSimulationBlocker = blocker;
                return;
            }
        }
    }

    private static (string, SourceRange)? Blocker(IrModel model, IrSite observed)
    {
        var data = observed.ObservedDataVariable!;
        string name = data.Name;
        string at = Where(observed.Range);
        // Every variable whose value depends on the data y, with the let it came through (for the message).
        var dependent = new Dictionary<IrVariable, string> { [data] = $"it reads {name}" };
        string? Reads(IrExpr e)
        {
            foreach (var node in IrTraversal.Descendants(e))
                if (node is IrVarRef r && dependent.TryGetValue(r.Variable, out var how))
                    return r.Variable == data ? $"it reads {name} at {Where(r.Range)}" : $"through let {r.Variable.Name} at {Where(r.Variable.Range)}";
            return null;
        }
        (string, SourceRange)? pending = null;
        foreach (var d in model.Data)
            if (d.Default is not null && Reads(d.Default) is not null)
                return ($"the default of data {d.Variable.Name} at {Where(d.Range)} reads {name}, which observe {name} at {at} draws in a simulation", d.Range);
        foreach (var statement in model.Body)
        {
            switch (statement)
            {
                case IrSite site when site == observed:
                    if (Reads(site.Distribution!) is { } how)
                        return ($"observe {name} at {at} depends on {name} itself ({how}), so a simulation would have to draw its elements one at a time; "
                            + "write the recursion as a loop over the steps to simulate it", site.Range);
                    break;
                case IrSite site:
                    if ((site.Distribution ?? site.Exact) is { } e && Reads(e) is { } how2)
                        return ($"{Role(site)} {site.Variable.Name} at {Where(site.Range)} depends on {name} ({how2}), which observe {name} at {at} draws in a simulation", site.Range);
                    break;
                case IrFactor factor:
                    if (Reads(factor.Value) is { } how3)
                        return ($"the factor at {Where(factor.Range)} depends on {name} ({how3}), which observe {name} at {at} draws in a simulation", factor.Range);
                    break;
                case IrLet let:
                    if (Reads(let.Value) is { } how4)
                    {
                        // A let of y and random variables is a simulation output computed from data the simulation
                        // replaces; reported unless the observation itself depends on it (the cycle says more).
                        if (let.Variable.Batched)
                            pending ??= ($"let {let.Variable.Name} at {Where(let.Range)} depends on {name} ({how4}) and on random variables, and observe {name} at {at} draws {name} in a simulation", let.Range);
                        dependent[let.Variable] = how4;
                    }
                    break;
            }
        }
        return pending;
    }

    private static string Role(IrSite s) => s.Role switch
    {
        Runtime.Abstractions.SiteRole.Param => "param",
        Runtime.Abstractions.SiteRole.Latent => "latent",
        _ => "observe",
    };

    private static string Where(SourceRange r) => $"{r.Start.Line}:{r.Start.Column}";
}
