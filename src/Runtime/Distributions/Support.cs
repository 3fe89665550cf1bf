using static TorchSharp.torch;

namespace Ppl.Runtime.Distributions;

/// <summary>The kind of set a random variable lives in; what the compiler infers and what selects a bijector.</summary>
public enum SupportKind
{
    Real,
    Positive,
    GreaterThan,
    LessThan,
    Interval,
    UnitInterval,

    /// <summary>The counts 0, 1, 2, … (Poisson, NegativeBinomial, Categorical: values are <c>int</c>).</summary>
    NonNegativeInteger,

    /// <summary>The integers 0, 1, …, <see cref="Support.Upper"/> (Bernoulli: upper 1; Binomial: its total count).</summary>
    IntegerUpTo,
}

/// <summary>
/// The support of a distribution at run time. Bounds are tensors that broadcast against the value
/// (they may be batched when they depend on other random variables).
/// </summary>
public sealed record Support(SupportKind Kind, Tensor? Lower = null, Tensor? Upper = null)
{
    public static readonly Support Real = new(SupportKind.Real);
    public static readonly Support Positive = new(SupportKind.Positive);
    public static readonly Support UnitInterval = new(SupportKind.UnitInterval);

    public static Support GreaterThan(Tensor lower) => new(SupportKind.GreaterThan, Lower: lower);

    public static Support LessThan(Tensor upper) => new(SupportKind.LessThan, Upper: upper);

    public static Support Interval(Tensor lower, Tensor upper) => new(SupportKind.Interval, lower, upper);

    /// <summary>The counts 0, 1, 2, ….</summary>
    public static readonly Support NonNegativeInteger = new(SupportKind.NonNegativeInteger);

    /// <summary>The integers 0 … <paramref name="upper"/> (null where the bound is not a tensor, e.g. Bernoulli's 1).</summary>
    public static Support IntegerUpTo(Tensor? upper) => new(SupportKind.IntegerUpTo, Upper: upper);

    /// <summary>Whether values are integers (a discrete distribution): no bijector maps the reals onto them.</summary>
    public bool IsDiscrete => IsDiscreteKind(Kind);

    /// <summary>Whether <paramref name="kind"/> is a set of integers.</summary>
    public static bool IsDiscreteKind(SupportKind kind) => kind is SupportKind.NonNegativeInteger or SupportKind.IntegerUpTo;

    public override string ToString() => Kind switch
    {
        SupportKind.Real => "real",
        SupportKind.Positive => "positive",
        SupportKind.UnitInterval => "interval(0, 1)",
        SupportKind.GreaterThan => $"greater_than({Describe(Lower)})",
        SupportKind.LessThan => $"less_than({Describe(Upper)})",
        SupportKind.Interval => $"interval({Describe(Lower)}, {Describe(Upper)})",
        SupportKind.NonNegativeInteger => "non-negative integer",
        SupportKind.IntegerUpTo => $"integer in 0..{Describe(Upper)}",
        _ => Kind.ToString(),
    };

    private static string Describe(Tensor? t) =>
        t is null ? "?" : t.numel() == 1 ? t.to_type(TorchSharp.torch.ScalarType.Float64).item<double>().ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : "tensor";
}
