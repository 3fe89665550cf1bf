using Ppl.Dsl;

namespace Ppl.Compiler.Lowering;

/// <summary>
/// Refuses expressions nested deeper than the compiler's passes may recurse (PPL0216). The parser builds operator
/// chains without recursion, so `a + a + … + a` with a hundred thousand terms parses into a tree that deep; the checker,
/// the lowering passes, the emitter and Roslyn each recurse once per level. They run on a thread with a large stack
/// (<see cref="Driver"/>), and this bound keeps them well inside it. Measured iteratively, so any depth is safe to measure.
/// </summary>
public static class ExpressionDepthLimit
{
    /// <summary>Deepest expression tree compiled: a chain of 5,000 terms compiles; split longer ones with `let`s.</summary>
    public const int MaxDepth = 6000;

    /// <summary>Reports each statement (data default, let, site, function body) whose expression is too deep.</summary>
    public static void Check(IrModel model, DiagnosticBag diagnostics, bool inlined)
    {
        foreach (var d in model.Data)
            if (d.Default is not null) CheckOne(d.Default, diagnostics, inlined);
        foreach (var statement in model.Body)
        {
            switch (statement)
            {
                case IrLet let: CheckOne(let.Value, diagnostics, inlined); break;
                case IrFactor factor: CheckOne(factor.Value, diagnostics, inlined); break;
                case IrSite site:
                    if (site.Distribution is not null) CheckOne(site.Distribution, diagnostics, inlined);
                    if (site.Exact is not null) CheckOne(site.Exact, diagnostics, inlined);
                    break;
            }
        }
        if (!inlined)
            foreach (var f in model.Functions)
                if (f.Body is not null) CheckOne(f.Body, diagnostics, inlined);
    }

    /// <summary>The depth of the tree under <paramref name="root"/> (a leaf has depth 1), or, past the limit, the first
    /// node found deeper than it.</summary>
    public static (int Depth, IrExpr? TooDeep) Measure(IrExpr root)
    {
        var pending = new Stack<(IrExpr Node, int Depth)>();
        pending.Push((root, 1));
        int deepest = 0;
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > MaxDepth) return (depth, node);
            deepest = Math.Max(deepest, depth);
            foreach (var child in node.Children) pending.Push((child, depth + 1));
        }
        return (deepest, null);
    }

    private static void CheckOne(IrExpr root, DiagnosticBag diagnostics, bool inlined)
    {
        var (_, tooDeep) = Measure(root);
        if (tooDeep is null) return;
        // Located at the start of the statement's expression: the whole range of a long chain is the whole line.
        var start = root.Range.Start;
        var at = new SourceRange(root.Range.File, start, new SourcePosition(start.Line, start.Column + 1));
        diagnostics.Error(DiagnosticCatalogue.ExpressionTooDeep, at,
            inlined
                ? $"this expression is nested more than {MaxDepth} levels deep once its function calls are expanded"
                : $"this expression is nested more than {MaxDepth} levels deep (a chain of operators counts one level per operator)",
            "split it with 'let' bindings, e.g. partial sums");
    }
}
