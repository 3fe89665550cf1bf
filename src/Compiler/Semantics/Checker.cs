using Ppl.Compiler.Lowering;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;
using Microsoft.FSharp.Core;

namespace Ppl.Compiler.Semantics;

/// <summary>
/// Binds names, infers and checks types and static shapes, and builds the typed IR of a model. Declarations are processed
/// in source order (a name must be declared before it is used); every problem becomes a located diagnostic and checking
/// goes on with an error type that suppresses follow-on errors.
/// </summary>
public sealed partial class Checker
{
    private readonly string[] _lines;
    private readonly DiagnosticBag _diagnostics;
    private readonly StaticEvaluator _static;
    private readonly Dictionary<string, object> _globals = new();
    private readonly Dictionary<string, Decl> _allDeclarations = new();
    private readonly Stack<Dictionary<string, IrVariable>> _scopes = new();
    private IrFunction? _currentFunction;
    private readonly IrModel _model;
    private int _siteCount;
    private int _dataCount;

    private Checker(Model syntax, string file, string source, DiagnosticBag diagnostics)
    {
        _lines = source.Replace("\r\n", "\n").Split('\n');
        _diagnostics = diagnostics;
        _static = new StaticEvaluator(Text);
        _model = new IrModel(syntax.Name.Name, file);
    }

    /// <summary>Checks a parsed model; the IR is meaningful only when no error was reported.</summary>
    public static IrModel Check(Model syntax, string file, string source, DiagnosticBag diagnostics)
    {
        var checker = new Checker(syntax, file, source, diagnostics);
        checker.Run(syntax);
        return checker._model;
    }

    private void Run(Model syntax)
    {
        foreach (var decl in syntax.Decls)
        {
            var name = Syntax.declName(decl).Name;
            if (!_allDeclarations.ContainsKey(name)) _allDeclarations[name] = decl;
        }
        foreach (var decl in syntax.Decls) CheckDeclaration(decl);
        ObservedDataDependencies.Run(_model);
    }

    private void CheckDeclaration(Decl decl)
    {
        var name = Syntax.declName(decl);
        if (TryCheckObservedData(decl)) return;
        if (_globals.TryGetValue(name.Name, out var declared))
        {
            var previous = declared switch { IrVariable v => v.Range, IrFunction f => f.Range, _ => name.Range };
            _diagnostics.Error(DiagnosticCatalogue.DeclaredTwice, name.Range, $"'{name.Name}' is already declared at line {previous.Start.Line}");
            return;
        }
        switch (decl)
        {
            case Decl.Data d: CheckData(d); break;
            case Decl.Param p: CheckSite(p.Name, p.Type, p.Prior, SiteRole.Param, p.Range); break;
            case Decl.Latent l: CheckSite(l.Name, l.Type, l.Prior, SiteRole.Latent, l.Range); break;
            case Decl.Observe o:
                if (o.Rhs is ObserveRhs.Distributed dist) CheckSite(o.Name, o.Type, dist.Dist, SiteRole.Observed, o.Range);
                else CheckExactObserve(o, ((ObserveRhs.Exact)o.Rhs).Value);
                break;
            case Decl.Let l: CheckLet(l); break;
            case Decl.Fun f: CheckFunction(f); break;
            case Decl.Factor f: CheckFactor(f); break;
            case Decl.Loop l: CheckLoop(l); break;
            case Decl.Update u:
                _diagnostics.Error(DiagnosticCatalogue.NotAllowedInLoop, u.Range, $"'{u.Name.Name} = ...' updates a loop state, and is allowed only inside a loop body",
                    "declare a value with 'let', or carry a state with 'for t in 0:T with s = ... { ... }'");
                break;
        }
    }

    private void CheckData(Decl.Data d)
    {
        var type = ResolveType(d.Type);
        IrExpr? @default = null;
        int checksBefore = _model.DeferredChecks.Count;
        if (d.Default?.Value is { } defaultSyntax)
        {
            @default = CheckExpr(defaultSyntax);
            if (type is not null && @default.Type is not ErrorType)
            {
                var notData = Lowering.IrTraversal.Descendants(@default).OfType<IrVarRef>().FirstOrDefault(r => r.Variable.Kind != VariableKind.Data);
                if (notData is not null)
                    _diagnostics.Error(DiagnosticCatalogue.DataDefaultNotFromData, notData.Range, $"the default of data '{d.Name.Name}' uses '{notData.Variable.Name}'; defaults can use only data declared before them");
                else RequireAssignable(@default, type, $"the default of data '{d.Name.Name}'", allowScalarBroadcast: true);
                if (StaticEvaluator.TryReal(@default) is double v && !double.IsFinite(v))
                    _diagnostics.Error(DiagnosticCatalogue.ConstantOutOfRange, @default.Range, $"the default of data '{d.Name.Name}' is {StaticEvaluator.Format(v)}, not a finite number");
            }
        }
        var variable = new IrVariable(d.Name.Name, VariableKind.Data, (SemType?)type ?? ErrorType.Instance, d.Name.Range)
        {
            DataOnly = true,
            Index = _dataCount++,
        };
        _globals[d.Name.Name] = variable;
        // The default's size checks move to the default: a default that data override is neither evaluated nor checked.
        var defaultChecks = _model.DeferredChecks.Skip(checksBefore).ToList();
        _model.DeferredChecks.RemoveRange(checksBefore, defaultChecks.Count);
        if (type is not null) _model.Data.Add(new IrData(variable, type, TypeText(d.Type), @default, d.Range) { DefaultChecks = defaultChecks });
    }

    private void CheckLet(Decl.Let l)
    {
        var value = CheckExpr(l.Value);
        if (l.Type?.Value is { } typeSyntax && ResolveType(typeSyntax) is { } declared && value.Type is not ErrorType)
            RequireAssignable(value, declared, $"let {l.Name.Name}", allowScalarBroadcast: false);
        var variable = new IrVariable(l.Name.Name, VariableKind.Let, value.Type, l.Name.Range)
        {
            Batched = value.Batched,
            DataOnly = StaticEvaluator.IsDataOnly(value),
        };
        _globals[l.Name.Name] = variable;
        _model.Body.Add(new IrLet(variable, value, l.Range));
    }

    /// <summary>`factor e`: e is a real (or int) tensor of any shape; its sum is added to the log density.</summary>
    private void CheckFactor(Decl.Factor f)
    {
        var value = CheckExpr(f.Value);
        if (value.Type is ErrorType) return;
        if (value.Type is not TensorType t || !(t.Elem.IsReal || t.Elem.IsInt))
        {
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, value.Range, $"factor: '{Text(value)}' is {value.Type.Display}, but a factor adds a real to the log density");
            return;
        }
        _model.Body.Add(new IrFactor(value, f.Range));
    }

    private void CheckExactObserve(Decl.Observe o, Expr valueSyntax)
    {
        var value = CheckExpr(valueSyntax);
        TensorType? type = value.Type as TensorType;
        if (value.Type is not ErrorType && type is null)
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, value.Range, $"observe {o.Name.Name}: the value is {value.Type.Display}, not a tensor");
        if (o.Type?.Value is { } typeSyntax && ResolveType(typeSyntax) is { } declared)
        {
            if (type is not null) RequireAssignable(value, declared, $"observe {o.Name.Name}", allowScalarBroadcast: true);
            type = declared;
        }
        var variable = new IrVariable(o.Name.Name, VariableKind.Site, (SemType?)type ?? ErrorType.Instance, o.Name.Range)
        {
            Batched = true,
            Role = SiteRole.Observed,
            Index = _siteCount++,
        };
        _globals[o.Name.Name] = variable;
        if (type is not null)
            _model.Body.Add(new IrSite(variable, SiteRole.Observed, null, value, type, o.Type?.Value is { } t ? TypeText(t) : type.Display, o.Range)
            {
                SourceText = "= " + Text(value),
                SupportText = "",
            });
    }

    /// <summary>A site's distribution and its value type: the declared type when one is written (checked against the
    /// distribution's element type, PPL0214, and shape), else the distribution's. Shared by model-level sites and loop steps.</summary>
    private (IrDistribution? Distribution, TensorType? Type) CheckSiteDistribution(Ident name, FSharpOption<TypeExpr>? typeSyntax, Expr distSyntax, SiteRole role)
    {
        TensorType? declared = typeSyntax?.Value is { } ts ? ResolveType(ts) : null;
        var dist = CheckDistribution(distSyntax, name.Name, role);
        if (dist is null) return (null, declared);
        var valueType = (TensorType)dist.Type;
        if (declared is null) return (dist, valueType);
        if (!(declared.Elem.IsReal || declared.Elem.IsInt) || declared.Elem.IsInt != valueType.Elem.IsInt)
            _diagnostics.Error(DiagnosticCatalogue.DistributionDoesNotFit, typeSyntax!.Value.Range,
                $"'{name.Name}' is declared {declared.Display}, but {dist.Signature.Name} gives {(valueType.Elem.IsInt ? "int" : "real")} values",
                valueType.Elem.IsInt ? $"declare it int{declared.Shape}" : null);
        else CheckSiteShape(name.Name, dist, valueType, declared, typeSyntax!.Value.Range);
        return (dist, declared);
    }

    private void CheckSite(Ident name, FSharpOption<TypeExpr>? typeSyntax, Expr distSyntax, SiteRole role, SourceRange range)
    {
        var (dist, type) = CheckSiteDistribution(name, typeSyntax, distSyntax, role);
        if (dist is not null)
        {
            if (dist.Signature.IsFlat && role == SiteRole.Observed)
                _diagnostics.Error(DiagnosticCatalogue.ImproperPriorMisused, dist.Range, $"observe {name.Name}: Flat() is an improper prior, not a likelihood",
                    "give the observation a distribution; Flat() is for params (and latents) without a proper prior");
        }
        var variable = new IrVariable(name.Name, VariableKind.Site, (SemType?)type ?? ErrorType.Instance, name.Range)
        {
            Batched = true,
            Role = role,
            Index = _siteCount++,
        };
        _globals[name.Name] = variable;
        if (type is not null && dist is not null)
        {
            dist.Type = type.WithElem(((TensorType)dist.Type).Elem);
            _model.Body.Add(new IrSite(variable, role, dist, null, type, typeSyntax?.Value is { } t ? TypeText(t) : type.Display, range)
            {
                SourceText = dist.Signature.IsFlat && dist.Range.Equals(name.Range) ? "Flat() (no prior given)" : Text(dist),
                SupportText = SupportText(dist.Support()),
            });
        }
    }

    /// <summary>The distribution's own shape (its arguments broadcast, plus its event axes) must fit the declared shape.</summary>
    private void CheckSiteShape(string name, IrDistribution dist, TensorType valueType, TensorType declared, SourceRange typeRange)
    {
        int eventRank = dist.Signature.EventRank;
        if (declared.Rank < eventRank)
        {
            _diagnostics.Error(DiagnosticCatalogue.DistributionDoesNotFit, typeRange, $"'{name}' is declared {declared.Display} but {dist.Signature.Name} draws values of shape {valueType.Shape}");
            return;
        }
        var pending = new List<(Dim, Dim)>();
        var b = Broadcasting.Broadcast(valueType.Shape.Take(valueType.Rank - eventRank), declared.Shape.Take(declared.Rank - eventRank), pending);
        var eventOk = valueType.Shape.Skip(valueType.Rank - eventRank).Dims.Zip(declared.Shape.Skip(declared.Rank - eventRank).Dims)
            .All(p => !p.First.ProvablyDifferent(p.Second));
        if (b is null || b.Rank != declared.Rank - eventRank || !eventOk)
        {
            _diagnostics.Error(DiagnosticCatalogue.DistributionDoesNotFit, dist.Range,
                $"{Text(dist)} has shape {ShapeText(valueType.Shape)} but '{name}' is declared {declared.Display}",
                "the distribution's arguments must broadcast to the declared shape");
            return;
        }
        foreach (var (l, r) in pending)
            _model.DeferredChecks.Add(new DeferredDimCheck(l, r, dist.Range, $"{dist.Signature.Name} for '{name}': sizes {l} and {r} must be equal"));
    }

    private void CheckFunction(Decl.Fun f)
    {
        var parameters = new List<IrVariable>();
        var scope = new Dictionary<string, IrVariable>();
        foreach (var p in f.Params)
        {
            var t = ResolveType(p.Type);
            var v = new IrVariable(p.Name.Name, VariableKind.FunctionParameter, (SemType?)t ?? ErrorType.Instance, p.Name.Range);
            if (!scope.TryAdd(p.Name.Name, v))
                _diagnostics.Error(DiagnosticCatalogue.DeclaredTwice, p.Name.Range, $"parameter '{p.Name.Name}' of {f.Name.Name} is declared twice");
            parameters.Add(v);
        }
        var result = ResolveType(f.Returns);
        var function = new IrFunction(f.Name.Name, parameters, result ?? TensorType.RealScalar, f.Range);
        _scopes.Push(scope);
        _currentFunction = function;
        var lets = new List<(IrVariable, IrExpr)>();
        int letsSeen = 0;
        void LoopsBefore(int count)
        {
            foreach (var item in f.Body.Loops)
                if (item.Item1 == count && item.Item2 is Decl.Loop loop) CheckFunctionLoop(loop, scope, lets, f.Name.Name);
        }
        foreach (var local in f.Body.Lets)
        {
            LoopsBefore(letsSeen++);
            var value = CheckExpr(local.Value);
            if (local.Type?.Value is { } lt && ResolveType(lt) is { } declared && value.Type is not ErrorType)
                RequireAssignable(value, declared, $"let {local.Name.Name}", allowScalarBroadcast: false);
            var v = new IrVariable(local.Name.Name, VariableKind.Local, value.Type, local.Name.Range) { Batched = value.Batched };
            if (!scope.TryAdd(local.Name.Name, v))
                _diagnostics.Error(DiagnosticCatalogue.DeclaredTwice, local.Name.Range, $"'{local.Name.Name}' is already declared in {f.Name.Name}");
            lets.Add((v, value));
        }
        LoopsBefore(letsSeen);
        var body = CheckExpr(f.Body.Result);
        if (result is not null && body.Type is not ErrorType)
            RequireAssignable(body, result, $"the result of {f.Name.Name}", allowScalarBroadcast: false);
        _currentFunction = null;
        _scopes.Pop();
        function.Body = Batch(new IrBlock(lets, body, f.Body.Range));
        _globals[f.Name.Name] = function;
        _model.Functions.Add(function);
    }

    /// <summary>Resolves `real[5, N]` to a tensor type; sizes must be data-only int expressions.</summary>
    private TensorType? ResolveType(TypeExpr t)
    {
        var dims = new List<Dim>();
        bool ok = true;
        foreach (var d in t.Dims)
        {
            var e = CheckExpr(d);
            if (e.Type is ErrorType) { ok = false; continue; }
            if (e.Type is not TensorType { IsScalar: true } et || !et.Elem.IsInt)
            {
                _diagnostics.Error(DiagnosticCatalogue.SizeNotFromData, e.Range, $"a size must be an int, but '{Text(e)}' is {e.Type.Display}");
                ok = false;
                continue;
            }
            if (StaticEvaluator.IntOverflows(e))
            {
                _diagnostics.Error(DiagnosticCatalogue.ConstantOutOfRange, e.Range, $"the size '{Text(e)}' overflows the int range (at most 9223372036854775807)");
                ok = false;
                continue;
            }
            var dim = _static.TryDim(e);
            if (dim is null)
            {
                _diagnostics.Error(DiagnosticCatalogue.SizeNotFromData, e.Range, $"a size must depend only on data, but '{Text(e)}' does not");
                ok = false;
                continue;
            }
            if (dim.IsKnown && dim.Constant < 0)
            {
                _diagnostics.Error(DiagnosticCatalogue.SizeNotFromData, e.Range, $"a size cannot be negative ({dim.Constant})");
                ok = false;
                continue;
            }
            dims.Add(dim);
        }
        return ok ? new TensorType(t.Elem, new Shape(dims)) : null;
    }

    /// <summary>A value may be stored where a type is declared when its element type converts (bool → int → real →
    /// complex) and its shape is the declared one (or a scalar, where allowed).</summary>
    private void RequireAssignable(IrExpr value, TensorType declared, string what, bool allowScalarBroadcast)
    {
        if (value.Type is not TensorType t)
        {
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, value.Range, $"{what}: '{Text(value)}' is {value.Type.Display}, not {declared.Display}");
            return;
        }
        if (TensorType.Order(t.Elem) > TensorType.Order(declared.Elem))
        {
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, value.Range, $"{what}: '{Text(value)}' is {t.Display} but {declared.Display} is declared",
                declared.Elem.IsInt ? "use to_int(...) to convert explicitly" : null);
            return;
        }
        if (allowScalarBroadcast && t.IsScalar) return;
        if (t.Rank != declared.Rank || t.Shape.Dims.Zip(declared.Shape.Dims).Any(p => p.First.ProvablyDifferent(p.Second)))
        {
            _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, value.Range, $"{what}: '{Text(value)}' is {t.Display} but {declared.Display} is declared");
            return;
        }
        foreach (var (a, b) in t.Shape.Dims.Zip(declared.Shape.Dims))
            if (!a.Equals(b)) _model.DeferredChecks.Add(new DeferredDimCheck(a, b, value.Range, $"{what}: size {a} must equal the declared {b}"));
    }

    private string TypeText(TypeExpr t) => SliceSource(t.Range);

    private string SupportText(SupportInfo s) => s.Kind switch
    {
        Ppl.Runtime.Distributions.SupportKind.Interval => $"interval({Text(s.Lower!)}, {Text(s.Upper!)})",
        Ppl.Runtime.Distributions.SupportKind.GreaterThan => $"greater_than({Text(s.Lower!)})",
        Ppl.Runtime.Distributions.SupportKind.LessThan => $"less_than({Text(s.Upper!)})",
        Ppl.Runtime.Distributions.SupportKind.UnitInterval => "interval(0, 1)",
        Ppl.Runtime.Distributions.SupportKind.Positive => "positive",
        Ppl.Runtime.Distributions.SupportKind.NonNegativeInteger => "counts",
        Ppl.Runtime.Distributions.SupportKind.IntegerUpTo => s.Upper is IrLiteral l ? $"counts_up_to({l.Value})" : $"counts_up_to({Text(s.Upper!)})",
        _ => "real",
    };

    internal string Text(IrExpr e) => SliceSource(e.Range);

    private string SliceSource(SourceRange r)
    {
        if (r.Start.Line < 1 || r.Start.Line > _lines.Length) return "?";
        if (r.End.Line == r.Start.Line)
        {
            var line = _lines[r.Start.Line - 1];
            int start = Math.Clamp(r.Start.Column - 1, 0, line.Length);
            int end = Math.Clamp(r.End.Column - 1, start, line.Length);
            return line[start..end];
        }
        var parts = new List<string> { _lines[r.Start.Line - 1][Math.Clamp(r.Start.Column - 1, 0, _lines[r.Start.Line - 1].Length)..].Trim() };
        for (int l = r.Start.Line; l < r.End.Line - 1 && l < _lines.Length; l++) parts.Add(_lines[l].Trim());
        if (r.End.Line <= _lines.Length) parts.Add(_lines[r.End.Line - 1][..Math.Clamp(r.End.Column - 1, 0, _lines[r.End.Line - 1].Length)].Trim());
        return string.Join(" ", parts.Where(p => p.Length > 0));
    }

    private static string ShapeText(Shape s) => s.Rank == 0 ? "scalar" : s.ToString();
}
