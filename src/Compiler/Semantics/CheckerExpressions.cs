using Ppl.Compiler.Lowering;
using Ppl.Dsl;

namespace Ppl.Compiler.Semantics;

public sealed partial class Checker
{
    /// <summary>Sets <see cref="IrExpr.Batched"/> from the children (a reference takes its variable's flag).</summary>
    private static T Batch<T>(T e) where T : IrExpr
    {
        e.Batched = e is IrVarRef r ? r.Variable.Batched : e.Children.Any(c => c.Batched);
        return e;
    }

    private static IrExpr Error(SourceRange range) => new IrLiteral(0.0, ErrorType.Instance, range);

    private IrExpr CheckExpr(Expr e)
    {
        switch (e)
        {
            case Expr.Number n:
                return n.IsInt
                    ? new IrLiteral((long)n.Value, TensorType.IntScalar, n.Range)
                    : new IrLiteral(n.Value, TensorType.RealScalar, n.Range);
            case Expr.BoolLit b:
                return new IrLiteral(b.Value, TensorType.BoolScalar, b.Range);
            case Expr.Var v:
                return CheckName(v.Name);
            case Expr.Unary u:
            {
                var operand = CheckExpr(u.Operand);
                if (u.Op.IsNeg && operand is IrLiteral { Value: double d }) return new IrLiteral(-d, operand.Type, u.Range);
                if (u.Op.IsNeg && operand is IrLiteral { Value: long l }) return new IrLiteral(-l, operand.Type, u.Range);
                return ApplyBuiltin(BuiltinCatalog.Get(u.Op.IsNeg ? "neg" : "not"), new[] { operand }, u.Range);
            }
            case Expr.Binary b:
            {
                var left = CheckExpr(b.Left);
                var right = CheckExpr(b.Right);
                return ApplyBuiltin(BuiltinCatalog.Get(OperatorName(b.Op)), new[] { left, right }, b.Range);
            }
            case Expr.Call c:
                return CheckCall(c);
            case Expr.Index ix:
                return CheckIndex(ix);
            case Expr.Field f:
                return CheckField(f);
            case Expr.Vector v:
                return CheckVector(v);
            case Expr.Comprehension c:
                return CheckComprehension(c);
            case Expr.If i:
                return CheckConditional(i);
            default:
                return Error(Syntax.exprRange(e));
        }
    }

    private static string OperatorName(BinaryOp op) => op.Tag switch
    {
        BinaryOp.Tags.Add => "add",
        BinaryOp.Tags.Sub => "sub",
        BinaryOp.Tags.Mul => "mul",
        BinaryOp.Tags.Div => "div",
        BinaryOp.Tags.Mod => "mod",
        BinaryOp.Tags.Pow => "pow",
        BinaryOp.Tags.MatMul => "matmul",
        BinaryOp.Tags.Eq => "eq",
        BinaryOp.Tags.Ne => "ne",
        BinaryOp.Tags.Lt => "lt",
        BinaryOp.Tags.Le => "le",
        BinaryOp.Tags.Gt => "gt",
        BinaryOp.Tags.Ge => "ge",
        BinaryOp.Tags.And => "and",
        _ => "or",
    };

    private IrExpr CheckName(Ident name)
    {
        foreach (var scope in _scopes)
            if (scope.TryGetValue(name.Name, out var local)) return Batch(new IrVarRef(local, name.Range));
        if (_globals.TryGetValue(name.Name, out var symbol))
        {
            if (symbol is IrFunction f) return new IrFunctionRef(f, name.Range);
            var v = (IrVariable)symbol;
            if (_currentFunction is not null && !v.DataOnly && v.Kind != VariableKind.Data)
            {
                _diagnostics.Error(DiagnosticCatalogue.FunctionUsesRandomVariable, name.Range,
                    $"function '{_currentFunction.Name}' uses '{name.Name}', which depends on random variables",
                    "pass it to the function as a parameter");
                return Error(name.Range);
            }
            if (v.Type is ErrorType) return Error(name.Range);
            return Batch(new IrVarRef(v, name.Range));
        }
        if (BuiltinCatalog.Constants.TryGetValue(name.Name, out var constant))
            return new IrLiteral(constant, TensorType.RealScalar, name.Range);
        if (_allDeclarations.TryGetValue(name.Name, out var later))
        {
            _diagnostics.Error(DiagnosticCatalogue.UsedBeforeDeclaration, name.Range,
                $"'{name.Name}' is used before its declaration at line {Syntax.declRange(later).Start.Line}",
                "declarations are evaluated in order; move this use below it");
            return Error(name.Range);
        }
        _diagnostics.Error(DiagnosticCatalogue.UnknownName, name.Range, $"unknown name '{name.Name}'", Suggest(name.Name, KnownNames()));
        return Error(name.Range);
    }

    private IEnumerable<string> KnownNames() =>
        _scopes.SelectMany(s => s.Keys).Concat(_globals.Keys).Concat(BuiltinCatalog.Constants.Keys);

    internal static string? Suggest(string name, IEnumerable<string> candidates) => Ppl.Runtime.Abstractions.Spelling.Suggest(name, candidates);

    private IrExpr CheckField(Expr.Field f)
    {
        var target = CheckExpr(f.Target);
        if (target.Type is ErrorType) return target;
        if (target.Type is not ObjectType o)
        {
            _diagnostics.Error(DiagnosticCatalogue.UnknownField, f.Name.Range, $"'{Text(target)}' is {target.Type.Display}, which has no fields");
            return Error(f.Range);
        }
        if (!o.Fields.TryGetValue(f.Name.Name, out var fieldType))
        {
            _diagnostics.Error(DiagnosticCatalogue.UnknownField, f.Name.Range, $"{o.Kind} has no field '{f.Name.Name}'",
                $"its fields are {string.Join(", ", o.Fields.Keys)}");
            return Error(f.Range);
        }
        return Batch(new IrField(target, f.Name.Name, fieldType, f.Range));
    }

    private IrExpr CheckVector(Expr.Vector v)
    {
        var items = v.Items.Select(CheckExpr).ToList();
        if (items.Any(i => i.Type is ErrorType)) return Error(v.Range);
        var types = new List<TensorType>();
        foreach (var item in items)
        {
            if (item.Type is not TensorType t)
            {
                _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, item.Range, $"'{Text(item)}' is {item.Type.Display}; vector elements must be numbers or tensors");
                return Error(v.Range);
            }
            types.Add(t);
        }
        Shape shape = Shape.Scalar;
        var deferred = new List<(Dim, Dim)>();
        foreach (var (t, item) in types.Zip(items))
        {
            var b = Broadcasting.Broadcast(shape, t.Shape, deferred);
            if (b is null)
            {
                _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, item.Range, $"vector elements must have matching shapes: '{Text(item)}' is {t.Display}, others are {ShapeText(shape)}");
                return Error(v.Range);
            }
            shape = b;
        }
        foreach (var (l, r) in deferred) _model.DeferredChecks.Add(new DeferredDimCheck(l, r, v.Range, $"vector elements: sizes {l} and {r} must be equal (or one must be 1)", AllowOne: true));
        var elem = CallTyping.Promote(false, types.ToArray());
        return Batch(new IrVector(items, new TensorType(elem, shape.Prepend(Dim.Of(items.Count))), v.Range));
    }

    private IrExpr CheckComprehension(Expr.Comprehension c)
    {
        var lo = CheckExpr(c.Lo);
        var hi = CheckExpr(c.Hi);
        var loDim = RequireSize(lo, "the start of a comprehension range");
        var hiDim = RequireSize(hi, "the end of a comprehension range");
        var index = new IrVariable(c.Var.Name, VariableKind.LoopIndex, TensorType.IntScalar, c.Var.Range);
        _scopes.Push(new Dictionary<string, IrVariable> { [c.Var.Name] = index });
        var body = CheckExpr(c.Body);
        _scopes.Pop();
        if (loDim is null || hiDim is null || body.Type is ErrorType) return Error(c.Range);
        if (body.Type is not TensorType bt)
        {
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, body.Range, $"a comprehension must produce tensors, not {body.Type.Display}");
            return Error(c.Range);
        }
        var count = Dim.Add(hiDim, loDim, -1) ?? Dim.Opaque($"{Text(hi)} - {Text(lo)}", null);
        return Batch(new IrComprehension(index, lo, hi, body, bt.WithShape(bt.Shape.Prepend(count)), c.Range));
    }

    private Dim? RequireSize(IrExpr e, string what)
    {
        if (e.Type is ErrorType) return null;
        if (e.Type is not TensorType { IsScalar: true } t || !t.Elem.IsInt)
        {
            _diagnostics.Error(DiagnosticCatalogue.SizeNotFromData, e.Range, $"{what} must be an int, but '{Text(e)}' is {e.Type.Display}");
            return null;
        }
        var d = _static.TryDim(e);
        if (d is null) _diagnostics.Error(DiagnosticCatalogue.SizeNotFromData, e.Range, $"{what} must depend only on data, but '{Text(e)}' does not");
        return d;
    }

    private IrExpr CheckConditional(Expr.If i)
    {
        var cond = CheckExpr(i.Cond);
        var then = CheckExpr(i.Then);
        var @else = CheckExpr(i.Else);
        if (cond.Type is ErrorType || then.Type is ErrorType || @else.Type is ErrorType) return Error(i.Range);
        if (cond.Type is not TensorType { Elem.IsBool: true } ct)
        {
            _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, cond.Range, $"the condition '{Text(cond)}' is {cond.Type.Display}, not bool");
            return Error(i.Range);
        }
        if (ct.IsScalar && StaticEvaluator.IsDataOnly(cond))
        {
            if (then.Type is not TensorType tt || @else.Type is not TensorType et)
            {
                if (!Equals(then.Type, @else.Type))
                {
                    _diagnostics.Error(DiagnosticCatalogue.TypeMismatch, i.Range, $"the branches have different types: {then.Type.Display} and {@else.Type.Display}");
                    return Error(i.Range);
                }
                return Batch(new IrConditional(cond, then, @else, then.Type, i.Range));
            }
            var shape = Broadcasting.Broadcast(tt.Shape, et.Shape, null);
            if (shape is null)
            {
                _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, i.Range, $"the branches have incompatible shapes: {tt.Display} and {et.Display}");
                return Error(i.Range);
            }
            return Batch(new IrConditional(cond, then, @else, new TensorType(TensorType.Promote(tt.Elem, et.Elem), shape), i.Range));
        }
        if (then.Type is TensorType t1 && @else.Type is TensorType e1 && Broadcasting.Broadcast(t1.Shape, e1.Shape, null) is null)
        {
            _diagnostics.Error(DiagnosticCatalogue.ShapeMismatch, i.Range, $"the branches have incompatible shapes: {t1.Display} and {e1.Display}");
            return Error(i.Range);
        }
        return ApplyBuiltin(BuiltinCatalog.Get("where"), new[] { cond, then, @else }, i.Range);
    }
}
