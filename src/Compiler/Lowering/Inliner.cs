namespace Ppl.Compiler.Lowering;

/// <summary>
/// Replaces calls of user functions by their bodies (a block binding the parameters to the arguments), so that every
/// expression's batching follows from its actual arguments; a function passed to `odeint` becomes a lambda whose first
/// two parameters (time, state) are bound by the integrator and the rest by the extra arguments.
/// </summary>
public static class Inliner
{
    public static void Run(IrModel model)
    {
        foreach (var data in model.Data.ToList())
            if (data.Default is not null)
                model.Data[model.Data.IndexOf(data)] = data with { Default = Inline(data.Default) };
        foreach (var statement in model.Body)
        {
            switch (statement)
            {
                case IrLet let: let.Value = Inline(let.Value); break;
                case IrFactor factor: factor.Value = Inline(factor.Value); break;
                // A site of a loop body shares its distribution with the loop, which is inlined as the let before it.
                case IrSite { Step: not null }:
                    break;
                case IrSite site:
                    if (site.Distribution is not null) site.Distribution = (IrDistribution)Inline(site.Distribution);
                    if (site.Exact is not null) site.Exact = Inline(site.Exact);
                    break;
            }
        }
    }

    private static IrExpr Inline(IrExpr e) => IrTraversal.BottomUp(e, node => node switch
    {
        IrUserCall call => Expand(call),
        IrCall { Builtin.Name: "odeint" or "odeint_adaptive" } ode when ode.Args[0] is IrFunctionRef f => WithLambda(ode, f),
        _ => node,
    });

    private static IrExpr Expand(IrUserCall call)
    {
        var map = new Dictionary<IrVariable, IrVariable>();
        var lets = new List<(IrVariable, IrExpr)>();
        for (int i = 0; i < call.Function.Parameters.Count; i++)
        {
            var p = call.Function.Parameters[i];
            var fresh = new IrVariable(p.Name, VariableKind.Local, p.Type, p.Range);
            map[p] = fresh;
            lets.Add((fresh, call.Args[i]));
        }
        var body = (IrBlock)IrTraversal.Clone(call.Function.Body, map);
        var inlined = new IrBlock(lets.Concat(body.Lets).ToList(), body.Result, call.Range) { CallSite = call.Range, ArgumentLets = lets.Count };
        // The body may itself call functions.
        return Inline(inlined);
    }

    private static IrExpr WithLambda(IrCall ode, IrFunctionRef f)
    {
        var map = new Dictionary<IrVariable, IrVariable>();
        var parameters = f.Function.Parameters.Select(p =>
        {
            var fresh = new IrVariable(p.Name, VariableKind.Local, p.Type, p.Range);
            map[p] = fresh;
            return fresh;
        }).ToList();
        var body = Inline(IrTraversal.Clone(f.Function.Body, map));
        var args = ode.Args.ToList();
        args[0] = new IrLambda(parameters, body, f.Function.Type, f.Range);
        ode.Args = args;
        return ode;
    }
}
