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

    public override string ToString() => Kind switch
    {
        SupportKind.Real => "real",
        SupportKind.Positive => "positive",
        SupportKind.UnitInterval => "interval(0, 1)",
        SupportKind.GreaterThan => $"greater_than({Describe(Lower)})",
        SupportKind.LessThan => $"less_than({Describe(Upper)})",
        SupportKind.Interval => $"interval({Describe(Lower)}, {Describe(Upper)})",
        _ => Kind.ToString(),
    };

    private static string Describe(Tensor? t) =>
        t is null ? "?" : t.numel() == 1 ? t.to_type(TorchSharp.torch.ScalarType.Float64).item<double>().ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : "tensor";
}
