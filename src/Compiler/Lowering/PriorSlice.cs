namespace Ppl.Compiler.Lowering;

/// <summary>
/// The dependency slice of the model body that the params' prior needs: every param site, and every statement of the
/// run (not hoisted to binding time) whose variable a statement of the slice reads, transitively. The emitter writes
/// these statements, in body order, as <c>RunPrior</c>, so that evaluating log p(θ) (NLE's posterior, pushing NPE draws
/// through the bijectors, drawing prior points) does not run the forward model: on the lensing model the slice is the six
/// param sites, without the spectra, FFTs and eigen-decompositions that only the observation needs.
/// A latent or observation that a prior reads stays in the slice (and the context gives it the value it would give in
/// the full run), so the slice computes the same params' prior terms as the whole body.
/// </summary>
public static class PriorSlice
{
    /// <summary>The statements of <paramref name="model"/>'s body in the slice (a subset of the body).</summary>
    public static IReadOnlySet<IrStatement> Statements(IrModel model)
    {
        var definedBy = new Dictionary<IrVariable, IrStatement>();
        foreach (var statement in model.Body)
        {
            if (statement is IrLet { Variable.Kind: not VariableKind.Hoisted } let) definedBy[let.Variable] = let;
            if (statement is IrSite site) definedBy[site.Variable] = site;
        }
        var slice = new HashSet<IrStatement>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<IrStatement>(model.Sites.Where(s => s.Role == Ppl.Runtime.Abstractions.SiteRole.Param));
        while (pending.Count > 0)
        {
            var statement = pending.Pop();
            if (!slice.Add(statement)) continue;
            foreach (var variable in Reads(statement))
                if (definedBy.TryGetValue(variable, out var definition) && !slice.Contains(definition))
                    pending.Push(definition);
        }
        return slice;
    }

    /// <summary>The variables a statement reads: those referenced by its expressions, and for a site declared in a loop
    /// the loop whose value holds it.</summary>
    private static IEnumerable<IrVariable> Reads(IrStatement statement)
    {
        var expressions = statement switch
        {
            IrLet let => new[] { let.Value },
            IrFactor factor => new[] { factor.Value },
            IrSite site => new IrExpr?[] { site.Distribution, site.Exact }.OfType<IrExpr>().ToArray(),
            _ => Array.Empty<IrExpr>(),
        };
        foreach (var e in expressions)
            foreach (var node in IrTraversal.Descendants(e))
                if (node is IrVarRef r) yield return r.Variable;
        if (statement is IrSite { Loop: { } loop }) yield return loop;
    }
}
