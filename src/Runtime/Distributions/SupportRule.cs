namespace Ppl.Runtime.Distributions;

/// <summary>
/// How a distribution's support follows from its arguments. With no bound parameters the support is always
/// <see cref="Kind"/>; otherwise the bounds come from the named parameters, and where a bound parameter is optional
/// the kind depends on which bounds are given: both → interval, lower only → greater_than, upper only → less_than,
/// neither → real. When both bounds are given the lower must lie below the upper.
/// </summary>
/// <param name="Kind">The kind when every bound parameter is given.</param>
/// <param name="LowerParameter">The parameter that gives the lower bound, if any.</param>
/// <param name="UpperParameter">The parameter that gives the upper bound, if any.</param>
/// <param name="FixedUpper">For <see cref="SupportKind.IntegerUpTo"/> with a constant upper end (Bernoulli's 1).</param>
public sealed record SupportRule(SupportKind Kind, string? LowerParameter = null, string? UpperParameter = null, double? FixedUpper = null)
{
    /// <summary>The integers 0 … the argument of <paramref name="upperParameter"/> (Binomial's total count).</summary>
    public static SupportRule CountsUpTo(string upperParameter) => new(SupportKind.IntegerUpTo, UpperParameter: upperParameter);

    /// <summary>The integers 0 … <paramref name="upper"/> (Bernoulli's 0 and 1).</summary>
    public static SupportRule CountsUpTo(double upper) => new(SupportKind.IntegerUpTo, FixedUpper: upper);

    /// <summary>A support that does not depend on the arguments.</summary>
    public static SupportRule Fixed(SupportKind kind) => new(kind);

    /// <summary>A support bounded by parameters (either may be null for a side that is never bounded).</summary>
    public static SupportRule Bounded(string? lowerParameter, string? upperParameter) =>
        new(KindOf(lowerParameter is not null, upperParameter is not null), lowerParameter, upperParameter);

    /// <summary>The kind of support for a call that gives the parameters for which <paramref name="isGiven"/> holds.</summary>
    public SupportKind KindFor(Func<string, bool> isGiven)
    {
        if (Support.IsDiscreteKind(Kind) || (LowerParameter is null && UpperParameter is null)) return Kind;
        return KindOf(LowerParameter is not null && isGiven(LowerParameter), UpperParameter is not null && isGiven(UpperParameter));
    }

    private static SupportKind KindOf(bool lower, bool upper) => (lower, upper) switch
    {
        (true, true) => SupportKind.Interval,
        (true, false) => SupportKind.GreaterThan,
        (false, true) => SupportKind.LessThan,
        _ => SupportKind.Real,
    };
}
