using Ppl.Compiler.Lowering;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Semantics;

/// <summary>
/// `for t in lo:hi with s = init { ... }`: the loop with carried state. The bounds are ints that depend only on data; each
/// state keeps the type and shape of its initial value; the body's lets, latents and observes are per-step values that
/// after the loop are stacked along a new leading axis of hi − lo steps, and each state is its final value.
/// </summary>
public sealed partial class Checker
{
    private sealed record LoopSiteInfo(IrVariable Site, IrSiteStep Step, IrDistribution Distribution, TensorType Stacked, string TypeText, SourceRange Range);

    private void CheckLoop(Decl.Loop loop)
    {
        if (CheckLoopCore(loop) is not var (scan, sites, lets)) return;
        var loopVariable = new IrVariable($"_loop{loop.Range.Start.Line}", VariableKind.Let, scan.Type, loop.Range) { Batched = scan.Batched };
        _model.Body.Add(new IrLet(loopVariable, scan, loop.Range));
        var loopRef = new IrVarRef(loopVariable, loop.Range) { Batched = scan.Batched };

        // After the loop: each let is its stacked value, each site the stack of its steps, each state its final value.
        foreach (var (name, range, declRange) in lets)
        {
            if (!DeclareAfterLoop(name, range)) continue;
            if (((ObjectType)scan.Type).Fields[name] is not TensorType type) continue;
            var value = new IrField(loopRef, name, type, range) { Batched = scan.Batched };
            var variable = new IrVariable(name, VariableKind.Let, type, range) { Batched = scan.Batched };
            _globals[name] = variable;
            _model.Body.Add(new IrLet(variable, value, declRange));
        }
        foreach (var site in sites)
        {
            if (!DeclareAfterLoop(site.Site.Name, site.Site.Range)) continue;
            _globals[site.Site.Name] = site.Site;
            _model.Body.Add(new IrSite(site.Site, site.Step.Role, site.Distribution, null, site.Stacked, site.TypeText, site.Range)
            {
                SourceText = Text(site.Distribution),
                SupportText = SupportText(site.Distribution.Support()),
                Loop = loopVariable,
                Step = site.Step,
            });
        }
        foreach (var state in scan.States)
        {
            var name = state.Variable.Name;
            if (!DeclareAfterLoop(name, state.Variable.Range)) continue;
            var type = (TensorType)state.Variable.Type;
            var variable = new IrVariable(name, VariableKind.Let, type, state.Variable.Range) { Batched = scan.Batched };
            _globals[name] = variable;
            _model.Body.Add(new IrLet(variable, new IrField(loopRef, name, type, state.Variable.Range) { Batched = scan.Batched }, state.Variable.Range));
        }
    }

    /// <summary>A loop in a function's block body: bound to a local, and its outputs and final states to locals named
    /// after them for the lets that follow.</summary>
    private void CheckFunctionLoop(Decl.Loop loop, Dictionary<string, IrVariable> scope, List<(IrVariable, IrExpr)> lets, string function)
    {
        if (CheckLoopCore(loop) is not var (scan, _, outputs)) return;
        var loopVariable = new IrVariable($"_loop{loop.Range.Start.Line}", VariableKind.Local, scan.Type, loop.Range) { Batched = scan.Batched };
        lets.Add((loopVariable, scan));
        var loopRef = new IrVarRef(loopVariable, loop.Range) { Batched = scan.Batched };
        var names = outputs.Select(o => (o.Name, o.Range)).Concat(scan.States.Select(s => (s.Variable.Name, s.Variable.Range)));
        foreach (var (name, range) in names)
        {
            if (((ObjectType)scan.Type).Fields[name] is not TensorType type) continue;
            var variable = new IrVariable(name, VariableKind.Local, type, range) { Batched = scan.Batched };
            if (!scope.TryAdd(name, variable))
            {
                _diagnostics.Error(DiagnosticCatalogue.DeclaredTwice, range, $"'{name}' is already declared in {function}");
                continue;
            }
            lets.Add((variable, new IrField(loopRef, name, type, range) { Batched = scan.Batched }));
        }
    }

    private (IrScan Scan, List<LoopSiteInfo> Sites, List<(string Name, SourceRange Range, SourceRange DeclRange)> Lets)? CheckLoopCore(Decl.Loop loop)
    {
        var lo = CheckExpr(loop.Lo);
        var hi = CheckExpr(loop.Hi);
        var loDim = RequireSize(lo, "the start of a loop range");
        var hiDim = RequireSize(hi, "the end of a loop range");
        Dim? steps = null;
        if (loDim is not null && hiDim is not null)
        {
            steps = loDim.IsKnown && loDim.Constant == 0 ? hiDim : Dim.Add(hiDim, loDim, -1);
            if (steps is null)
                _diagnostics.Error(DiagnosticCatalogue.SizeNotFromData, RangeOf(loop.Lo, loop.Hi),
                    $"the number of steps of the loop range {Text(lo)}:{Text(hi)} cannot be computed as a size",
                    "start the range at 0, or write its bounds from int data and literals with + and *");
            else if (steps.IsKnown && steps.Constant <= 0)
            {
                _diagnostics.Error(DiagnosticCatalogue.EmptyLoopRange, RangeOf(loop.Lo, loop.Hi),
                    $"the loop range {Text(lo)}:{Text(hi)} has no step (it runs for t = lo, …, hi − 1)", "the end of the range must be greater than its start");
                steps = null;
            }
        }
        var inits = new List<(Ident Name, IrExpr Init, TensorType? Type)>();
        foreach (var state in loop.States)
        {
            var init = CheckExpr(state.Init);
            TensorType? type = init.Type as TensorType;
            if (init.Type is not ErrorType && type is null)
                _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, init.Range, $"the loop state '{state.Name.Name}' must be a tensor, but '{Text(init)}' is {init.Type.Display}");
            if (inits.Any(i => i.Name.Name == state.Name.Name))
                _diagnostics.Error(DiagnosticCatalogue.DeclaredTwice, state.Name.Range, $"the loop state '{state.Name.Name}' is declared twice");
            inits.Add((state.Name, init, type));
        }

        // A state is batched when its initial value or any of its updates is: check the body once to find out, then again
        // with the states' batching settled (the first pass's diagnostics and deferred checks are dropped).
        var batched = inits.Select(i => i.Init.Batched).ToArray();
        int diagnosticsBefore = _diagnostics.Items.Count, checksBefore = _model.DeferredChecks.Count, sitesBefore = _siteCount;
        var trial = CheckLoopBody(loop, lo, hi, inits, batched, steps);
        bool settled = trial.Scan.States.Select((s, i) => s.Next.Batched && !batched[i]).All(grew => !grew);
        if (!settled)
        {
            _diagnostics.Truncate(diagnosticsBefore);
            _model.DeferredChecks.RemoveRange(checksBefore, _model.DeferredChecks.Count - checksBefore);
            _siteCount = sitesBefore;
            for (int i = 0; i < batched.Length; i++) batched[i] |= trial.Scan.States[i].Next.Batched;
            trial = CheckLoopBody(loop, lo, hi, inits, batched, steps);
        }
        if (steps is null || lo.Type is ErrorType || hi.Type is ErrorType || inits.Any(i => i.Type is null)) return null;
        return trial;
    }

    private bool DeclareAfterLoop(string name, SourceRange range)
    {
        if (!_globals.TryGetValue(name, out var previous)) return true;
        var at = previous switch { IrVariable v => v.Range, IrFunction f => f.Range, _ => range };
        _diagnostics.Error(DiagnosticCatalogue.DeclaredTwice, range, $"'{name}' is already declared at line {at.Start.Line}");
        return false;
    }

    private static SourceRange RangeOf(Expr from, Expr to) => SourceRangeModule.union(Syntax.exprRange(from), Syntax.exprRange(to));

    private (IrScan Scan, List<LoopSiteInfo> Sites, List<(string Name, SourceRange Range, SourceRange DeclRange)> Lets) CheckLoopBody(
        Decl.Loop loop, IrExpr lo, IrExpr hi, List<(Ident Name, IrExpr Init, TensorType? Type)> inits, bool[] batched, Dim? steps)
    {
        var stepCount = steps ?? Dim.Of(1);
        var index = new IrVariable(loop.Var.Name, VariableKind.LoopIndex, TensorType.IntScalar, loop.Var.Range);
        var scope = new Dictionary<string, IrVariable> { [loop.Var.Name] = index };
        var states = new List<IrLoopState>();
        for (int i = 0; i < inits.Count; i++)
        {
            var (name, init, type) = inits[i];
            var v = new IrVariable(name.Name, VariableKind.Local, (SemType?)type ?? ErrorType.Instance, name.Range) { Batched = batched[i] };
            scope[name.Name] = v;
            states.Add(new IrLoopState(v, init));
        }
        _scopes.Push(scope);
        var lets = new List<(IrVariable, IrExpr)>();
        var outputs = new List<IrVariable>();
        var sites = new List<LoopSiteInfo>();
        var letNames = new List<(string, SourceRange, SourceRange)>();
        // The states' names are taken: a body declaration of one would hide the state (update it with `s = ...`).
        var declared = new HashSet<string>(inits.Select(i => i.Name.Name));
        try
        {
            foreach (var item in loop.Body)
            {
                switch (item)
                {
                    case Decl.Let l:
                    {
                        if (!DeclareInLoop(l.Name, declared)) break;
                        var value = CheckExpr(l.Value);
                        if (l.Type?.Value is { } typeSyntax && ResolveType(typeSyntax) is { } t && value.Type is not ErrorType)
                            RequireAssignable(value, t, $"let {l.Name.Name}", allowScalarBroadcast: false);
                        if (value.Type is not (TensorType or ErrorType))
                            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, value.Range, $"a let inside a loop is stacked over the steps, so it must be a tensor, but '{Text(value)}' is {value.Type.Display}");
                        var v = new IrVariable(l.Name.Name, VariableKind.Local, value.Type, l.Name.Range) { Batched = value.Batched };
                        scope[l.Name.Name] = v;
                        lets.Add((v, value));
                        outputs.Add(v);
                        letNames.Add((l.Name.Name, l.Name.Range, l.Range));
                        break;
                    }
                    case Decl.Latent or Decl.Observe { Rhs: ObserveRhs.Distributed } when _currentFunction is not null:
                        _diagnostics.Error(DiagnosticCatalogue.NotAllowedInLoop, Syntax.declRange(item), $"a random site cannot be declared inside a function ({_currentFunction.Name}); a loop in a function holds lets and state updates",
                            "declare the loop with its latents and observes in the model, or pass the random values to the function");
                        break;
                    case Decl.Latent l:
                        if (DeclareInLoop(l.Name, declared)) CheckLoopSite(l.Name, l.Type, l.Prior, SiteRole.Latent, l.Range, stepCount, scope, lets, outputs, sites);
                        break;
                    case Decl.Observe { Rhs: ObserveRhs.Distributed d } o:
                        if (DeclareInLoop(o.Name, declared)) CheckLoopSite(o.Name, o.Type, d.Dist, SiteRole.Observed, o.Range, stepCount, scope, lets, outputs, sites);
                        break;
                    case Decl.Update u:
                    {
                        var state = states.FirstOrDefault(s => s.Variable.Name == u.Name.Name);
                        var value = CheckExpr(u.Value);
                        if (state is null)
                        {
                            _diagnostics.Error(DiagnosticCatalogue.NotAllowedInLoop, u.Name.Range, $"'{u.Name.Name}' is not a state of this loop, so it cannot be updated",
                                inits.Count == 0
                                    ? $"carry it as a state: 'for {loop.Var.Name} in ... with {u.Name.Name} = <initial value> {{ ... }}'"
                                    : $"the loop's states are {string.Join(", ", inits.Select(i => i.Name.Name))}; declare a new value with 'let'");
                            break;
                        }
                        if (state.Variable.Type is TensorType st && value.Type is not ErrorType) RequireSameState(u.Name.Name, st, value, state.Init);
                        var v = new IrVariable(u.Name.Name, VariableKind.Local, state.Variable.Type, u.Name.Range) { Batched = value.Batched };
                        scope[u.Name.Name] = v;
                        lets.Add((v, value));
                        break;
                    }
                    default:
                    {
                        var (what, hint) = item switch
                        {
                            Decl.Param => ("a param", "params are declared before the loop; a random value per step is a 'latent'"),
                            Decl.Data => ("data", "declare data before the loop"),
                            Decl.Fun => ("a function", "declare functions before the loop"),
                            Decl.Factor => ("a factor", "add the per-step terms after the loop: 'factor sum(...)' of a stacked let"),
                            Decl.Loop => ("a nested loop", "write the inner recursion as a function or a comprehension"),
                            Decl.Observe => ("a deterministic observation (observe ... =)", "observe the stacked values after the loop"),
                            _ => ("this declaration", null),
                        };
                        _diagnostics.Error(DiagnosticCatalogue.NotAllowedInLoop, Syntax.declRange(item), $"{what} cannot be declared inside a loop body; a body holds lets, latents, observes and state updates", hint);
                        break;
                    }
                }
            }
        }
        finally
        {
            _scopes.Pop();
        }
        foreach (var state in states)
            state.Next = Batch(new IrVarRef(scope[state.Variable.Name], state.Variable.Range));
        var fields = outputs.Select(o => (o.Name, o.Type is TensorType t ? (SemType)t.WithShape(t.Shape.Prepend(stepCount)) : o.Type))
            .Concat(states.Select(s => (s.Variable.Name, s.Variable.Type)));
        var loopType = IrScan.LoopType($"{loop.Range.Start.Line}:{loop.Range.Start.Column}", fields.GroupBy(f => f.Name).Select(g => g.First()));
        var scan = Batch(new IrScan(index, lo, hi, stepCount, states, lets, outputs, loopType, loop.Range));
        return (scan, sites, letNames);
    }

    private bool DeclareInLoop(Ident name, HashSet<string> declared)
    {
        if (declared.Add(name.Name)) return true;
        _diagnostics.Error(DiagnosticCatalogue.DeclaredTwice, name.Range, $"'{name.Name}' is already declared in this loop (as a state or in its body)",
            "a state gets a new value with 'name = ...', without 'let'");
        return false;
    }

    /// <summary>A state keeps its element type and shape from step to step.</summary>
    private void RequireSameState(string name, TensorType state, IrExpr value, IrExpr init)
    {
        if (value.Type is not TensorType t)
        {
            _diagnostics.Error(DiagnosticCatalogue.LoopStateChangesType, value.Range, $"the loop state '{name}' is {state.Display}, but its update '{Text(value)}' is {value.Type.Display}");
            return;
        }
        bool sameShape = t.Rank == state.Rank && !t.Shape.Dims.Zip(state.Shape.Dims).Any(p => p.First.ProvablyDifferent(p.Second));
        if (!sameShape)
        {
            _diagnostics.Error(DiagnosticCatalogue.LoopStateChangesType, value.Range,
                $"the loop state '{name}' is {state.Display} (from its initial value '{Text(init)}'), but its update '{Text(value)}' is {t.Display}: a state keeps its shape from step to step",
                "give the initial value the shape of the update (e.g. zeros(...) or full(...))");
            return;
        }
        if (TensorType.Order(t.Elem) > TensorType.Order(state.Elem))
        {
            _diagnostics.Error(DiagnosticCatalogue.LoopStateChangesType, value.Range,
                $"the loop state '{name}' is {state.Display} (from its initial value '{Text(init)}'), but its update '{Text(value)}' is {t.Display}",
                state.Elem.IsInt && t.Elem.IsReal ? $"start it from a real, such as '{Text(init)}.0' or to_real(...)" : null);
            return;
        }
        foreach (var (a, b) in t.Shape.Dims.Zip(state.Shape.Dims))
            if (!a.Equals(b)) _model.DeferredChecks.Add(new DeferredDimCheck(a, b, value.Range, $"the update of loop state '{name}': size {a} must equal {b}"));
    }

    private void CheckLoopSite(Ident name, Microsoft.FSharp.Core.FSharpOption<TypeExpr>? typeSyntax, Expr distSyntax, SiteRole role, SourceRange range,
        Dim steps, Dictionary<string, IrVariable> scope, List<(IrVariable, IrExpr)> lets, List<IrVariable> outputs, List<LoopSiteInfo> sites)
    {
        var (dist, type) = CheckSiteDistribution(name, typeSyntax, distSyntax, role);
        if (dist is not null && dist.Signature.IsFlat)
            _diagnostics.Error(DiagnosticCatalogue.ImproperPriorMisused, dist.Range, $"{name.Name}: Flat() is an improper prior, which a loop step cannot draw",
                "give the per-step value a proper distribution");
        var stepVariable = new IrVariable(name.Name, VariableKind.Local, (SemType?)type ?? ErrorType.Instance, name.Range) { Batched = true };
        scope[name.Name] = stepVariable;
        if (type is null || dist is null) return;
        dist.Type = type.WithElem(((TensorType)dist.Type).Elem);
        var stacked = type.WithShape(type.Shape.Prepend(steps));
        var site = new IrVariable(name.Name, VariableKind.Site, stacked, name.Range) { Batched = true, Role = role, Index = _siteCount++ };
        var step = new IrSiteStep(site, role, dist, type, range) { Batched = true };
        lets.Add((stepVariable, step));
        outputs.Add(stepVariable);
        var typeText = $"{TensorType.ElemName(type.Elem)}[{string.Join(", ", stacked.Shape.Dims)}]";
        sites.Add(new LoopSiteInfo(site, step, dist, stacked, typeText, range));
    }
}
