using Ppl.Runtime.Distributions;

namespace Ppl.Runtime.Bijectors;

/// <summary>The registry from a support to the bijector that maps the unconstrained reals onto it.</summary>
public static class Bijector
{
    /// <summary>
    /// real → identity; positive → exp; greater_than(lo) → lo + exp(u); less_than(hi) → hi − exp(u);
    /// interval(lo, hi) → lo + (hi − lo)·sigmoid(u); interval(0, 1) → sigmoid. The bounds are the support's tensors
    /// and broadcast against the values. A set of integers has no bijector from the reals: the identity stands in, so
    /// that the draws of a discrete param can be carried as reals (implicit inference); explicit inference never reads
    /// a discrete site from the unconstrained vector (the compiler marginalises it or refuses the density).
    /// </summary>
    public static IBijector For(Support support) => support.Kind switch
    {
        SupportKind.Real or SupportKind.NonNegativeInteger or SupportKind.IntegerUpTo => IdentityBijector.Instance,
        SupportKind.Positive => ExpBijector.Instance,
        SupportKind.UnitInterval => UnitIntervalBijector.Instance,
        SupportKind.GreaterThan => new LowerBoundBijector(support.Lower ?? throw MissingBound(support, "lower")),
        SupportKind.LessThan => new UpperBoundBijector(support.Upper ?? throw MissingBound(support, "upper")),
        SupportKind.Interval => new IntervalBijector(
            support.Lower ?? throw MissingBound(support, "lower"),
            support.Upper ?? throw MissingBound(support, "upper")),
        _ => throw new ArgumentOutOfRangeException(nameof(support), support.Kind, "Unknown support kind."),
    };

    private static ArgumentException MissingBound(Support support, string which) =>
        new($"A {support.Kind} support needs its {which} bound.", nameof(support));
}
