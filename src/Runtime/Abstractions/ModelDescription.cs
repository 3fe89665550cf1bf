using Ppl.Runtime.Distributions;

namespace Ppl.Runtime.Abstractions;

/// <summary>The role a random variable plays in a model.</summary>
public enum SiteRole
{
    /// <summary>θ: a parameter with a prior, the target of inference.</summary>
    Param,
    /// <summary>z: a nuisance random variable, sampled jointly with θ by HMC, marginalised by simulation.</summary>
    Latent,
    /// <summary>x: the data; drawn when simulating, scored when inferring.</summary>
    Observed,
}

public enum ElementType
{
    Real,
    Int,
    Bool,
    Complex,
}

/// <summary>A span of model source, 1-based, end exclusive. Inside an inlined user function, <see cref="CalledFrom"/> is
/// the call site (itself possibly inside another function, and so on up to a model statement).</summary>
public sealed record SourceLocation(string File, int Line, int Column, int EndLine, int EndColumn)
{
    public static readonly SourceLocation None = new("", 0, 0, 0, 0);

    /// <summary>The call through which this line of a user function was reached, or null in a model statement.</summary>
    public SourceLocation? CalledFrom { get; init; }

    /// <summary>The call sites, innermost first.</summary>
    public IEnumerable<SourceLocation> CallChain
    {
        get
        {
            for (var c = CalledFrom; c is not null; c = c.CalledFrom) yield return c;
        }
    }

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>A `data` declaration.</summary>
public sealed record DataDescription(string Name, ElementType Element, int Rank, string TypeText, bool HasDefault, SourceLocation Location);

/// <summary>A `param`, `latent` or `observe` declaration. <see cref="Support"/> is what the compiler inferred from the
/// distribution; <see cref="SupportText"/> shows its bounds as written. <see cref="HasDensity"/> is false for an
/// `observe x = ...` site. <see cref="EnumerationSize"/> is K for a discrete latent that the log density sums out by
/// enumeration (values 0 … K − 1 per element), else 0.</summary>
public sealed record SiteDescription(
    string Name,
    SiteRole Role,
    ElementType Element,
    int Rank,
    string TypeText,
    SupportKind Support,
    string SupportText,
    string DistributionText,
    bool HasDensity,
    SourceLocation Location,
    int EnumerationSize = 0)
{
    /// <summary>Whether the value is an integer (a discrete distribution): never part of the unconstrained vector when
    /// enumerated, carried as a real there otherwise.</summary>
    public bool IsDiscrete => Element == ElementType.Int;
}

/// <summary>A `let` whose value depends on a random variable and can be recorded in simulation outputs.</summary>
public sealed record LetDescription(string Name, ElementType Element, int Rank, string TypeText, SourceLocation Location);

/// <summary>What the model supports, each with the reason when it does not.</summary>
public sealed record CapabilityReport(
    bool Explicit,
    string ExplicitReason,
    bool Implicit,
    string ImplicitReason,
    bool Score,
    string ScoreReason);

/// <summary>Everything static the compiler knows about a model, emitted into the generated class.</summary>
public sealed record ModelDescription(
    string Name,
    string SourceFile,
    string SourceHash,
    string CompilerVersion,
    IReadOnlyList<DataDescription> Data,
    IReadOnlyList<SiteDescription> Sites,
    IReadOnlyList<LetDescription> Lets,
    CapabilityReport Capabilities);
