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
            _diagnostics.Error(DiagnosticCatalogue.CannotSimulate, c.Range, $"{name}(...) is a distribution; it can only follow '~' in a param, latent or observe declaration");
            return Error(c.Range);
        }
        var builtin = BuiltinCatalog.FindCallable(name);
        if (builtin is null)
        {
            if (symbol is IrVariable v)
                _diagnostics.Error(DiagnosticCatalogue.UnknownName, c.Callee.Range, $"'{name}' is {v.Type.Display}, not a function");
            else if (_allDeclarations.TryGetValue(name, out var later) && later is Decl.Fun)
                _diagnostics.Error(DiagnosticCatalogue.UsedBeforeDeclaration, c.Callee.Range, $"function '{name}' is used before its declaration at line {Syntax.declRange(later).Start.Line}");
            else
                _diagnostics.Error(DiagnosticCatalogue.UnknownName, c.Callee.Range, $"unknown function '{name}'",
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
                _diagnostics.Error(DiagnosticCatalogue.UnknownNamedArgument, n.Name.Range, $"user functions take positional arguments only ({f.Name})");
                return Error(c.Range);
            }
            args.Add(CheckExpr(((Arg.Positional)a).Value));
        }
        if (args.Count != f.Parameters.Count)
        {
            _diagnostics.Error(DiagnosticCatalogue.ArgumentCount, c.Range, $"{f.Name} takes {f.Parameters.Count} argument(s) but {args.Count} are given");
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
        var bound = ArgumentBinder.Bind(b.Name, ps.Select(p => new BindingParameter(p.Name, p.Optional)).ToList(), b.VariadicIndex, Signature(b),
            args, range, _diagnostics, (i, value) => CheckArgument(ps[i], value), stopAtFirstError: false);
        if (bound is not { } ok) return Error(range);
        return Finish(b, ok.Slots, ok.Variadic, range);
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
            _diagnostics.Error(DiagnosticCatalogue.DistributionExpected, Syntax.exprRange(syntax),
                $"expected a distribution after '~' for '{siteName}', e.g. Normal(0, 1)",
                hint ?? $"the distributions are {string.Join(", ", Distributions.All.Select(d => d.Name))}");
            if (syntax is not Expr.Call) CheckExpr(syntax);
            return null;
        }
        if (sig.IsMixture) return CheckMixture(call, sig, siteName, role);
        if (sig.IsFlat && component)
        {
            _diagnostics.Error(DiagnosticCatalogue.ImproperPriorMisused, call.Range, "Flat() is an improper prior: it cannot be a mixture component");
            return null;
        }
        var ps = sig.Parameters;
        var bound = ArgumentBinder.Bind(sig.Name, ps.Select(p => new BindingParameter(p.Name, p.Optional)).ToList(), -1, sig.Summary,
            call.Args, call.Range, _diagnostics, (_, value) => CheckExpr(value), stopAtFirstError: true);
        if (bound is not { } ok) return null;
        var slots = ok.Slots;
        for (int i = 0; i < ps.Count; i++)
            if (slots[i] is null && ps[i].Default is double d) slots[i] = new IrLiteral(d, TensorType.RealScalar, call.Range);
        if (slots.Any(s => s?.Type is ErrorType)) return null;
        if (sig.ExactlyOneOf.Count > 0 && sig.ExactlyOneOf.Count(n => slots[ps.ToList().FindIndex(q => q.Name == n)] is not null) != 1)
        {
            _diagnostics.Error(DiagnosticCatalogue.ArgumentCount, call.Range, $"{sig.Name}: give exactly one of {string.Join(" and ", sig.ExactlyOneOf)}", sig.Summary);
            return null;
        }
        var types = new TensorType?[ps.Count];
        for (int i = 0; i < ps.Count; i++)
        {
            var e = slots[i];
            if (e is null) continue;
            if (e.Type is not TensorType t || t.Elem.IsComplex || t.Elem.IsBool)
            {
                _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, e.Range, $"{sig.Name}: '{ps[i].Name}' must be real, but '{Text(e)}' is {e.Type.Display}");
                return null;
            }
            if (t.Rank < ps[i].EventRank)
            {
                _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, e.Range, $"{sig.Name}: '{ps[i].Name}' needs at least {ps[i].EventRank} axes, but '{Text(e)}' is {t.Display}");
                return null;
            }
            if (ps[i].Positive && StaticEvaluator.TryReal(e) is double v && !(v > 0))
            {
                _diagnostics.Error(DiagnosticCatalogue.NonPositiveParameter, e.Range, $"{sig.Name}: '{ps[i].Name}' must be positive, but it is {StaticEvaluator.Format(v)}");
                return null;
            }
            if (StaticEvaluator.TryReal(e) is double c && DomainProblem(ps[i].Domain, c) is { } problem)
            {
                _diagnostics.Error(ps[i].Domain == Ppl.Runtime.Distributions.ParameterDomain.NonNegative ? DiagnosticCatalogue.NonPositiveParameter : DiagnosticCatalogue.ConstantOutOfRange, e.Range,
                    $"{sig.Name}: '{ps[i].Name}' {problem}, but it is {StaticEvaluator.Format(c)}");
                return null;
            }
            // NaN never; ±inf only where it means "no bound" (TruncatedNormal's optional bounds).
            if (StaticEvaluator.TryReal(e) is double w && (double.IsNaN(w) || (double.IsInfinity(w) && !(ps[i].Optional && ps[i].Default is null))))
            {
                _diagnostics.Error(DiagnosticCatalogue.ConstantOutOfRange, e.Range, $"{sig.Name}: '{ps[i].Name}' must be finite, but it is {StaticEvaluator.Format(w)}");
                return null;
            }
            types[i] = t;
        }
        if (sig.Support(slots) is { Lower: { } lower, Upper: { } upper }
            && StaticEvaluator.TryReal(lower) is double lo && StaticEvaluator.TryReal(upper) is double hi && !(lo < hi))
        {
            _diagnostics.Error(DiagnosticCatalogue.ConstantOutOfRange, call.Range,
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
                _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, call.Range,
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
                _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, call.Range, $"{sig.Name}: loc is {loc.Display} but scale_tril is {scale.Display}; it must be {dim} × {dim}");
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
