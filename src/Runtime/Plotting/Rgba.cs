using System.Globalization;

namespace Ppl.Runtime.Plotting;

/// <summary>A colour with straight (not premultiplied) alpha, 8 bits per channel.</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Opaque white.</summary>
    public static Rgba White => new(255, 255, 255);

    /// <summary>Opaque black.</summary>
    public static Rgba Black => new(0, 0, 0);

    /// <summary>Fully transparent.</summary>
    public static Rgba Transparent => new(0, 0, 0, 0);

    /// <summary>Parses <c>#RRGGBB</c> or <c>#RRGGBBAA</c>.</summary>
    /// <exception cref="FormatException">For other text (colours are given by code, not read from users).</exception>
    public static Rgba FromHex(string hex)
    {
        var digits = hex.StartsWith('#') ? hex[1..] : hex;
        if (digits.Length is not (6 or 8) || !uint.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint value))
            throw new FormatException($"'{hex}' is not a #RRGGBB or #RRGGBBAA colour.");
        if (digits.Length == 6) value = value << 8 | 0xFF;
        return new Rgba((byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value);
    }

    /// <summary>The same colour with its alpha multiplied by <paramref name="opacity"/> (0..1).</summary>
    public Rgba WithOpacity(double opacity) => this with { A = (byte)Math.Round(A * Math.Clamp(opacity, 0, 1)) };

    /// <summary>Mixes towards <paramref name="other"/> by <paramref name="amount"/> (0 keeps this colour, 1 gives the other).</summary>
    public Rgba Mix(Rgba other, double amount)
    {
        double t = Math.Clamp(amount, 0, 1);
        return new Rgba(Lerp(R, other.R, t), Lerp(G, other.G, t), Lerp(B, other.B, t), Lerp(A, other.A, t));
    }

    /// <summary><c>#RRGGBBAA</c>.</summary>
    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}{A:X2}";

    private static byte Lerp(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);
}
