using Ppl.Compiler.Semantics;
using Ppl.Dsl;
using Ppl.Runtime.Abstractions;

namespace Ppl.Compiler.Lowering;

/// <summary>A `data` declaration: its variable, declared type (dimension expressions) and optional default.</summary>
public sealed record IrData(IrVariable Variable, TensorType Type, string TypeText, IrExpr? Default, SourceRange Range)
{
    /// <summary>Dimension equalities of the default (its own shapes and its shape against the declared one): checked only
    /// when the default is used, so a model whose sizes are overridden with matching data binds.</summary>
    public IReadOnlyList<DeferredDimCheck> DefaultChecks { get; init; } = Array.Empty<DeferredDimCheck>();
}

/// <summary>A statement of the model body, in source order.</summary>
public abstract record IrStatement(SourceRange Range);

/// <summary>`let` — hoisted to binding time when it depends on data only.</summary>
public sealed record IrLet(IrVariable Variable, IrExpr Value, SourceRange Range) : IrStatement(Range)
{
    public IrExpr Value { get; set; } = Value;

    /// <summary>For a value the hoisting pass took out of an inlined function's body: the calls it was reached through,
    /// innermost first (its <see cref="IrStatement.Range"/> is in the function), so a failure is located with them.</summary>
    public IReadOnlyList<SourceRange> CallSites { get; init; } = [];
}

/// <summary>`param`, `latent` or `observe` with a distribution, or `observe` with an exact value.</summary>
public sealed record IrSite(IrVariable Variable, SiteRole Role, IrDistribution? Distribution, IrExpr? Exact, TensorType Type, string TypeText, SourceRange Range)
    : IrStatement(Range)
{
    public IrDistribution? Distribution { get; set; } = Distribution;

    public IrExpr? Exact { get; set; } = Exact;

    /// <summary>The right-hand side as written (`Uniform(-pi / 2, pi / 2)`), for messages and descriptions.</summary>
    public string SourceText { get; init; } = "";

    /// <summary>The support with its bounds as written (`interval(-pi / 2, pi / 2)`).</summary>
    public string SupportText { get; init; } = "real";

    /// <summary>For a discrete latent that the density sums out by enumeration: its number of values K (values 0 … K − 1
    /// per element); 0 otherwise. Set by <see cref="Enumeration"/>.</summary>
    public int EnumerationSize { get; set; }

    /// <summary>For `observe y ~ d` or `observe y[5:N] ~ d` where `y` is data: the observed value, a data-only expression
    /// (`y` or `y[5:N]`) bound once; null for an ordinary observation.</summary>
    public IrExpr? ObservedData { get; init; }

    /// <summary>The data variable an <see cref="ObservedData"/> site observes.</summary>
    public IrVariable? ObservedDataVariable { get; init; }

    /// <summary>For a site declared inside a loop: the variable holding the loop's value (the site's value after the loop
    /// is the loop's field of its name), and its per-step form in the loop body, whose distribution is
    /// <see cref="Distribution"/>.</summary>
    public IrVariable? Loop { get; init; }

    public IrSiteStep? Step { get; init; }
}

/// <summary>`factor e`: adds the sum of the real e to the log density (Stan's `target +=`).</summary>
public sealed record IrFactor(IrExpr Value, SourceRange Range) : IrStatement(Range)
{
    public IrExpr Value { get; set; } = Value;
}

/// <summary>The whole checked model.</summary>
public sealed class IrModel(string name, string file)
{
    public string Name { get; } = name;

    public string File { get; } = file;

    public List<IrData> Data { get; } = new();

    public List<IrStatement> Body { get; } = new();

    public List<IrFunction> Functions { get; } = new();

    /// <summary>Why a simulation cannot run the model because it reads data that it also observes (set by
    /// <see cref="ObservedDataDependencies"/>), with where; null when it can.</summary>
    public (string Reason, SourceRange Range)? ObservedDataSimulationBlocker { get; set; }

    /// <summary>Dimension equalities to check when data are bound.</summary>
    public List<DeferredDimCheck> DeferredChecks { get; } = new();

    public IEnumerable<IrSite> Sites => Body.OfType<IrSite>();

    public IEnumerable<IrLet> Lets => Body.OfType<IrLet>();

    public IEnumerable<IrFactor> Factors => Body.OfType<IrFactor>();
}
