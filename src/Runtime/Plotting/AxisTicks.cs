using System.Globalization;

namespace Ppl.Runtime.Plotting;

/// <summary>Chooses "nice" tick values (1, 2 or 5 times a power of ten apart) and formats their labels.</summary>
public static class AxisTicks
{
    /// <summary>The minus sign used in labels (U+2212, wider than a hyphen, as typesetting does).</summary>
    public const char MinusSign = '\u2212';

    /// <summary>
    /// Tick values inside [<paramref name="min"/>, <paramref name="max"/>], about <paramref name="targetCount"/> of them.
    /// </summary>
    public static double[] Choose(double min, double max, int targetCount) =>
        !(max > min) || !double.IsFinite(min) || !double.IsFinite(max)
            ? (double.IsFinite(min) ? new[] { min } : Array.Empty<double>())
            : Choose(min, max, Step(min, max, targetCount));

    /// <summary>The multiples of <paramref name="step"/> inside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double[] Choose(double min, double max, double step)
    {
        if (!(max > min) || !(step > 0)) return Array.Empty<double>();
        double first = Math.Ceiling(min / step - 1e-9) * step;
        var ticks = new List<double>();
        for (int k = 0; ; k++)
        {
            double value = first + k * step;
            if (value > max + step * 1e-9) break;
            // Snap values that should be zero but carry rounding noise (e.g. 3e-17).
            ticks.Add(Math.Abs(value) < step * 1e-9 ? 0 : value);
        }
        return ticks.ToArray();
    }

    /// <summary>The distance between ticks <see cref="Choose"/> uses.</summary>
    public static double Step(double min, double max, int targetCount)
    {
        double raw = (max - min) / Math.Max(1, targetCount);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>The next larger nice step: 1 → 2 → 5 → 10 (times a power of ten).</summary>
    public static double NextStep(double step)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        double fraction = Math.Round(step / magnitude);
        return fraction < 2 ? 2 * magnitude : fraction < 5 ? 5 * magnitude : 10 * magnitude;
    }

    /// <summary>
    /// Formats a tick value with as many decimals as <paramref name="step"/> needs, switching to exponent notation
    /// for very large or small magnitudes, with a true minus sign.
    /// </summary>
    public static string Format(double value, double step)
    {
        if (value == 0) return "0";
        double magnitude = Math.Max(Math.Abs(value), step);
        string text;
        if (magnitude >= 1e5 || step < 1e-4)
        {
            int exponent = (int)Math.Floor(Math.Log10(step));
            int mantissaDecimals = Math.Max(0, (int)Math.Floor(Math.Log10(Math.Abs(value))) - exponent);
            text = value.ToString("0." + new string('#', Math.Min(mantissaDecimals, 6)) + "e0", CultureInfo.InvariantCulture);
        }
        else
        {
            int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
            text = value.ToString("F" + decimals, CultureInfo.InvariantCulture);
        }
        return text.Replace('-', MinusSign);
    }
}
