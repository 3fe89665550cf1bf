namespace Ppl.Compiler.Lowering;

/// <summary>
/// Decides which values carry the leading batch dimension: everything that depends on a random site (a param, latent or
/// observed value). Data, and values computed from data alone, are unbatched and computed once. Runs after inlining so
/// that each inlined function body is batched according to its own arguments.
/// </summary>
public static class BatchingAnalysis
{
    public static void Run(IrModel model)
    {
        foreach (var d in model.Data)
        {
            d.Variable.Batched = false;
            d.Variable.DataOnly = true;
            if (d.Default is not null) Visit(d.Default);
        }
        foreach (var statement in model.Body)
        {
            switch (statement)
            {
                case IrLet let:
                    Visit(let.Value);
                    let.Variable.Batched = let.Value.Batched;
                    let.Variable.DataOnly = Semantics.StaticEvaluator.IsDataOnly(let.Value);
                    break;
                case IrFactor factor:
                    Visit(factor.Value);
                    break;
                case IrSite site:
                    if (site.Distribution is not null) Visit(site.Distribution);
                    if (site.Exact is not null) Visit(site.Exact);
                    site.Variable.Batched = true;
                    site.Variable.DataOnly = false;
                    break;
            }
        }
    }

    /// <summary>A loop: a state is batched when its initial value or an update is (iterated until no state changes); the
    /// loop's outputs are batched when anything in its body is.</summary>
    private static bool VisitScan(IrScan s)
    {
        Visit(s.Lo);
        Visit(s.Hi);
        s.Index.Batched = false;
        s.Index.DataOnly = false;
        foreach (var state in s.States)
        {
            state.Variable.Batched = Visit(state.Init);
            state.Variable.DataOnly = false;
        }
        for (int pass = 0; pass <= s.States.Count; pass++)
        {
            foreach (var (v, value) in s.Lets)
            {
                v.Batched = Visit(value);
                v.DataOnly = false;
            }
            bool grew = false;
            foreach (var state in s.States)
                if (Visit(state.Next) && !state.Variable.Batched)
                {
                    state.Variable.Batched = true;
                    grew = true;
                }
            if (!grew) break;
        }
        s.Batched = s.Lets.Any(l => l.Value.Batched) || s.States.Any(st => st.Variable.Batched);
        return s.Batched;
    }

    /// <summary>Sets <see cref="IrExpr.Batched"/> bottom-up; binders (block lets, lambda parameters) are set on the way.</summary>
    public static bool Visit(IrExpr e)
    {
        switch (e)
        {
            case IrVarRef r:
                e.Batched = r.Variable.Batched;
                return e.Batched;
            case IrBlock b:
                foreach (var (v, value) in b.Lets)
                {
                    Visit(value);
                    v.Batched = value.Batched;
                    v.DataOnly = Semantics.StaticEvaluator.IsDataOnly(value);
                }
                e.Batched = Visit(b.Result);
                return e.Batched;
            case IrComprehension c:
                Visit(c.Lo);
                Visit(c.Hi);
                c.Index.Batched = false;
                c.Index.DataOnly = false;
                e.Batched = Visit(c.Body);
                return e.Batched;
            case IrScan s:
                return VisitScan(s);
            case IrSiteStep step:
                Visit(step.Distribution);
                e.Batched = true;
                return true;
            case IrCall { Builtin.Name: "odeint" or "odeint_adaptive" } ode when ode.Args[0] is IrLambda lambda:
            {
                bool any = Visit(ode.Args[1]!);
                Visit(ode.Args[2]!);
                for (int i = 0; i < ode.Variadic.Count; i++) any |= Visit(ode.Variadic[i]);
                // The state is batched when the initial value or any extra argument is; iterate once more if the body
                // itself produces batched derivatives from batched arguments.
                var ps = lambda.Parameters;
                ps[0].Batched = false;
                ps[0].DataOnly = false;
                ps[1].Batched = any;
                ps[1].DataOnly = false;
                for (int i = 2; i < ps.Count; i++)
                {
                    ps[i].Batched = ode.Variadic[i - 2].Batched;
                    ps[i].DataOnly = false;
                }
                lambda.Batched = Visit(lambda.Body) || any;
                ode.Batched = any;
                return any;
            }
            default:
            {
                bool any = false;
                foreach (var c in e.Children) any |= Visit(c);
                e.Batched = any;
                return any;
            }
        }
    }
}
