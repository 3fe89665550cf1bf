using Ppl.Runtime.Sbi;

namespace Ppl.Cli;

/// <summary>Prints the errors of neural estimation (training, bundles, posterior sampling) in the compiler's format.</summary>
public static class SbiErrorRendering
{
    /// <summary>Writes `error CODE: message` and returns the exit code for a model or data problem.</summary>
    public static int Report(CliContext ctx, SbiError error, string? hint = null)
    {
        ctx.Err.WriteLine($"error {error.Code}: {error.Message}");
        if (hint is not null) ctx.Err.WriteLine($"  = hint: {hint}");
        return ExitCodes.ModelError;
    }
}
