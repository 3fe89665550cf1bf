using Ppl.Compiler.Lowering;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Semantics;

public sealed partial class Checker
{
    private IrExpr CheckCall(Expr.Call c)
    {
        var name = c.Callee.Name;
        if (_globals.TryGetValue(name, out var symbol) && symbol is IrFunction f) return CheckUserCall(f, c);
        if (Distributions.Find(name) is not null)
        {
            _diagnostics.Error("PPL0303", c.Range, $"{name}(...) is a distribution; it can only follow '~' in a param, latent or observe declaration");
            return Error(c.Range);
        }
        var builtin = BuiltinCatalog.FindCallable(name);
        if (builtin is null)
        {
            if (symbol is IrVariable v)
                _diagnostics.Error("PPL0101", c.Callee.Range, $"'{name}' is {v.Type.Display}, not a function");
            else if (_allDeclarations.TryGetValue(name, out var later) && later is Decl.Fun)
                _diagnostics.Error("PPL0102", c.Callee.Range, $"function '{name}' is used before its declaration at line {Syntax.declRange(later).Start.Line}");
            else
                _diagnostics.Error("PPL0101", c.Callee.Range, $"unknown function '{name}'",
                    Suggest(name, BuiltinCatalog.All.Select(b => b.Name).Concat(_globals.Where(g => g.Value is IrFunction).Select(g => g.Key))
                        .Concat(Distributions.All.Select(d => d.Name))));
            return Error(c.Range);
        }
        return CheckBuiltinCall(builtin, c.Args, c.Range);
    }

    private IrExpr CheckUserCall(IrFunction f, Expr.Call c)
    {
        var args = new List<IrExpr>();
        foreach (var a in c.Args)
        {
            if (a is Arg.Named n)
            {
                _diagnostics.Error("PPL0204", n.Name.Range, $"user functions take positional arguments only ({f.Name})");
                return Error(c.Range);
            }
            args.Add(CheckExpr(((Arg.Positional)a).Value));
        }
        if (args.Count != f.Parameters.Count)
        {
            _diagnostics.Error("PPL0203", c.Range, $"{f.Name} takes {f.Parameters.Count} argument(s) but {args.Count} are given");
            return Error(c.Range);
        }
        if (args.Any(a => a.Type is ErrorType)) return Error(c.Range);
        for (int i = 0; i < args.Count; i++)
            if (f.Parameters[i].Type is TensorType pt) RequireAssignable(args[i], pt, $"argument '{f.Parameters[i].Name}' of {f.Name}", allowScalarBroadcast: false);
        return Batch(new IrUserCall(f, args, c.Range));
    }

    private IrExpr CheckBuiltinCall(Builtin b, IEnumerable<Arg> args, SourceRange range)
    {
        var ps = b.Parameters;
        var slots = new IrExpr?[ps.Count];
        var variadic = new List<IrExpr>();
        int next = 0;
        bool failed = false;
        foreach (var a in args)
        {
            if (a is Arg.Positional p)
            {
                if (b.Variadic && next == b.VariadicIndex)
                {
                    variadic.Add(CheckArgument(ps[next], p.Value));
                    continue;
                }
                if (next >= ps.Count)
                {
                    _diagnostics.Error("PPL0203", Syntax.exprRange(p.Value), $"{b.Name} takes at most {ps.Count} argument(s)", Signature(b));
                    failed = true;
                    break;
                }
                slots[next] = CheckArgument(ps[next], p.Value);
                next++;
            }
            else
            {
                var n = (Arg.Named)a;
                int index = ps.ToList().FindIndex(q => q.Name == n.Name.Name);
                if (index < 0 || index == b.VariadicIndex)
                {
                    _diagnostics.Error("PPL0204", n.Name.Range, $"{b.Name} has no parameter named '{n.Name.Name}'", Signature(b));
                    failed = true;
                    continue;
                }
                if (slots[index] is not null)
                {
                    _diagnostics.Error("PPL0205", n.Name.Range, $"{b.Name}: '{n.Name.Name}' is given twice");
                    failed = true;
                    continue;
                }
                slots[index] = CheckArgument(ps[index], n.Value);
            }
        }
        if (failed) return Error(range);
        for (int i = 0; i < ps.Count; i++)
        {
            if (slots[i] is null && !ps[i].Optional && i != b.VariadicIndex)
            {
                _diagnostics.Error("PPL0203", range, $"{b.Name}: missing argument '{ps[i].Name}'", Signature(b));
                return Error(range);
            }
        }
        return Finish(b, slots, variadic, range);
    }

    /// <summary>Applies a builtin to already-checked arguments in parameter order (operators).</summary>
    private IrExpr ApplyBuiltin(Builtin b, IReadOnlyList<IrExpr> args, SourceRange range) =>
        Finish(b, args.Cast<IrExpr?>().ToArray(), Array.Empty<IrExpr>(), range);

    private IrExpr Finish(Builtin b, IrExpr?[] slots, IReadOnlyList<IrExpr> variadic, SourceRange range)
    {
        if (slots.Any(s => s?.Type is ErrorType) || variadic.Any(v => v.Type is ErrorType)) return Error(range);
        var typing = new CallTyping(b, range, slots, variadic, _diagnostics, _model.DeferredChecks, Text, _static);
        var type = b.Check(typing);
        if (type is null) return Error(range);
        return Batch(new IrCall(b, slots, variadic, type, range, typing.Attributes));
    }

    private IrExpr CheckArgument(BuiltinParameter p, Expr value)
    {
        if (p.Kind == ArgKind.Function && value is Expr.Var v && _globals.TryGetValue(v.Name.Name, out var s) && s is IrFunction f)
            return new IrFunctionRef(f, v.Name.Range);
        return CheckExpr(value);
    }

    private static string Signature(Builtin b) =>
        $"{b.Name}({string.Join(", ", b.Parameters.Select((p, i) => (i == b.VariadicIndex ? p.Name + "..." : p.Name) + (p.Optional ? " = ..." : "")))})";

    private IrDistribution? CheckDistribution(Expr syntax, string siteName, SiteRole role, bool component = false)
    {
        if (syntax is not Expr.Call call || Distributions.Find(call.Callee.Name) is not { } sig)
        {
            var hint = syntax is Expr.Call c2 ? Suggest(c2.Callee.Name, Distributions.All.Select(d => d.Name)) : null;
            _diagnostics.Error("PPL0304", Syntax.exprRange(syntax),
                $"expected a distribution after '~' for '{siteName}', e.g. Normal(0, 1)",
                hint ?? $"the distributions are {string.Join(", ", Distributions.All.Select(d => d.Name))}");
            if (syntax is not Expr.Call) CheckExpr(syntax);
            return null;
        }
        if (sig.IsMixture) return CheckMixture(call, sig, siteName, role);
        if (sig.IsFlat && component)
        {
            _diagnostics.Error("PPL0219", call.Range, "Flat() is an improper prior: it cannot be a mixture component");
            return null;
        }
        var ps = sig.Parameters;
        var slots = new IrExpr?[ps.Count];
        int next = 0;
        foreach (var a in call.Args)
        {
            if (a is Arg.Positional p)
            {
                if (next >= ps.Count)
                {
                    _diagnostics.Error("PPL0203", Syntax.exprRange(p.Value), $"{sig.Name} takes at most {ps.Count} argument(s)", sig.Summary);
                    return null;
                }
                slots[next++] = CheckExpr(p.Value);
            }
            else
            {
                var n = (Arg.Named)a;
                int index = ps.ToList().FindIndex(q => q.Name == n.Name.Name);
                if (index < 0)
                {
                    _diagnostics.Error("PPL0204", n.Name.Range, $"{sig.Name} has no parameter named '{n.Name.Name}'", sig.Summary);
                    return null;
                }
                if (slots[index] is not null)
                {
                    _diagnostics.Error("PPL0205", n.Name.Range, $"{sig.Name}: '{n.Name.Name}' is given twice");
                    return null;
                }
                slots[index] = CheckExpr(n.Value);
            }
        }
        for (int i = 0; i < ps.Count; i++)
        {
            if (slots[i] is not null) continue;
            if (!ps[i].Optional)
            {
                _diagnostics.Error("PPL0203", call.Range, $"{sig.Name}: missing argument '{ps[i].Name}'", sig.Summary);
                return null;
            }
            if (ps[i].Default is double d) slots[i] = new IrLiteral(d, TensorType.RealScalar, call.Range);
        }
        if (slots.Any(s => s?.Type is ErrorType)) return null;
        if (sig.ExactlyOneOf.Count > 0 && sig.ExactlyOneOf.Count(n => slots[ps.ToList().FindIndex(q => q.Name == n)] is not null) != 1)
        {
            _diagnostics.Error("PPL0203", call.Range, $"{sig.Name}: give exactly one of {string.Join(" and ", sig.ExactlyOneOf)}", sig.Summary);
            return null;
        }
        var types = new TensorType?[ps.Count];
        for (int i = 0; i < ps.Count; i++)
        {
            var e = slots[i];
            if (e is null) continue;
            if (e.Type is not TensorType t || t.Elem.IsComplex || t.Elem.IsBool)
            {
                _diagnostics.Error("PPL0202", e.Range, $"{sig.Name}: '{ps[i].Name}' must be real, but '{Text(e)}' is {e.Type.Display}");
                return null;
            }
            if (t.Rank < ps[i].EventRank)
            {
                _diagnostics.Error("PPL0201", e.Range, $"{sig.Name}: '{ps[i].Name}' needs at least {ps[i].EventRank} axes, but '{Text(e)}' is {t.Display}");
                return null;
            }
            if (ps[i].Positive && StaticEvaluator.TryReal(e) is double v && !(v > 0))
            {
                _diagnostics.Error("PPL0215", e.Range, $"{sig.Name}: '{ps[i].Name}' must be positive, but it is {StaticEvaluator.Format(v)}");
                return null;
            }
            if (StaticEvaluator.TryReal(e) is double c && DomainProblem(ps[i].Domain, c) is { } problem)
            {
                _diagnostics.Error(ps[i].Domain == Ppl.Runtime.Distributions.ParameterDomain.NonNegative ? "PPL0215" : "PPL0217", e.Range,
                    $"{sig.Name}: '{ps[i].Name}' {problem}, but it is {StaticEvaluator.Format(c)}");
                return null;
            }
            // NaN never; ±inf only where it means "no bound" (TruncatedNormal's optional bounds).
            if (StaticEvaluator.TryReal(e) is double w && (double.IsNaN(w) || (double.IsInfinity(w) && !(ps[i].Optional && ps[i].Default is null))))
            {
                _diagnostics.Error("PPL0217", e.Range, $"{sig.Name}: '{ps[i].Name}' must be finite, but it is {StaticEvaluator.Format(w)}");
                return null;
            }
            types[i] = t;
        }
        if (sig.Support(slots) is { Lower: { } lower, Upper: { } upper }
            && StaticEvaluator.TryReal(lower) is double lo && StaticEvaluator.TryReal(upper) is double hi && !(lo < hi))
        {
            _diagnostics.Error("PPL0217", call.Range,
                $"{sig.Name}: the lower bound {StaticEvaluator.Format(lo)} must be below the upper bound {StaticEvaluator.Format(hi)}, or the distribution has no values");
            return null;
        }
        Shape? batch = Shape.Scalar;
        IrExpr? first = null;
        var deferred = new List<(Dim, Dim)>();
        for (int i = 0; i < ps.Count && batch is not null; i++)
        {
            if (types[i] is not { } t) continue;
            var own = t.Shape.Take(t.Rank - ps[i].EventRank);
            var b = Broadcasting.Broadcast(batch, own, deferred);
            if (b is null)
            {
                _diagnostics.Error("PPL0201", call.Range,
                    $"{sig.Name}({Text(first!)}, {Text(slots[i]!)}): {Text(first!)} is {types[Array.IndexOf(slots, first)]!.Display} but {Text(slots[i]!)} is {t.Display}",
                    "the arguments of a distribution must broadcast against each other");
                return null;
            }
            batch = b;
            first ??= slots[i];
        }
        Shape eventShape = Shape.Scalar;
        if (sig.EventRank == 1)
        {
            var loc = types[0]!;
            var scale = types[1]!;
            var dim = loc.Shape[loc.Rank - 1];
            var (r, k) = (scale.Shape[scale.Rank - 2], scale.Shape[scale.Rank - 1]);
            if (dim.ProvablyDifferent(r) || dim.ProvablyDifferent(k))
            {
                _diagnostics.Error("PPL0201", call.Range, $"{sig.Name}: loc is {loc.Display} but scale_tril is {scale.Display}; it must be {dim} × {dim}");
                return null;
            }
            eventShape = Shape.Of(dim);
        }
        foreach (var (l, r) in deferred)
            _model.DeferredChecks.Add(new DeferredDimCheck(l, r, call.Range, $"{sig.Name}: sizes {l} and {r} must be equal (or one must be 1)", AllowOne: true));
        var valueType = new TensorType(sig.IsDiscrete ? ElemType.Int : ElemType.Real, new Shape(batch!.Dims.Concat(eventShape.Dims)));
        var dist = new IrDistribution(sig, slots, valueType, call.Range);
        dist.Batched = slots.Any(s => s is not null && s.Batched);
        return dist;
    }

    /// <summary>What is wrong with a constant argument for a parameter of <paramref name="domain"/>, or null.</summary>
    private static string? DomainProblem(Ppl.Runtime.Distributions.ParameterDomain domain, double v) => domain switch
    {
        Ppl.Runtime.Distributions.ParameterDomain.NonNegative when !(v >= 0) => "must be non-negative",
        Ppl.Runtime.Distributions.ParameterDomain.Probability when !(v >= 0 && v <= 1) => "must be a probability (in [0, 1])",
        Ppl.Runtime.Distributions.ParameterDomain.Count when !(v >= 0 && v == Math.Floor(v)) => "must be a whole number ≥ 0",
        _ => null,
    };
}
