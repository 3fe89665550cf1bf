using Ppl.Compiler.Lowering;
using Ppl.Compiler.Semantics;
using Ppl.Runtime.Abstractions;
using Ppl.Runtime.Distributions;

namespace Ppl.Compiler.CodeGen;

/// <summary>
/// Emits into <c>Bind</c> the checks of values a site's distribution cannot use and that are known once the data are bound:
/// every argument that depends on data only (unbatched, no random variable) is checked against its parameter's domain
/// (<c>b.CheckArgument</c>, error PPL0411), and an observed site whose support does not depend on random variables asks
/// for its value to be checked against that support when it is bound (<c>b.CheckObserved</c>, error PPL0412).
/// </summary>
internal static class DataDomainCheckEmitter
{
    /// <summary>The binding-time values that depend on data (not only on literals), in body order.</summary>
    public static HashSet<IrVariable> DataDependentValues(IrModel model)
    {
        var result = new HashSet<IrVariable>();
        foreach (var statement in model.Body)
            if (statement is IrLet { Variable.Kind: VariableKind.Hoisted } let && DependsOnData(let.Value, result))
                result.Add(let.Variable);
        return result;
    }

    private static bool DependsOnData(IrExpr e, HashSet<IrVariable> dataDependent) =>
        IrTraversal.Descendants(e).Any(n => n is IrVarRef r && (r.Variable.Kind == VariableKind.Data || dataDependent.Contains(r.Variable)));

    /// <param name="dataDependent">From <see cref="DataDependentValues"/>: arguments made of literals only are left to the
    /// compiler's checks, not repeated at every binding.</param>
    public static void Emit(IrSite site, ExpressionEmitter emitter, List<CsStatement> bind, int location, HashSet<IrVariable> dataDependent)
    {
        // A loop site's arguments are computed per step, inside the loop: nothing to check at binding time.
        if (site.Distribution is not { } distribution || site.Step is not null) return;
        var saved = emitter.BatchSize;
        emitter.BatchSize = null;
        var checks = new List<CsStatement>();
        try
        {
            // Every argument of the distribution and, for a mixture, of its components (the weights included).
            foreach (var part in distribution.SelfAndComponents())
            {
                var signature = DistributionCatalog.Find(part.Signature.Name)
                    ?? DistributionCatalog.Combinators.FirstOrDefault(c => c.Name == part.Signature.Name);
                if (signature is null) continue;
                for (int k = 0; k < part.Args.Count && k < signature.Parameters.Count; k++)
                {
                    if (part.Args[k] is not { } arg || !KnownAtBinding(arg) || !DependsOnData(arg, dataDependent)) continue;
                    var value = emitter.Into(checks, () => emitter.Tensor(arg));
                    var r = arg.Range;
                    checks.Add(new CsLine($"b.CheckArgument({value}, Ppl.Runtime.Distributions.ParameterDomain.{signature.Parameters[k].Domain}, "
                        + $"{ModelEmitter.Quote(signature.Name)}, {ModelEmitter.Quote(signature.Parameters[k].Name)}, {ModelEmitter.Quote(Describe(arg))}, "
                        + $"{r.Start.Line}, {r.Start.Column}, {r.End.Line}, {r.End.Column});"));
                }
            }
            // The support of a mixture is its components'; only a plain distribution's is checked here.
            if (DistributionCatalog.Find(distribution.Signature.Name) is { } runtime)
            {
                var support = distribution.Signature.Support(distribution.Args);
                bool supportKnown = support.Kind != SupportKind.Real
                    && (support.Lower is null || KnownAtBinding(support.Lower)) && (support.Upper is null || KnownAtBinding(support.Upper));
                if (support.Kind == SupportKind.Interval && support.Lower is { } low && support.Upper is { } high
                    && KnownAtBinding(low) && KnownAtBinding(high) && (DependsOnData(low, dataDependent) || DependsOnData(high, dataDependent)))
                {
                    var lowValue = emitter.Into(checks, () => emitter.Tensor(low));
                    var highValue = emitter.Into(checks, () => emitter.Tensor(high));
                    var r = distribution.Range;
                    checks.Add(new CsLine($"b.CheckBounds({lowValue}, {highValue}, {ModelEmitter.Quote(runtime.Name)}, "
                        + $"{ModelEmitter.Quote(Describe(low, "the lower bound"))}, {ModelEmitter.Quote(Describe(high, "the upper bound"))}, "
                        + $"{r.Start.Line}, {r.Start.Column}, {r.End.Line}, {r.End.Column});"));
                }
                if (site.Role == SiteRole.Observed && supportKnown)
                {
                    var lower = support.Lower is null ? "null" : emitter.Into(checks, () => emitter.Tensor(support.Lower));
                    var upper = support.Upper is null ? "null" : emitter.Into(checks, () => emitter.Tensor(support.Upper));
                    checks.Add(new CsLine($"b.CheckObserved({site.Variable.Index}, {ModelEmitter.Quote(runtime.Name)}, "
                        + $"Ppl.Runtime.Distributions.SupportKind.{support.Kind}, {lower}, {upper});"));
                }
            }
        }
        finally
        {
            emitter.BatchSize = saved;
        }
        if (checks.Count == 0) return;
        bind.Add(new CsLine($"_at = {location};"));
        bind.AddRange(checks);
    }

    /// <summary>Whether the value is computed from data only and can be emitted in Bind: after hoisting, a literal, a data
    /// value, a binding-time value, or host arithmetic on them (never a local of an inlined block or a loop index).</summary>
    private static bool KnownAtBinding(IrExpr e) =>
        !e.Batched && e.Type is TensorType && StaticEvaluator.IsDataOnly(e)
        && IrTraversal.Descendants(e).All(n => n switch
        {
            IrVarRef r => r.Variable.Kind is VariableKind.Data or VariableKind.Hoisted,
            IrBlock or IrComprehension or IrLambda or IrUserCall => false,
            _ => true,
        });

    /// <summary>How the message names the argument: its data or `let` name, else <paramref name="otherwise"/>.</summary>
    private static string Describe(IrExpr e, string otherwise = "the argument") =>
        e is IrVarRef r && !r.Variable.Name.StartsWith('_') ? r.Variable.Name : otherwise;
}
