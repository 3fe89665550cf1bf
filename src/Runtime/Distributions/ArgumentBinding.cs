namespace Ppl.Runtime.Distributions;

/// <summary>Why a call's arguments do not fit a distribution's parameters.</summary>
public enum ArgumentBindingErrorKind
{
    /// <summary>The distribution's name is not in the catalogue.</summary>
    UnknownDistribution,

    /// <summary>More positional arguments than parameters.</summary>
    TooManyPositional,

    /// <summary>A named argument whose name is not a parameter.</summary>
    UnknownParameter,

    /// <summary>A parameter given twice (positionally and by name, or by name twice).</summary>
    DuplicateArgument,

    /// <summary>A required parameter not given.</summary>
    MissingArgument,
}

/// <summary>One reason a call's arguments do not fit, with the argument (index in the call) it concerns, if any.</summary>
public sealed record ArgumentBindingError(ArgumentBindingErrorKind Kind, string Message, int? ArgumentIndex, string? ParameterName);

/// <summary>
/// The result of matching a call's arguments to a distribution's parameters. Arguments are numbered as they appear in
/// the call: positional ones first (0 … p−1), then the named ones in their order (p … p+n−1).
/// </summary>
/// <param name="ArgumentOfParameter">For each parameter, in declaration order, the index of the argument that gives it,
/// or null when it is not given.</param>
/// <param name="Errors">What does not fit; empty when the call is well formed.</param>
public sealed record ArgumentBinding(IReadOnlyList<int?> ArgumentOfParameter, IReadOnlyList<ArgumentBindingError> Errors)
{
    /// <summary>Whether the arguments fit.</summary>
    public bool Succeeded => Errors.Count == 0;
}
