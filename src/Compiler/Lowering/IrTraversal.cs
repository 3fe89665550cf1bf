using Ppl.Compiler.Semantics;

namespace Ppl.Compiler.Lowering;

/// <summary>Generic walks over IR expressions: replacing children in place, and deep copies with renamed variables.</summary>
public static class IrTraversal
{
    /// <summary>Replaces every direct child of <paramref name="e"/> by <paramref name="f"/>(child), in place.</summary>
    public static void MapChildren(IrExpr e, Func<IrExpr, IrExpr> f)
    {
        switch (e)
        {
            case IrCall c:
                c.Args = c.Args.Select(a => a is null ? null : f(a)).ToList();
                c.Variadic = c.Variadic.Select(f).ToList();
                break;
            case IrIndex ix:
                ix.Target = f(ix.Target);
                ix.Items = ix.Items.Select(item => item switch
                {
                    IrIndexSingle s => new IrIndexSingle(f(s.Value)),
                    IrIndexSlice sl => new IrIndexSlice(sl.Start is null ? null : f(sl.Start), sl.Stop is null ? null : f(sl.Stop), sl.Step is null ? null : f(sl.Step)),
                    _ => item,
                }).ToList();
                break;
            case IrVector v:
                v.Items = v.Items.Select(f).ToList();
                break;
            case IrComprehension c:
                c.Lo = f(c.Lo);
                c.Hi = f(c.Hi);
                c.Body = f(c.Body);
                break;
            case IrConditional c:
                c.Condition = f(c.Condition);
                c.Then = f(c.Then);
                c.Else = f(c.Else);
                break;
            case IrField fl:
                fl.Target = f(fl.Target);
                break;
            case IrBlock b:
                b.Lets = b.Lets.Select(l => (l.Variable, f(l.Value))).ToList();
                b.Result = f(b.Result);
                break;
            case IrUserCall u:
                u.Args = u.Args.Select(f).ToList();
                break;
            case IrLambda l:
                l.Body = f(l.Body);
                break;
            case IrDistribution d:
                d.Args = d.Args.Select(a => a is null ? null : f(a)).ToList();
                d.Components = d.Components.Select(c => f(c) as IrDistribution ?? c).ToList();
                break;
            case IrScan s:
                s.Lo = f(s.Lo);
                s.Hi = f(s.Hi);
                foreach (var state in s.States) state.Init = f(state.Init);
                s.Lets = s.Lets.Select(l => (l.Variable, f(l.Value))).ToList();
                foreach (var state in s.States) state.Next = f(state.Next);
                break;
            case IrSiteStep step:
                step.Distribution = f(step.Distribution) as IrDistribution ?? step.Distribution;
                break;
        }
    }

    /// <summary>Rewrites bottom-up: children first, then the node itself.</summary>
    public static IrExpr BottomUp(IrExpr e, Func<IrExpr, IrExpr> f)
    {
        MapChildren(e, c => BottomUp(c, f));
        return f(e);
    }

    /// <summary>Every node, parents before children.</summary>
    public static IEnumerable<IrExpr> Descendants(IrExpr e)
    {
        // An explicit stack: nested iterators would cost time quadratic in the depth (a long sum is a deep tree).
        var pending = new Stack<IrExpr>();
        pending.Push(e);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            yield return node;
            var children = node.Children.ToList();
            for (int i = children.Count - 1; i >= 0; i--) pending.Push(children[i]);
        }
    }

    /// <summary>A deep copy in which variables found in <paramref name="map"/> are replaced and variables bound inside
    /// the copy (block lets, comprehension indices, lambda parameters) are renewed.</summary>
    public static IrExpr Clone(IrExpr e, Dictionary<IrVariable, IrVariable> map)
    {
        IrExpr copy;
        switch (e)
        {
            case IrLiteral l:
                copy = new IrLiteral(l.Value, l.Type, l.Range);
                break;
            case IrVarRef r:
                copy = new IrVarRef(map.TryGetValue(r.Variable, out var nv) ? nv : r.Variable, r.Range);
                break;
            case IrCall c:
                copy = new IrCall(c.Builtin, c.Args.Select(a => a is null ? null : Clone(a, map)).ToList(), c.Variadic.Select(v => Clone(v, map)).ToList(),
                    c.Type, c.Range, c.Attributes);
                break;
            case IrIndex ix:
                copy = new IrIndex(Clone(ix.Target, map), ix.Items.Select(item => item switch
                {
                    IrIndexSingle s => new IrIndexSingle(Clone(s.Value, map)),
                    IrIndexSlice sl => new IrIndexSlice(sl.Start is null ? null : Clone(sl.Start, map), sl.Stop is null ? null : Clone(sl.Stop, map), sl.Step is null ? null : Clone(sl.Step, map)),
                    _ => item,
                }).ToList(), ix.Type, ix.Range);
                break;
            case IrVector v:
                copy = new IrVector(v.Items.Select(i => Clone(i, map)).ToList(), v.Type, v.Range);
                break;
            case IrComprehension c:
            {
                var index = Renew(c.Index, map);
                copy = new IrComprehension(index, Clone(c.Lo, map), Clone(c.Hi, map), Clone(c.Body, map), c.Type, c.Range);
                break;
            }
            case IrConditional c:
                copy = new IrConditional(Clone(c.Condition, map), Clone(c.Then, map), Clone(c.Else, map), c.Type, c.Range);
                break;
            case IrField f:
                copy = new IrField(Clone(f.Target, map), f.Name, f.Type, f.Range);
                break;
            case IrBlock b:
            {
                var lets = new List<(IrVariable, IrExpr)>();
                foreach (var (v, value) in b.Lets)
                {
                    var cv = Clone(value, map);
                    lets.Add((Renew(v, map), cv));
                }
                copy = new IrBlock(lets, Clone(b.Result, map), b.Range) { CallSite = b.CallSite, ArgumentLets = b.ArgumentLets };
                break;
            }
            case IrUserCall u:
                copy = new IrUserCall(u.Function, u.Args.Select(a => Clone(a, map)).ToList(), u.Range);
                break;
            case IrFunctionRef f:
                copy = new IrFunctionRef(f.Function, f.Range);
                break;
            case IrLambda l:
            {
                var ps = l.Parameters.Select(p => Renew(p, map)).ToList();
                copy = new IrLambda(ps, Clone(l.Body, map), l.Type, l.Range);
                break;
            }
            case IrDistribution d:
                copy = new IrDistribution(d.Signature, d.Args.Select(a => a is null ? null : Clone(a, map)).ToList(), (Semantics.TensorType)d.Type, d.Range)
                {
                    Components = d.Components.Select(c => (IrDistribution)Clone(c, map)).ToList(),
                };
                break;
            case IrScan s:
            {
                var index = Renew(s.Index, map);
                var lo = Clone(s.Lo, map);
                var hi = Clone(s.Hi, map);
                // The initial values are outside the loop's scope: cloned before the states are renewed.
                var inits = s.States.Select(st => Clone(st.Init, map)).ToList();
                var states = s.States.Select((st, i) => new IrLoopState(Renew(st.Variable, map), inits[i])).ToList();
                var lets = new List<(IrVariable, IrExpr)>();
                foreach (var (v, value) in s.Lets)
                {
                    var cv = Clone(value, map);
                    lets.Add((Renew(v, map), cv));
                }
                for (int i = 0; i < states.Count; i++) states[i].Next = Clone(s.States[i].Next, map);
                copy = new IrScan(index, lo, hi, s.Steps, states, lets, s.Outputs.Select(o => map.TryGetValue(o, out var m) ? m : o).ToList(), (ObjectType)s.Type, s.Range);
                break;
            }
            default:
                throw new InvalidOperationException($"cannot copy IR node {e.GetType().Name}");
        }
        copy.Batched = e.Batched;
        return copy;
    }

    private static IrVariable Renew(IrVariable v, Dictionary<IrVariable, IrVariable> map)
    {
        var fresh = new IrVariable(v.Name, v.Kind == VariableKind.FunctionParameter ? VariableKind.Local : v.Kind, v.Type, v.Range)
        {
            Batched = v.Batched,
            DataOnly = v.DataOnly,
        };
        map[v] = fresh;
        return fresh;
    }
}
