namespace Ppl.Cli;

/// <summary>Where a command writes, whether a person watches (progress bars), and how it is cancelled (Ctrl-C).</summary>
public sealed class CliContext(TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
{
    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    /// <summary>Standard error is a terminal: progress redraws in place.</summary>
    public bool Interactive { get; } = interactive;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Where diagnostics go instead of standard error when a command reports them as data
    /// (`ppl check --format json|github`); null to print them.</summary>
    public DiagnosticReport? Report { get; init; }

    public int Usage(string message, string? hint = null)
    {
        Err.WriteLine($"error: {message}");
        if (hint is not null) Err.WriteLine($"  = hint: {hint}");
        return ExitCodes.UsageError;
    }
}
