using Ppl.Compiler.Semantics;
using Ppl.Dsl;

namespace Ppl.Compiler.Lowering;

/// <summary>
/// Moves computation that depends only on data out of the per-run body: data-only `let`s become binding-time values, and
/// data-only sub-expressions of run-time statements (a `zeros(J)` prior mean, an ell grid inside a formula) become new
/// binding-time values computed once per model instance instead of at every evaluation.
/// </summary>
public static class Hoisting
{
    public static void Run(IrModel model)
    {
        int counter = 0;
        var body = new List<IrStatement>();
        foreach (var statement in model.Body)
        {
            if (statement is IrLet let && let.Variable.DataOnly && !let.Variable.Batched)
            {
                let.Variable.Kind = VariableKind.Hoisted;
                body.Add(let);
                continue;
            }
            var extracted = new List<IrLet>();
            var callSites = new Stack<SourceRange>();
            IrExpr Extract(IrExpr e)
            {
                if (ShouldHoist(e))
                {
                    var v = new IrVariable($"_h{counter++}", VariableKind.Hoisted, e.Type, e.Range) { DataOnly = true };
                    extracted.Add(new IrLet(v, e, e.Range) { CallSites = callSites.ToList() });
                    return new IrVarRef(v, e.Range);
                }
                if (e is IrBlock { CallSite: { } site } call)
                {
                    // An inlined call: its arguments are at the call site, its body inside the function.
                    var lets = call.Lets.Take(call.ArgumentLets).Select(l => (l.Variable, Extract(l.Value))).ToList();
                    callSites.Push(site);
                    lets.AddRange(call.Lets.Skip(call.ArgumentLets).Select(l => (l.Variable, Extract(l.Value))).ToList());
                    call.Lets = lets;
                    call.Result = Extract(call.Result);
                    callSites.Pop();
                    return e;
                }
                IrTraversal.MapChildren(e, Extract);
                return e;
            }
            switch (statement)
            {
                case IrLet l: l.Value = Extract(l.Value); break;
                case IrFactor f: f.Value = Extract(f.Value); break;
                case IrSite { Step: not null }:
                    break;
                case IrSite s:
                    if (s.Distribution is not null) IrTraversal.MapChildren(s.Distribution, Extract);
                    if (s.Exact is not null) s.Exact = Extract(s.Exact);
                    break;
            }
            body.AddRange(extracted);
            body.Add(statement);
        }
        model.Body.Clear();
        model.Body.AddRange(body);
    }

    /// <summary>Worth computing once: data-only, not already a name or a literal, not a static argument, and not using a
    /// local of an enclosing block (an inlined function's argument or let), which exists only where the block runs.</summary>
    private static bool ShouldHoist(IrExpr e) =>
        !e.Batched && e is not (IrLiteral or IrVarRef or IrFunctionRef or IrLambda or IrDistribution) && e.Type is TensorType or ObjectType
        && StaticEvaluator.IsDataOnly(e) && !IsHostScalar(e) && !UsesOuterLocals(e);

    private static bool UsesOuterLocals(IrExpr e)
    {
        var bound = new HashSet<IrVariable>();
        foreach (var node in IrTraversal.Descendants(e))
            if (node is IrBlock b)
                foreach (var (v, _) in b.Lets) bound.Add(v);
        return IrTraversal.Descendants(e).Any(n => n is IrVarRef { Variable.Kind: VariableKind.Local } r && !bound.Contains(r.Variable));
    }

    /// <summary>Int scalar arithmetic on data sizes stays plain C# arithmetic.</summary>
    private static bool IsHostScalar(IrExpr e) =>
        e.Type is TensorType { IsScalar: true } t && t.Elem.IsInt;
}
