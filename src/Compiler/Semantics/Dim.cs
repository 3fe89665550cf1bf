using System.Collections.Immutable;
using System.Text;

namespace Ppl.Compiler.Semantics;

/// <summary>
/// One dimension of a static shape: a linear form <c>c + Σ k·v</c> over `int` data variables (so `N`, `2 * N`, `N + 1`
/// compare symbolically), or an opaque size known only when the data are bound (its text is kept for messages and its
/// defining expression for code generation).
/// </summary>
public sealed class Dim : IEquatable<Dim>
{
    private Dim(long constant, ImmutableSortedDictionary<string, long> terms, string? opaqueText, object? opaqueSource)
    {
        Constant = constant;
        Terms = terms;
        OpaqueText = opaqueText;
        OpaqueSource = opaqueSource;
    }

    public long Constant { get; }

    /// <summary>Coefficients of `int` data variables, by name.</summary>
    public ImmutableSortedDictionary<string, long> Terms { get; }

    /// <summary>Set for a dimension that is not a linear form: its source text.</summary>
    public string? OpaqueText { get; }

    /// <summary>For opaque dimensions, what computes it, if anything: the data-only IR expression (an <c>IrExpr</c>), or
    /// the product or sum of two other sizes (<see cref="DimArithmetic"/>).</summary>
    public object? OpaqueSource { get; }

    public bool IsKnown => Terms.IsEmpty && OpaqueText is null;

    public bool IsOpaque => OpaqueText is not null;

    public static Dim Of(long value) => new(value, ImmutableSortedDictionary<string, long>.Empty, null, null);

    public static Dim Variable(string name) => new(0, ImmutableSortedDictionary<string, long>.Empty.Add(name, 1), null, null);

    public static Dim Opaque(string text, object? source) => new(0, ImmutableSortedDictionary<string, long>.Empty, text, source);

    public static readonly Dim One = Of(1);

    /// <summary>a + sign·b, or null when opaque or when a coefficient overflows (the size is then left to binding time,
    /// where int arithmetic is checked).</summary>
    public static Dim? Add(Dim a, Dim b, int sign = 1)
    {
        try
        {
            return checked(AddTerms(a, b, sign));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static Dim? AddTerms(Dim a, Dim b, int sign)
    {
        if (a.IsOpaque || b.IsOpaque) return null;
        var terms = a.Terms.ToBuilder();
        foreach (var (k, v) in b.Terms)
        {
            long nv = checked((terms.TryGetValue(k, out var old) ? old : 0) + sign * v);
            if (nv == 0) terms.Remove(k);
            else terms[k] = nv;
        }
        return new Dim(checked(a.Constant + sign * b.Constant), terms.ToImmutable(), null, null);
    }

    public static Dim? Multiply(Dim a, Dim b)
    {
        if (a.IsOpaque || b.IsOpaque) return null;
        try
        {
            if (a.IsKnown) return Scale(b, a.Constant);
            if (b.IsKnown) return Scale(a, b.Constant);
        }
        catch (OverflowException)
        {
            return null;
        }
        return null;
    }

    public static Dim? Divide(Dim a, Dim b)
    {
        if (a.IsOpaque || !b.IsKnown || b.Constant == 0) return null;
        if (b.Constant == -1) return null;
        if (a.Constant % b.Constant != 0 || a.Terms.Values.Any(v => v % b.Constant != 0)) return null;
        return new Dim(a.Constant / b.Constant, a.Terms.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value / b.Constant), null, null);
    }

    private static Dim Scale(Dim a, long k) =>
        k == 0 ? Of(0) : new Dim(checked(a.Constant * k), a.Terms.ToImmutableSortedDictionary(kv => kv.Key, kv => checked(kv.Value * k)), null, null);

    /// <summary>Whether the two are equal for every value of the data (symbolically identical).</summary>
    public bool Equals(Dim? other) =>
        other is not null && Constant == other.Constant && OpaqueText == other.OpaqueText
        && Terms.Count == other.Terms.Count && Terms.All(kv => other.Terms.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override bool Equals(object? obj) => obj is Dim d && Equals(d);

    public override int GetHashCode() => HashCode.Combine(Constant, OpaqueText, Terms.Count);

    /// <summary>True when the two can never be equal (both known and different).</summary>
    public bool ProvablyDifferent(Dim other) =>
        (IsKnown && other.IsKnown && Constant != other.Constant)
        || (!IsOpaque && !other.IsOpaque && Add(this, other, -1) is { IsKnown: true, Constant: not 0 });

    public override string ToString()
    {
        if (OpaqueText is not null) return OpaqueText;
        if (Terms.IsEmpty) return Constant.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        foreach (var (name, k) in Terms)
        {
            if (sb.Length > 0) sb.Append(k < 0 ? " - " : " + ");
            else if (k < 0) sb.Append('-');
            long a = Math.Abs(k);
            if (a != 1) sb.Append(a).Append(" * ");
            sb.Append(name);
        }
        if (Constant > 0) sb.Append(" + ").Append(Constant);
        else if (Constant < 0) sb.Append(" - ").Append(-Constant);
        return sb.ToString();
    }
}

/// <summary>The source of an opaque size that is <c>Left Operator Right</c> (<c>*</c> or <c>+</c>) of two sizes that are
/// not a linear form together (`N * N` in `flatten`), so that the generated code can compute it from theirs.</summary>
public sealed record DimArithmetic(Dim Left, Dim Right, char Operator);
