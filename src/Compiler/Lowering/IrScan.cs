using Ppl.Compiler.Semantics;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Lowering;

/// <summary>A state carried by a loop: its variable inside the body (the previous step's value) and its initial value.</summary>
public sealed class IrLoopState(IrVariable variable, IrExpr init)
{
    public IrVariable Variable { get; } = variable;

    public IrExpr Init { get; set; } = init;

    /// <summary>The value for the next step (a reference to the state's last update in the body, or to the state itself).</summary>
    public IrExpr Next { get; set; } = null!;
}

/// <summary>
/// `for t in lo:hi with s = init { ... }`: runs <see cref="Lets"/> for t = lo, …, hi − 1 with the states bound to the
/// previous step's values. Its value is a loop object whose fields (<see cref="IrField"/>) are the per-step values of
/// <see cref="Outputs"/> stacked along a new leading axis, and the states' final values. A state update is a let that
/// binds a new variable for the state (the body is in single assignment form); a random site in the body is an
/// <see cref="IrSiteStep"/> let.
/// </summary>
public sealed class IrScan(IrVariable index, IrExpr lo, IrExpr hi, Dim steps, IReadOnlyList<IrLoopState> states,
    IReadOnlyList<(IrVariable Variable, IrExpr Value)> lets, IReadOnlyList<IrVariable> outputs, ObjectType type, SourceRange range)
    : IrExpr(type, range)
{
    public IrVariable Index { get; } = index;

    public IrExpr Lo { get; set; } = lo;

    public IrExpr Hi { get; set; } = hi;

    /// <summary>The number of steps, hi − lo.</summary>
    public Dim Steps { get; } = steps;

    public IReadOnlyList<IrLoopState> States { get; } = states;

    public IReadOnlyList<(IrVariable Variable, IrExpr Value)> Lets { get; set; } = lets;

    /// <summary>The body's variables whose per-step values are stacked (lets and random sites, by name).</summary>
    public IReadOnlyList<IrVariable> Outputs { get; } = outputs;

    public override IEnumerable<IrExpr> Children =>
        new[] { Lo, Hi }.Concat(States.Select(s => s.Init)).Concat(Lets.Select(l => l.Value)).Concat(States.Select(s => s.Next));

    /// <summary>The type of a loop object: one field per output (stacked) and per state (final value).</summary>
    public static ObjectType LoopType(string name, IEnumerable<(string Name, SemType Type)> fields) =>
        new("loop " + name, fields.ToDictionary(f => f.Name, f => f.Type));
}

/// <summary>A `latent` or `observe` inside a loop body: this step's slice of the site (the site's value without its
/// leading steps axis), drawn or scored with <see cref="Distribution"/>.</summary>
public sealed class IrSiteStep(IrVariable site, SiteRole role, IrDistribution distribution, TensorType type, SourceRange range) : IrExpr(type, range)
{
    /// <summary>The site's variable (its value after the loop is the stack of the steps).</summary>
    public IrVariable Site { get; } = site;

    public SiteRole Role { get; } = role;

    public IrDistribution Distribution { get; set; } = distribution;

    public override IEnumerable<IrExpr> Children => new IrExpr[] { Distribution };
}
