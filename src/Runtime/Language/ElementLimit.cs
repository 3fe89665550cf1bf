using System.Globalization;

namespace Ppl.Runtime.Language;

/// <summary>
/// The most elements one value may have: a data value, a site (per simulation), or a tensor the library creates from
/// sizes given by the data (`zeros`, `linspace`, …). Sizes are checked against it, and against being negative, before any
/// tensor is made, so a size typo gives a located error (PPL0421, PPL0409) instead of an out-of-memory kill. Default
/// 2^28 (2 GiB of float64); `ppl --max-elements N` or the environment variable PPL_MAX_ELEMENTS change it.
/// </summary>
public static class ElementLimit
{
    public const long Default = 1L << 28;

    public const string EnvironmentVariable = "PPL_MAX_ELEMENTS";

    private static readonly long s_process = FromEnvironment();
    private static readonly AsyncLocal<long?> s_scoped = new();

    /// <summary>The limit in force: the innermost <see cref="Scope"/> of this flow of execution (it follows threads and
    /// tasks started inside it), else PPL_MAX_ELEMENTS, else <see cref="Default"/>.</summary>
    public static long Maximum => s_scoped.Value ?? s_process;

    /// <summary>Sets the limit until the returned object is disposed (one `ppl` command, one test).</summary>
    public static IDisposable Scope(long maximum)
    {
        if (maximum < 1) throw new ArgumentOutOfRangeException(nameof(maximum), "the element limit must be at least 1");
        var previous = s_scoped.Value;
        s_scoped.Value = maximum;
        return new Restore(previous);
    }

    private sealed class Restore(long? previous) : IDisposable
    {
        public void Dispose() => s_scoped.Value = previous;
    }

    /// <summary>Parses a limit as written on the command line or in the environment (digits, or a power such as 2^30).</summary>
    public static long? Parse(string text)
    {
        text = text.Trim();
        int caret = text.IndexOf('^');
        if (caret > 0 && long.TryParse(text[..caret], NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            && int.TryParse(text[(caret + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var e))
        {
            try
            {
                long r = 1;
                for (int i = 0; i < e; i++) r = checked(r * b);
                return r >= 1 ? r : null;
            }
            catch (OverflowException)
            {
                return null;
            }
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1 ? v : null;
    }

    /// <summary>The number of elements of <paramref name="shape"/>, or an exception naming <paramref name="what"/> when
    /// a size is negative or the count exceeds the limit (or int64).</summary>
    public static long Require(IReadOnlyList<long> shape, string what)
    {
        long count = 1;
        bool overflow = false;
        foreach (var size in shape)
        {
            if (size < 0)
                throw new SizeLimitException(DiagnosticCatalogue.ValueOutOfRange, $"{what}: a size is negative ({size}) in shape [{string.Join(", ", shape)}]");
            if (!overflow)
            {
                try
                {
                    count = checked(count * size);
                }
                catch (OverflowException)
                {
                    overflow = true;
                }
            }
        }
        if (shape.Any(s => s == 0)) return 0;
        if (overflow || count > Maximum)
            throw new SizeLimitException(DiagnosticCatalogue.TooManyElements,
                $"{what} would have {(overflow ? "more than 2^63" : count.ToString(CultureInfo.InvariantCulture))} elements (shape [{string.Join(", ", shape)}]), more than the limit of {Maximum.ToString(CultureInfo.InvariantCulture)}",
                $"check the sizes in the data; to allow more, use --max-elements N or {EnvironmentVariable}");
        return count;
    }

    /// <summary>Checks a one-dimensional count.</summary>
    public static long Require(long count, string what) => Require(new[] { count }, what);

    private static long FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text && Parse(text) is { } v ? v : Default;
}

/// <summary>A size that is negative or beyond <see cref="ElementLimit"/>, found before any tensor was made. The model
/// runner reports it as a located error with <see cref="Code"/>.</summary>
public sealed class SizeLimitException(string code, string message, string? hint = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Hint { get; } = hint;
}
